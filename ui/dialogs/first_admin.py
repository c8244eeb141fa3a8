"""New accounts: 创建管理员 on the first start, 新增用户 and 修改角色 on the 用户管理 page.

A user holds one or more roles (岗位), ticked in a row of check boxes; what each role may do is
set in app/domain/access.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QWidget

from app.domain.access import Role
from ui.dialogs.change_password import NewPasswordFields
from ui.dialogs.form_dialog import FormDialog
from ui.dialogs.form_parts import fill, note, summary_panel

if TYPE_CHECKING:
    from app.services.accounts import AccountService, User


class RoleChecks(QWidget):
    """One check box per role; `fixed` roles are ticked and cannot be unticked."""

    def __init__(
        self, checked: Iterable[Role] = (), fixed: Iterable[Role] = (), parent=None
    ) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        ticked, locked = set(checked) | set(fixed), set(fixed)
        self.boxes: dict[Role, QCheckBox] = {}
        for role in Role:
            box = QCheckBox(role.label)
            box.setChecked(role in ticked)
            box.setEnabled(role not in locked)
            layout.addWidget(box)
            self.boxes[role] = box
        layout.addStretch(1)

    def value(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.boxes.items() if box.isChecked())


class NewUserDialog(FormDialog):
    """新增用户: name, password twice, roles."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.accounts = accounts
        self.setWindowTitle(self.title_text())
        self.add_intro()
        self.name = QLineEdit(placeholderText=self.tr("登录时输入的名字，如 张丽"))
        self.add_field("name", self.tr("用户名"), self.name, required=True)
        self.new_password = NewPasswordFields(self, self.tr("密码"))
        self.roles = self.role_checks()
        self.add_field("roles", self.tr("角色"), self.roles, required=True)
        self.finish()
        self.fit(640)

    def title_text(self) -> str:
        return self.tr("新增用户")

    def add_intro(self) -> None:
        pass

    def role_checks(self) -> RoleChecks:
        return RoleChecks()

    def perform(self) -> User:
        password = self.new_password.value()
        return self.accounts.add_user(self.name.text(), password, self.roles.value())


class FirstAdminDialog(NewUserDialog):
    """创建管理员: the first start of a new data folder; the administrator then signs in."""

    def title_text(self) -> str:
        return self.tr("首次使用：创建管理员")

    def add_intro(self) -> None:
        self.add_header(
            summary_panel(
                [
                    self.tr("这是新的数据文件夹，还没有任何用户。"),
                    self.tr(
                        "请先创建管理员账户：管理员可以新增用户、分配角色、解锁账户和设置备份。"
                        "如果管理员本人也要登记或处理投诉，可同时勾选其他角色。"
                    ),
                ]
            )
        )
        self.save_button.setText(self.tr("创建并登录（Ctrl+Enter）"))

    def role_checks(self) -> RoleChecks:
        return RoleChecks(fixed=[Role.ADMIN])

    def perform(self) -> User:
        password = self.new_password.value()
        extra = self.roles.value() - {Role.ADMIN}
        user = self.accounts.setup_admin(self.name.text(), password, extra)
        return self.accounts.sign_in(user.name, password)


class RolesDialog(FormDialog):
    """修改角色 of one user (at least one; the last active administrator stays one)."""

    def __init__(self, accounts: AccountService, user: User, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWindowTitle(self.tr("修改角色 — {name}").format(name=user.name))
        self.accounts = accounts
        self.user = user
        self.add_header(summary_panel([fill(self.tr("<b>用户</b> %1"), user.name)]))
        self.roles = RoleChecks(checked=user.roles)
        self.add_field("roles", self.tr("角色"), self.roles, required=True)
        self.add_wide(note(self.tr("新的角色在该用户下次登录时生效。")))
        self.finish()
        self.fit(640)

    def perform(self) -> User:
        return self.accounts.set_roles(self.user.name, self.roles.value())
