"""What can be typed after `estate-office`: the options, commands and their help.

Kept apart from the commands themselves so that reading the command line costs no more than
argparse: the window and `--startup-probe` start without loading what the commands use.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.domain.access import Role, parse_role

USER_VAR = "ESTATE_OFFICE_USER"
PASSWORD_VAR = "ESTATE_OFFICE_PASSWORD"
NEW_PASSWORD_VAR = "ESTATE_OFFICE_NEW_PASSWORD"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REFUSED = 0, 1, 2, 3
"""EXIT_REFUSED: nobody signed in, or the user lacks the permission; nothing was done."""
MAINTENANCE = ("check", "restore")
"""Commands that also work when the database is missing or damaged (app/cli_maintenance.py)."""

SETUP_HELP = (
    "在新的数据文件夹上创建首个管理员（已有用户时拒绝）。"
    f"密码取自环境变量 {PASSWORD_VAR}，否则在终端里输入两次。"
)
ROLE_CHOICES = " ".join(f"{r.value}（{r.label}）" for r in Role)
NEW_PASSWORD_HELP = f"新密码取自环境变量 {NEW_PASSWORD_VAR}，否则在终端里输入两次。"


RESTORE_HELP = (
    "从备份恢复：先校验备份，当前数据库另存（不覆盖），再把备份复制进来。"
    "需要“从备份恢复”的权限（管理员）。数据库完好时在数据库里核对用户；"
    "数据库不存在或已损坏时，改用要恢复的备份文件里的用户和角色核对"
    "（只读，输错不计入锁定次数；备份来自启用账户之前、里面没有用户时不核对）。"
)
CHECK_HELP = (
    "检查数据库完整性和备份；有问题时退出码非零。"
    "数据库不存在或已损坏时，改用最新的完好备份里的用户核对身份。"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="estate-office",
        description="物业管理处办公系统。不给命令时打开窗口。",
        epilog=(
            "除 setup 外，每个命令先登录：用户名和密码取自环境变量 ESTATE_OFFICE_USER 和 "
            "ESTATE_OFFICE_PASSWORD（定时任务用），否则在终端里输入。退出码：0 成功，1 失败，"
            "2 用法错误，3 未能登录或没有权限（什么也没做）。"
        ),
    )
    parser.add_argument("--data-dir", type=Path, help="数据文件夹（数据库为 DIR/estate.db）")
    parser.add_argument(
        "--startup-probe",
        action="store_true",
        help="测量启动：打开窗口，投诉列表首次显示后打印 startup_ms=毫秒数 并退出（基准测试用）",
    )
    parser.add_argument(
        "--bare", action="store_true", help="与 --startup-probe 一起：只测一个空白 Qt 窗口"
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="自检：在临时文件夹里登记一条投诉、打印、导出、检查并打开主窗口；全部通过时退出码为 0"
        "（不动真实数据）",
    )
    commands = parser.add_subparsers(dest="command", metavar="命令")
    _user_parsers(commands)
    imp = commands.add_parser("import", help="从 CSV/XLSX 导入（全部成功才写入）")
    imp.add_argument("register", choices=("households", "complaints", "repairs"))
    imp.add_argument("file", type=Path)
    exp = commands.add_parser("export", help="导出为 CSV/XLSX")
    exp.add_argument("register", choices=("complaints", "repairs"))
    exp.add_argument("-o", "--output", type=Path, required=True)
    exp.add_argument(
        "--unmasked",
        action="store_true",
        help="导出完整电话号码（需要相应权限，记入审计记录；默认中间四位显示为 ****）",
    )
    prt = commands.add_parser("print", help="打印表单为 PDF")
    prt.add_argument("form", choices=("complaint", "transfer", "notice", "workorder"))
    prt.add_argument("no", nargs="?", help="编号（--blank 时不填）")
    prt.add_argument("-o", "--output", type=Path, required=True)
    prt.add_argument("--blank", action="store_true", help="打印空白表单")
    bak = commands.add_parser("backup", help="立即备份（经校验后保存）")
    bak.add_argument("-o", "--output", type=Path, help="备份文件（默认存入数据文件夹的 backups）")
    _maintenance_parsers(commands)
    ret = commands.add_parser(
        "retention",
        help="保存期限：将超过保存期限的已办结记录中的个人信息匿名化",
        description=(
            "已关闭或已作废的投诉和维修记录，办结后超过保存期限（默认 2 年）的，"
            "姓名、电话等个人信息将匿名化，统计数字不变。不加 --run 时只显示将处理多少条。"
            "需要“系统设置”的权限（管理员）。"
        ),
    )
    ret.add_argument(
        "--years", type=int, metavar="年数", help="先把保存期限改为该年数（至少 2 年）"
    )
    ret.add_argument("--run", action="store_true", help="执行匿名化（不可撤销）")
    return parser


def _user_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _maintenance_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    res = commands.add_parser(
        "restore", help="从备份恢复（当前文件另存，不覆盖）", description=RESTORE_HELP
    )
    res.add_argument("file", type=Path, metavar="备份文件")
    commands.add_parser(
        "check", help="检查数据库完整性和备份；有问题时退出码非零", description=CHECK_HELP
    )


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
