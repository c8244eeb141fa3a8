"""`estate-office` / `python -m app`: the window by default, plus headless commands.

estate-office [--data-dir DIR] import households|complaints|repairs FILE
estate-office [--data-dir DIR] export complaints|repairs -o FILE
estate-office [--data-dir DIR] print complaint|transfer|notice|workorder NO -o FILE.pdf [--blank]
estate-office [--data-dir DIR] backup [-o FILE] | restore FILE | check
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app.db.migrations import DatabaseTooNewError
from app.domain.errors import ValidationError, WorkflowError
from app.io.tabular import TableError
from app.paths import DataDir
from app.services import (
    AlreadyRunningError,
    LocationRefusedError,
    Services,
    StorageError,
    open_guard,
    open_services,
)
from app.services.backups import (
    check_database,
    recover_corrupt,
    restore_file,
    verify_for_restore,
)
from app.services.clock import system_clock
from app.services.importing import ImportFailedError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="estate-office", description="物业管理处办公系统")
    parser.add_argument("--data-dir", type=Path, help="数据文件夹（数据库为 DIR/estate.db）")
    commands = parser.add_subparsers(dest="command")
    imp = commands.add_parser("import", help="从 CSV/XLSX 导入（全部成功才写入）")
    imp.add_argument("register", choices=("households", "complaints", "repairs"))
    imp.add_argument("file", type=Path)
    exp = commands.add_parser("export", help="导出为 CSV/XLSX")
    exp.add_argument("register", choices=("complaints", "repairs"))
    exp.add_argument("-o", "--output", type=Path, required=True)
    prt = commands.add_parser("print", help="打印表单为 PDF")
    prt.add_argument("form", choices=("complaint", "transfer", "notice", "workorder"))
    prt.add_argument("no", nargs="?", help="编号（--blank 时不填）")
    prt.add_argument("-o", "--output", type=Path, required=True)
    prt.add_argument("--blank", action="store_true", help="打印空白表单")
    bak = commands.add_parser("backup", help="立即备份（经校验后保存）")
    bak.add_argument("-o", "--output", type=Path, help="备份文件（默认存入数据文件夹的 backups）")
    res = commands.add_parser("restore", help="从备份恢复（当前文件另存，不覆盖）")
    res.add_argument("file", type=Path)
    commands.add_parser("check", help="检查数据库完整性和备份；有问题时退出码非零")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = DataDir(args.data_dir)
    if args.command is None:
        return _start_window(data_dir)
    if args.command == "print" and bool(args.no) == bool(args.blank):
        parser.error("请给出编号，或用 --blank 打印空白表单（二者选一）")
    data_dir.ensure()
    try:  # one copy of the program per data folder, on this PC's own disk
        guard = open_guard(data_dir.root, data_dir.database)
    except (LocationRefusedError, AlreadyRunningError) as e:
        print(str(e), file=sys.stderr)
        return EXIT_FAILED
    try:
        if guard.location.warn:
            print(guard.location.message, file=sys.stderr)
        if args.command in ("check", "restore"):
            return _maintenance(data_dir, args)
        return _command(data_dir, args)
    finally:
        guard.close()


def _command(data_dir: DataDir, args: argparse.Namespace) -> int:
    recovery = recover_corrupt(data_dir, system_clock())
    if recovery.needs_attention:
        print("\n".join(recovery.lines()), file=sys.stderr)
        print("请先用 estate-office restore 备份文件 恢复，再执行此命令。", file=sys.stderr)
        return EXIT_FAILED
    try:
        services = open_services(data_dir)
    except DatabaseTooNewError as e:
        print(str(e), file=sys.stderr)
        return EXIT_FAILED
    try:
        return _run(services, args)
    except ImportFailedError as e:
        print(e.report.summary(), file=sys.stderr)
    except (TableError, ValidationError, WorkflowError, StorageError, OSError) as e:
        print(f"错误：{e}", file=sys.stderr)
    finally:
        services.close()
    return EXIT_FAILED


def _run(services: Services, args: argparse.Namespace) -> int:
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
            count = services.repair_exchange.export_file(args.output)
            print(f"已导出 {count} 条维修记录到 {args.output}")
        else:
            count = services.exchange.export_file(args.output)
            print(f"已导出 {count} 条投诉记录到 {args.output}")
    elif args.command == "print":
        pdf = _form_pdf(services, args.form, None if args.blank else args.no)
        services.printing.save(pdf, args.output)
        print(f"已保存 {args.output}")
    elif args.command == "backup":
        print("\n".join(services.backups.backup_now(target=args.output).lines()))
    return EXIT_OK


def _maintenance(data_dir: DataDir, args: argparse.Namespace) -> int:
    """check and restore work on the closed database file, even a damaged one."""
    now = system_clock()
    try:
        if args.command == "check":
            report = check_database(data_dir, now)
            print("\n".join(report.lines()))
            return EXIT_OK if report.ok else EXIT_FAILED
        print(f"恢复：{verify_for_restore(args.file).summary()}")
        print("\n".join(restore_file(data_dir, args.file, now).lines()))
    except OSError as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


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


if __name__ == "__main__":
    sys.exit(main())
