"""`estate-office setup` (the first administrator) and `estate-office user …` (用户管理)."""

from __future__ import annotations

import argparse

from app.cli_signin import NEW_PASSWORD_VAR, PASSWORD_VAR, new_password
from app.domain.access import Permission, Role, parse_role, roles_text
from app.domain.errors import WorkflowError
from app.services import Services
from app.store.users import User

SETUP_HELP = (
    "在新的数据文件夹上创建首个管理员（已有用户时拒绝）。"
    f"密码取自环境变量 {PASSWORD_VAR}，否则在终端里输入两次。"
)
ROLE_CHOICES = " ".join(f"{r.value}（{r.label}）" for r in Role)
NEW_PASSWORD_HELP = f"新密码取自环境变量 {NEW_PASSWORD_VAR}，否则在终端里输入两次。"


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    setup = commands.add_parser("setup", help="创建首个管理员", description=SETUP_HELP)
    setup.add_argument("--admin", required=True, metavar="用户名", help="管理员的用户名")
    _role_option(setup, "另外再给的角色（可多次给出）", required=False)

    user = commands.add_parser("user", help="管理用户（需要相应权限）")
    actions = user.add_subparsers(dest="action", required=True, metavar="操作")
    add = actions.add_parser("add", help="添加用户", description="添加用户。" + NEW_PASSWORD_HELP)
    add.add_argument("name", metavar="用户名")
    _role_option(add, "角色（可多次给出）", required=True)
    actions.add_parser("list", help="列出用户：角色、是否在用、锁定到何时")
    for action, text in (
        ("unlock", "解锁因输错密码而锁定的用户"),
        ("disable", "停用用户（不再能登录，记录保留）"),
        ("enable", "重新启用用户"),
    ):
        actions.add_parser(action, help=text).add_argument("name", metavar="用户名")
    passwd = actions.add_parser(
        "passwd", help="重设用户的密码", description="管理员重设用户的密码。" + NEW_PASSWORD_HELP
    )
    passwd.add_argument("name", metavar="用户名")


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


def _role_option(parser: argparse.ArgumentParser, text: str, *, required: bool) -> None:
    parser.add_argument(
        "--role",
        action="append",
        type=_role,
        required=required,
        metavar="角色",
        help=f"{text}，写代码或名称均可： {ROLE_CHOICES}",
    )


def _role(text: str) -> Role:
    try:
        return parse_role(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
