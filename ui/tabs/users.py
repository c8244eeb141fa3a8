"""用户管理: who may sign in, with which roles; add, change roles, reset a password, stop
(停用) or restore (启用) an account, and unlock one locked by wrong passwords.

Holders of USERS see every button. A supervisor with only UNLOCK (管理处主任/经理) sees the
list and 解锁 alone. The services check the same permissions again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.domain.access import Permission, roles_text
from app.domain.accounts import FREE_ATTEMPTS
from app.domain.errors import WorkflowError
from app.services.accounts import User
from ui.dialogs.change_password import ResetPasswordDialog
from ui.dialogs.first_admin import NewUserDialog, RolesDialog
from ui.tabs.reference_pages import left_aligned, page_title
from ui.widgets.form_support import show_save_failure, show_workflow_error
from ui.widgets.tables import fill_row, read_only_table

NAME, ROLES, STATE, FAILURES, LOCKED = range(5)


class UsersPage(QWidget):
    status_message = Signal(str)

    def __init__(self, accounts, bus, *, now: Callable[[], datetime], parent=None) -> None:
        super().__init__(parent)
        self.accounts, self.bus, self.now = accounts, bus, now
        session = accounts.session
        self.manages = session.can(Permission.USERS)
        self.users: list[User] = []
        self.table = read_only_table(
            [
                self.tr("用户名"),
                self.tr("角色"),
                self.tr("状态"),
                self.tr("连续输错"),
                self.tr("锁定到"),
            ],
            stretch=ROLES,
        )
        self.add_button = QPushButton(self.tr("新增用户…"), objectName="action_new")
        self.roles_button = QPushButton(self.tr("修改角色…"))
        self.password_button = QPushButton(self.tr("重置密码…"))
        self.active_button = QPushButton(self.tr("停用"))
        self.unlock_button = QPushButton(self.tr("解锁"))
        self.manage_buttons = (
            self.add_button,
            self.roles_button,
            self.password_button,
            self.active_button,
        )
        for button, slot in (
            (self.add_button, self.add_user),
            (self.roles_button, self.change_roles),
            (self.password_button, self.reset_password),
            (self.active_button, self.toggle_active),
            (self.unlock_button, self.unlock),
        ):
            button.clicked.connect(slot)
        hint = (
            self.tr(
                "每人一个账户，按岗位勾选角色（可多选）。密码连续输错 {n} 次账户会被锁定，"
                "可在此解锁；忘记密码时由管理员重置。停用的账户不能登录，其登记的记录保留。"
            ).format(n=FREE_ATTEMPTS + 1)
            if self.manages
            else self.tr("密码连续输错被锁定的账户，可在此解锁。")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("用户管理"), hint))
        layout.addLayout(left_aligned(*self.manage_buttons, self.unlock_button))
        layout.addWidget(self.table, 1)
        for button in self.manage_buttons:
            button.setVisible(self.manages)
        self.unlock_button.setVisible(session.can(Permission.UNLOCK))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        bus.changed.connect(self._on_changed)
        self.reload()

    # ----- the list
    def reload(self) -> None:
        current = self.selected()
        select = current.name if current else ""
        self.users = self.accounts.users()
        self.table.setRowCount(len(self.users))
        now = self.now()
        for row, user in enumerate(self.users):
            fill_row(self.table, row, self._texts(user, now), right=(FAILURES,))
            if user.name == select:
                self.table.selectRow(row)
        self._update_buttons()

    def _texts(self, user: User, now: datetime) -> list[str]:
        locked = user.locked_until is not None and user.locked_until > now
        return [
            user.name,
            roles_text(user.roles),
            self.tr("在用") if user.active else self.tr("已停用"),
            str(user.failed_logins) if user.failed_logins else "",
            f"{user.locked_until:%Y-%m-%d %H:%M}" if locked else "",
        ]

    def selected(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def select(self, name: str) -> None:
        for row, user in enumerate(self.users):
            if user.name == name:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        user = self.selected()
        for button in (self.roles_button, self.password_button, self.active_button):
            button.setEnabled(user is not None)
        self.active_button.setText(
            self.tr("启用") if user is not None and not user.active else self.tr("停用")
        )
        self.unlock_button.setEnabled(
            user is not None and (user.failed_logins > 0 or user.locked_until is not None)
        )

    def _on_changed(self, kind: str) -> None:
        if kind == "users":
            self.reload()

    # ----- actions
    def add_user(self) -> bool:
        dialog = NewUserDialog(self.accounts, self)
        return self._after_dialog(dialog, self.tr("已新增用户“{name}”"))

    def change_roles(self) -> bool:
        user = self.selected()
        if user is None:
            return False
        return self._after_dialog(
            RolesDialog(self.accounts, user, self), self.tr("已修改“{name}”的角色")
        )

    def reset_password(self) -> bool:
        user = self.selected()
        if user is None:
            return False
        return self._after_dialog(
            ResetPasswordDialog(self.accounts, user, self), self.tr("已重置“{name}”的密码")
        )

    def toggle_active(self) -> bool:
        user = self.selected()
        if user is None:
            return False
        if user.active and not self._confirm_stop(user):
            return False
        done = self.tr("已启用“{name}”") if not user.active else self.tr("已停用“{name}”")
        return self._call(lambda: self.accounts.set_active(user.name, not user.active), done)

    def unlock(self) -> bool:
        user = self.selected()
        if user is None:
            return False
        return self._call(lambda: self.accounts.unlock(user.name), self.tr("已解锁“{name}”"))

    def _confirm_stop(self, user: User) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("停用账户"),
            self.tr("停用后“{name}”不能再登录，其登记和处理过的记录不受影响。确定停用吗？").format(
                name=user.name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _after_dialog(self, dialog: QDialog, done: str) -> bool:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self._announce(dialog.saved, done)
        return True

    def _call(self, action: Callable[[], User], done: str) -> bool:
        try:
            user = action()
        except WorkflowError as e:  # incl. PermissionDeniedError
            show_workflow_error(self, e)
            return False
        except Exception as e:  # the database or disk refused
            show_save_failure(self, e)
            return False
        self._announce(user, done)
        return True

    def _announce(self, user: User, done: str) -> None:
        self.bus.changed.emit("users")  # reloads this list and the status bar's roles
        self.select(user.name)
        self.status_message.emit(done.format(name=user.name))
