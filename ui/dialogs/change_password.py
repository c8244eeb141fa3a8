"""Setting a password: 修改密码 (one's own, with the old one) and 重置密码 (an administrator
sets a new one for someone who forgot theirs). A new password is always typed twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.errors import FieldError, ValidationError
from ui.dialogs.form_dialog import FormDialog
from ui.dialogs.form_parts import fill, summary_panel

if TYPE_CHECKING:
    from app.services.accounts import AccountService, User


def password_input(placeholder: str = "") -> QLineEdit:
    field = QLineEdit(placeholderText=placeholder)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class NewPasswordFields:
    """新密码 and 再输一次, added to a form; `value()` refuses two different passwords."""

    def __init__(self, dialog: FormDialog, label: str) -> None:
        tr = QCoreApplication.translate
        self.password = password_input(tr("NewPasswordFields", "至少 8 位"))
        self.again = password_input()
        dialog.add_field("password", label, self.password, required=True)
        dialog.add_field(
            "password_again", tr("NewPasswordFields", "再输一次"), self.again, required=True
        )

    def value(self) -> str:
        if self.password.text() != self.again.text():
            message = QCoreApplication.translate("NewPasswordFields", "两次输入的密码不一致")
            raise ValidationError([FieldError("password_again", message)])
        return self.password.text()


class ChangePasswordDialog(FormDialog):
    """修改密码: the signed-in user's own, after typing the current one."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWindowTitle(self.tr("修改密码"))
        self.accounts = accounts
        self.add_header(summary_panel([fill(self.tr("<b>用户</b> %1"), accounts.session.name)]))
        self.old_password = password_input()
        self.add_field("old_password", self.tr("原密码"), self.old_password, required=True)
        self.new_password = NewPasswordFields(self, self.tr("新密码"))
        self.finish()
        self.fit(420)

    def perform(self) -> bool:
        new = self.new_password.value()
        self.accounts.change_own_password(self.old_password.text(), new)
        return True


class ResetPasswordDialog(FormDialog):
    """重置密码: a new password for a user who forgot theirs (it also lifts a lockout)."""

    def __init__(self, accounts: AccountService, user: User, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWindowTitle(self.tr("重置密码 — {name}").format(name=user.name))
        self.accounts = accounts
        self.user = user
        self.add_header(
            summary_panel(
                [
                    fill(self.tr("<b>用户</b> %1"), user.name),
                    self.tr("设置新密码后请当面告诉本人，并请其登录后自己修改。"),
                ]
            )
        )
        self.new_password = NewPasswordFields(self, self.tr("新密码"))
        self.finish()
        self.fit(420)

    def perform(self) -> User:
        return self.accounts.reset_password(self.user.name, self.new_password.value())
