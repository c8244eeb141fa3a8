"""`estate-office` / `python -m app`: the window by default, plus headless commands.

estate-office [--data-dir DIR] setup --admin NAME [--role ROLE ...]
estate-office [--data-dir DIR] user add NAME --role ROLE [--role ROLE ...] | list
estate-office [--data-dir DIR] user unlock|passwd|disable|enable NAME
estate-office [--data-dir DIR] import households|complaints|repairs FILE
estate-office [--data-dir DIR] export complaints|repairs -o FILE [--unmasked]
estate-office [--data-dir DIR] print complaint|transfer|notice|workorder NO -o FILE.pdf [--blank]
estate-office [--data-dir DIR] backup [-o FILE] | restore FILE | check
estate-office [--data-dir DIR] retention [--years N] [--run]

Every command but `setup` signs in first (app/cli_signin.py) and does nothing without a user
who may do it. With no command the window opens; it asks for the user itself.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app import cli_maintenance, cli_users
from app.cli_signin import NotSignedIn, sign_in
from app.db.migrations import DatabaseTooNewError
from app.db.startup_check import HealthReport
from app.domain.access import PermissionDeniedError
from app.domain.errors import ValidationError, WorkflowError
from app.io.tabular import TableError
from app.paths import DataDir
from app.services import (
    AlreadyRunningError,
    LocationRefusedError,
    Services,
    SignInError,
    StorageError,
    open_guard,
    open_services,
)
from app.services.backups import recover_corrupt
from app.services.clock import system_clock
from app.services.importing import ImportFailedError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REFUSED = 0, 1, 2, 3
"""EXIT_REFUSED: nobody signed in, or the user lacks the permission; nothing was done."""
MAINTENANCE = ("check", "restore")


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
    cli_users.add_parsers(commands)
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
    cli_maintenance.add_parsers(commands)
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = DataDir(args.data_dir)
    if args.selftest:
        return _selftest()
    if args.startup_probe:
        from ui.application import startup_probe

        return int(startup_probe(data_dir, bare=args.bare))
    if args.command is None:
        return _start_window(data_dir)
    if args.command == "print" and bool(args.no) == bool(args.blank):
        parser.error("请给出编号，或用 --blank 打印空白表单（二者选一）")
    data_dir.ensure()
    try:  # one copy of the program per data folder, on this PC's own disk
        guard = open_guard(data_dir.root, data_dir.database)
    except (LocationRefusedError, AlreadyRunningError) as e:
        return _tell(str(e), EXIT_FAILED)
    try:
        if guard.location.warn:
            print(guard.location.message, file=sys.stderr)
        if args.command in MAINTENANCE:
            ok = cli_maintenance.maintenance(data_dir, args, guard.health)
            return EXIT_OK if ok else EXIT_FAILED
        return _command(data_dir, args, guard.health)
    except SignInError as e:
        return _tell(f"登录失败：{e}", EXIT_REFUSED)
    except (NotSignedIn, PermissionDeniedError) as e:
        return _tell(str(e), EXIT_REFUSED)
    except DatabaseTooNewError as e:
        return _tell(str(e), EXIT_FAILED)
    except ImportFailedError as e:
        return _tell(e.report.summary(), EXIT_FAILED)
    except (TableError, ValidationError, WorkflowError, StorageError, OSError) as e:
        return _tell(f"错误：{e}", EXIT_FAILED)
    finally:
        guard.close()


def _tell(message: str, exit_code: int) -> int:
    print(message, file=sys.stderr)
    return exit_code


def _command(data_dir: DataDir, args: argparse.Namespace, health: HealthReport) -> int:
    """The start-up recovery of a damaged database (from the guard's check of the file), then
    the command on the open database."""
    recovery = recover_corrupt(data_dir, system_clock(), health=health)
    if recovery.needs_attention:
        lines = [*recovery.lines(), "请先用 estate-office restore 备份文件 恢复，再执行此命令。"]
        return _tell("\n".join(lines), EXIT_FAILED)
    services = open_services(data_dir)
    try:
        if args.command == "setup":
            cli_users.setup(services, args)
        else:
            sign_in(services)
            if args.command == "user":
                cli_users.user_command(services, args)
            else:
                _run(services, args)
    finally:
        services.close()
    return EXIT_OK


def _run(services: Services, args: argparse.Namespace) -> None:
    if args.command == "import":
        if args.register == "complaints":
            report = services.exchange.import_file(args.file)
        elif args.register == "repairs":
            report = services.repair_exchange.import_file(args.file)
        else:
            report = services.households.import_file(args.file)
        print(report.summary())
    elif args.command == "export":
        if args.register == "repairs":
            count = services.repair_exchange.export_file(args.output, unmasked=args.unmasked)
            print(f"已导出 {count} 条维修记录到 {args.output}")
        else:
            count = services.exchange.export_file(args.output, unmasked=args.unmasked)
            print(f"已导出 {count} 条投诉记录到 {args.output}")
    elif args.command == "print":
        pdf = _form_pdf(services, args.form, None if args.blank else args.no)
        services.printing.save(pdf, args.output)
        print(f"已保存 {args.output}")
    elif args.command == "backup":
        print("\n".join(services.backups.backup_now(target=args.output).lines()))
    elif args.command == "retention":
        _retention(services, years=args.years, run=args.run)


def _retention(services: Services, *, years: int | None, run: bool) -> None:
    if years is not None:
        services.settings.set_retention_years(years)
        print(f"保存期限已改为 {years} 年")
    plan = services.retention.run() if run else services.retention.preview()
    counts = f"投诉 {plan.complaints} 条、维修 {plan.repairs} 条"
    since = f"保存期限 {plan.years} 年，{plan.cutoff:%Y-%m-%d %H:%M} 之前办结的记录"
    if run:
        print(f"{since}：已匿名化{counts}")
    else:
        print(f"{since}：将匿名化{counts}（仅预览；加 --run 执行）")


def _form_pdf(services: Services, form: str, no: str | None) -> bytes:
    printing = services.printing
    if form == "complaint":
        return printing.complaint_pdf(None if no is None else services.complaints.get_by_no(no))
    if form == "transfer":
        return printing.transfer_pdf(no)
    if form == "workorder":
        return printing.work_order_pdf(None if no is None else services.repairs.get_by_no(no))
    return printing.notice_pdf(no)


def _start_window(data_dir: DataDir) -> int:
    # The command line is the composition root: the only place the core starts the UI.
    from ui.application import run

    return int(run(data_dir))


def _selftest() -> int:
    """app/selftest.py on a temporary folder; the window step builds the real main window."""
    from app import selftest
    from ui import application as window

    def open_window(services: Services) -> selftest.Window:
        window.make_application()
        bus = window.ChangeBus()  # type: ignore[attr-defined]  # ui.signals, through ui.application
        return window.build_main_window(services, bus)

    return EXIT_OK if selftest.run(open_window) else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
