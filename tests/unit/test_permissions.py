"""Role × action at the service layer: every guarded method of every service, called by a user
holding one role, is refused exactly when that role lacks the permission it declares.

A refusal must come before anything is written (no audit entry appears). The grid of
ROLE_PERMISSIONS is also written out below by hand, so an accidental edit of it fails here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.domain.access import ROLE_PERMISSIONS, Permission, PermissionDeniedError, Role
from app.domain.complaint import Complaint, Urgency
from app.services import Services
from app.services.session import guarded_methods
from tests.accounts_support import signed_in

RECEIVED = datetime(2026, 11, 20, 9, 30)


def service_names(s: Services) -> list[str]:
    """Every service object of Services (new ones are picked up by themselves)."""
    return [
        name
        for name in Services.names()
        if name != "session" and hasattr(getattr(s, name), "session")
    ]


def placeholder_call(method: Callable[..., Any]) -> Callable[[], Any]:
    """The method with None for each parameter that has no default."""
    args: list[None] = []
    kwargs: dict[str, None] = {}
    for p in inspect.signature(method).parameters.values():
        if p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.kind == p.KEYWORD_ONLY:
            kwargs[p.name] = None
        else:
            args.append(None)
    return lambda: method(*args, **kwargs)


def outcome(s: Services, service: str, method: str) -> str:
    """'refused' or 'called' (any other exception: the placeholders did not fit)."""
    entries = s.database.scalar("SELECT count(*) FROM audit_log")
    try:
        placeholder_call(getattr(getattr(s, service), method))()
    except PermissionDeniedError:
        after = s.database.scalar("SELECT count(*) FROM audit_log")
        assert after == entries, f"{service}.{method} wrote to the trail before refusing"
        return "refused"
    except Exception:
        pass
    return "called"


def guarded(s: Services) -> list[tuple[str, str, Permission]]:
    return [
        (name, method, permission)
        for name in service_names(s)
        for method, permission in sorted(guarded_methods(getattr(s, name)).items())
        if permission is not None
    ]


def test_every_service_is_walked_and_every_public_method_declares_a_permission(
    services: Services,
) -> None:
    names = service_names(services)
    assert set(names) >= {
        "accounts",
        "reference",
        "calendar",
        "complaints",
        "escalation",
        "exchange",
        "households",
        "printing",
        "repairs",
        "repair_reference",
        "repair_exchange",
        "backups",
    }
    for name in names:
        assert guarded_methods(getattr(services, name)), name  # raises on an unmarked method


OPEN_TO_ANYONE = {
    ("accounts", "needs_setup"),
    ("accounts", "setup_admin"),
    ("accounts", "sign_in"),
    ("accounts", "sign_out"),
    ("reference", "ensure_seeded"),
    ("repair_reference", "ensure_seeded"),
    ("backups", "due"),
    ("backups", "run_scheduled"),
}
"""The only methods callable before signing in: a new one here must be a deliberate choice."""


def test_only_the_sign_in_and_start_up_methods_are_open_to_anyone(services: Services) -> None:
    open_ = {
        (name, method)
        for name in service_names(services)
        for method, permission in guarded_methods(getattr(services, name)).items()
        if permission is None
    }
    assert open_ == OPEN_TO_ANYONE


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_a_role_is_refused_exactly_what_it_lacks(services: Services, role: Role) -> None:
    signed_in(services, frozenset({role}))
    assert services.session.user is not None and services.session.user.roles == {role}
    wrong = []
    for service, method, permission in guarded(services):
        allowed = permission in ROLE_PERMISSIONS[role]
        got = outcome(services, service, method)
        if (got == "called") != allowed:
            wrong.append(f"{service}.{method} ({permission.value}): {got}")
    assert not wrong, f"{role.label}:\n" + "\n".join(wrong)


def test_signed_out_every_guarded_method_is_refused(services: Services) -> None:
    services.accounts.sign_out()
    called = [
        f"{service}.{method}"
        for service, method, _ in guarded(services)
        if outcome(services, service, method) != "refused"
    ]
    assert not called
    with pytest.raises(PermissionDeniedError, match="未登录的用户没有“登记投诉和报修”的权限"):
        services.complaints.register(
            Complaint(received_at=RECEIVED, content="漏水", urgency=Urgency.URGENT)
        )


# The grid as the office reads it: x = may, . = may not.
GRID = """
                    clerk handler manager admin
查看登记簿            x      x       x      x
登记投诉和报修        x      x       x      .
修改他人的登记        .      x       x      .
判定、处理、答复和回访  .      x       x      .
工作传签和工作安排     .      x       x      .
审核                  .      .       x      .
作废记录              .      .       x      .
导出                  .      x       x      .
查看和导出完整电话号码  .      .       x      .
导入                  .      .       x      x
打印表单              x      x       x      x
维护基础资料          .      .       x      x
备份                  .      .       x      x
从备份恢复            .      .       .      x
系统设置              .      .       .      x
管理用户              .      .       .      x
解锁用户              .      .       x      x
"""


def test_the_permission_grid_is_as_the_office_agreed() -> None:
    head, *rows = GRID.strip().splitlines()
    roles = [Role(code) for code in head.split()]
    written: dict[Role, set[Permission]] = {role: set() for role in roles}
    for row in rows:
        label, *marks = row.split()
        assert len(marks) == len(roles), row
        for role, mark in zip(roles, marks, strict=True):
            if mark == "x":
                written[role].add(Permission(label))
    assert len(rows) == len(Permission)
    assert {role: frozenset(p) for role, p in written.items()} == ROLE_PERMISSIONS


KEY_ACTIONS = {
    "complaints.register": Permission.REGISTER,
    "repairs.register": Permission.REGISTER,
    "complaints.judge": Permission.HANDLE,
    "complaints.record_handling": Permission.HANDLE,
    "complaints.return_visit": Permission.HANDLE,
    "repairs.dispatch": Permission.HANDLE,
    "escalation.raise_sheet": Permission.ESCALATE,
    "complaints.review": Permission.APPROVE,
    "exchange.export_file": Permission.EXPORT,
    "repair_exchange.export_file": Permission.EXPORT,
    "exchange.import_file": Permission.IMPORT,
    "households.import_file": Permission.IMPORT,
    "backups.backup_now": Permission.BACKUP,
    "backups.restore": Permission.RESTORE,
    "accounts.add_user": Permission.USERS,
    "accounts.set_roles": Permission.USERS,
    "accounts.unlock": Permission.UNLOCK,
    "reference.set_categories": Permission.EDIT_REFERENCE,
    "printing.complaint_pdf": Permission.PRINT,
}


@pytest.mark.parametrize(
    ("role", "may", "may_not"),
    [
        (Role.CLERK, ["complaints.register", "repairs.register", "printing.complaint_pdf"],
         ["complaints.judge", "exchange.export_file", "exchange.import_file",
          "backups.restore", "accounts.add_user", "complaints.review"]),
        (Role.HANDLER, ["complaints.judge", "complaints.record_handling",
                        "escalation.raise_sheet", "complaints.return_visit", "repairs.dispatch"],
         ["complaints.review", "accounts.add_user", "backups.restore", "exchange.import_file"]),
        (Role.MANAGER, ["complaints.review", "exchange.export_file", "exchange.import_file",
                        "accounts.unlock", "backups.backup_now"],
         ["backups.restore", "accounts.add_user", "accounts.set_roles"]),
        (Role.ADMIN, ["accounts.add_user", "accounts.set_roles", "backups.restore",
                      "reference.set_categories", "households.import_file"],
         ["complaints.register", "repairs.register", "complaints.judge", "repairs.dispatch",
          "exchange.export_file"]),
    ],
    ids=lambda v: v.value if isinstance(v, Role) else "",
)  # fmt: skip
def test_key_rows_of_the_matrix(
    services: Services, role: Role, may: list[str], may_not: list[str]
) -> None:
    for action, permission in KEY_ACTIONS.items():
        service, method = action.split(".")
        assert guarded_methods(getattr(services, service))[method] == permission, action
    signed_in(services, frozenset({role}))
    for action in may:
        assert outcome(services, *action.split(".")) == "called", f"{role.label} {action}"
    for action in may_not:
        assert outcome(services, *action.split(".")) == "refused", f"{role.label} {action}"


@pytest.mark.parametrize(
    ("role", "void", "unmask", "settings"),
    [
        (Role.CLERK, False, False, False),
        (Role.HANDLER, False, False, False),
        (Role.MANAGER, True, True, False),
        (Role.ADMIN, False, False, True),
    ],
    ids=lambda v: v.value if isinstance(v, Role) else "",
)
def test_void_unmask_and_settings(
    services: Services, role: Role, void: bool, unmask: bool, settings: bool
) -> None:
    signed_in(services, frozenset({role}))
    session = services.session
    assert session.can(Permission.VOID) == void
    assert session.can(Permission.UNMASK) == unmask
    assert session.can(Permission.SETTINGS) == settings
    assert session.show_phone("13812345678") == ("13812345678" if unmask else "138****5678")


# ----- work the app does on a user's behalf must not depend on that user's roles


@pytest.mark.parametrize("role", [Role.CLERK, Role.HANDLER, None], ids=["clerk", "handler", "none"])
def test_the_daily_backup_runs_whoever_is_signed_in(services: Services, role: Role | None) -> None:
    if role is None:
        services.accounts.sign_out()
    else:
        signed_in(services, frozenset({role}))
    result = services.backups.run_scheduled()
    assert result is not None and result.info.path.exists()


def test_an_administrator_imports_without_the_permission_to_register(
    services: Services, tmp_path: Path
) -> None:
    """Import needs IMPORT (and makes a backup first), not REGISTER: the admin holds the one
    and not the other, so nothing the import calls on the way may ask for more."""
    files = {
        "complaints.csv": "登记时间,投诉人,投诉内容,紧急程度\n2026-11-01 09:00,张三,漏水,不紧急\n",
        "repairs.csv": "报修时间,故障描述,房号,类别\n2026-11-01 09:00,漏水,3-2-1201,给排水\n",
        "households.csv": "栋,单元,房号,业主姓名\n3,2,1201,张三\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    signed_in(services, frozenset({Role.ADMIN}))
    assert services.exchange.import_file(tmp_path / "complaints.csv").imported == 1
    assert services.repair_exchange.import_file(tmp_path / "repairs.csv").imported == 1
    assert services.households.import_file(tmp_path / "households.csv").imported == 1
    assert len(services.backups.backups()) == 3  # one before each import
