"""`estate-office setup` (the first administrator) and `estate-office user …` (用户管理)."""

from __future__ import annotations

import argparse

from app.cli_parser import NEW_PASSWORD_VAR, PASSWORD_VAR
from app.cli_signin import new_password
from app.domain.access import Permission, roles_text
from app.domain.errors import WorkflowError
from app.services import Services
from app.store.users import User


def setup(services: Services, args: argparse.Namespace) -> None:
    """Create the first administrator: refused once any user exists."""
    if not services.accounts.needs_setup():  # checked before asking for the password
        raise WorkflowError(
            "已经有用户了：setup 只用于新的数据文件夹；添加用户请用 estate-office user add"
        )
    user = services.accounts.setup_admin(
        args.admin, new_password(PASSWORD_VAR), extra_roles=args.role or ()
    )
    print(f"已创建管理员“{user.name}”，角色：{roles_text(user.roles)}")


def user_command(services: Services, args: argparse.Namespace) -> None:
    accounts = services.accounts
    if args.action == "list":
        _print_users(services, accounts.users())
    elif args.action == "add":
        services.session.require(Permission.USERS)  # before asking for the new password
        user = accounts.add_user(args.name, new_password(NEW_PASSWORD_VAR), args.role)
        print(f"已添加用户“{user.name}”，角色：{roles_text(user.roles)}")
    elif args.action == "passwd":
        services.session.require(Permission.USERS)
        user = accounts.reset_password(args.name, new_password(NEW_PASSWORD_VAR))
        print(f"已重设用户“{user.name}”的密码")
    elif args.action == "unlock":
        print(f"已解锁用户“{accounts.unlock(args.name).name}”")
    else:
        user = accounts.set_active(args.name, args.action == "enable")
        print(f"已{'启用' if user.active else '停用'}用户“{user.name}”")


def _print_users(services: Services, users: list[User]) -> None:
    now = services.accounts.clock()
    print("用户名\t角色\t状态\t锁定到")
    for u in users:
        locked = (
            f"{u.locked_until:%Y-%m-%d %H:%M}" if u.locked_until and u.locked_until > now else ""
        )
        print(f"{u.name}\t{roles_text(u.roles)}\t{'在用' if u.active else '已停用'}\t{locked}")
