"""Who may do what: the office's roles (岗位) and the permissions each one carries.

Permissions are checked in app/services (see app/services/session.py); the UI only hides what the
signed-in user may not do. A user may hold more than one role.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from app.domain.errors import WorkflowError


class Role(StrEnum):
    """A role, stored by its code; `label` is what the office calls it."""

    CLERK = "clerk"
    HANDLER = "handler"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: "前台/值班",
    Role.HANDLER: "投诉处理人/部门负责人",
    Role.MANAGER: "管理处主任/经理",
    Role.ADMIN: "管理员",
}


class Permission(StrEnum):
    """One thing a user may be allowed to do; the value is how a refusal names it."""

    VIEW = "查看登记簿"
    REGISTER = "登记投诉和报修"
    CORRECT = "修改他人的登记"
    HANDLE = "判定、处理、答复和回访"
    ESCALATE = "工作传签和工作安排"
    APPROVE = "审核"
    VOID = "作废记录"
    EXPORT = "导出"
    UNMASK = "查看和导出完整电话号码"
    IMPORT = "导入"
    PRINT = "打印表单"
    EDIT_REFERENCE = "维护基础资料"
    BACKUP = "备份"
    RESTORE = "从备份恢复"
    SETTINGS = "系统设置"
    USERS = "管理用户"
    UNLOCK = "解锁用户"


P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset({P.VIEW, P.REGISTER, P.PRINT}),
    Role.HANDLER: frozenset(
        {P.VIEW, P.REGISTER, P.CORRECT, P.HANDLE, P.ESCALATE, P.PRINT, P.EXPORT}
    ),
    Role.MANAGER: frozenset(
        {
            P.VIEW,
            P.REGISTER,
            P.CORRECT,
            P.HANDLE,
            P.ESCALATE,
            P.APPROVE,
            P.VOID,
            P.EXPORT,
            P.UNMASK,
            P.IMPORT,
            P.PRINT,
            P.EDIT_REFERENCE,
            P.BACKUP,
            P.UNLOCK,
        }
    ),
    Role.ADMIN: frozenset(
        {
            P.VIEW,
            P.PRINT,
            P.IMPORT,
            P.EDIT_REFERENCE,
            P.BACKUP,
            P.RESTORE,
            P.SETTINGS,
            P.USERS,
            P.UNLOCK,
        }
    ),
}


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    """Everything a holder of these roles may do."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def parse_role(text: str) -> Role:
    """A role from its code (``clerk``) or its label (``前台/值班``, or one half of it)."""
    t = text.strip()
    for role in Role:
        label = role.label
        if t.lower() == role.value or t == label or t in label.split("/"):
            return role
    names = "、".join(f"{r.value}（{r.label}）" for r in Role)
    raise ValueError(f"没有“{text}”这个角色，可选：{names}")


def roles_text(roles: Iterable[Role]) -> str:
    return "、".join(r.label for r in sorted(roles, key=list(Role).index))


class PermissionDeniedError(WorkflowError):
    """The signed-in user's roles do not include the permission the action needs."""

    def __init__(self, permission: Permission, user_name: str | None) -> None:
        self.permission = permission
        who = f"用户“{user_name}”" if user_name else "未登录的用户"
        super().__init__(f"{who}没有“{permission.value}”的权限，操作未执行。")
