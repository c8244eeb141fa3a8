"""登录: user name and password before the window opens (and again after 注销/切换用户).

Enter signs in (from the name field with no password yet, it moves to the password). A wrong
password or a locked account is said in the dialog, which stays open; 退出 closes the program.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import WorkflowError
from ui.dialogs.change_password import password_input

if TYPE_CHECKING:
    from app.services.accounts import AccountService, User

log = logging.getLogger(__name__)


class SignInDialog(QDialog):
    """`user` is who signed in once the dialog is accepted."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.user: User | None = None
        self.setWindowTitle(self.tr("登录 — 物业管理处办公系统"))
        self.name = QLineEdit(placeholderText=self.tr("用户名"))
        self.password = password_input(self.tr("密码"))
        self.message = QLabel(objectName="fieldError", wordWrap=True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.name)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox()
        self.sign_in_button = buttons.addButton(
            self.tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.quit_button = buttons.addButton(
            self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.sign_in_button.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("请输入用户名和密码"), objectName="pageTitle", wordWrap=True)
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)
        self.name.setFocus()

    def submit(self) -> None:
        if not self.name.text().strip():
            self._say(self.tr("请填写用户名"), self.name)
            return
        if not self.password.text():
            if self.name.hasFocus():  # Enter after the name: on to the password
                self.password.setFocus()
            else:
                self._say(self.tr("请输入密码"), self.password)
            return
        try:
            self.user = self.accounts.sign_in(self.name.text(), self.password.text())
        except WorkflowError as e:  # SignInError: wrong password, locked, unknown name
            self._refused(str(e))
            return
        except Exception as e:  # the database or disk refused the failure count
            log.exception("sign-in failed")
            self._refused(self.tr("登录没有成功：{error}").format(error=e))
            return
        self.accept()

    def _refused(self, message: str) -> None:
        self.password.clear()
        self._say(message, self.password)

    def _say(self, message: str, focus: QLineEdit) -> None:
        self.message.setText(message)
        self.message.show()
        focus.setFocus()
