"""Running a command given on the command line (app/cli.py reads it, app/cli_parser.py
defines it): the folder guard, sign-in, the command, and its exit code."""

from __future__ import annotations

import argparse
import sys

from app import cli_maintenance, cli_users
from app.cli_parser import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, MAINTENANCE
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


def run_command(data_dir: DataDir, args: argparse.Namespace) -> int:
    """The command in `args` on `data_dir`; its exit code."""
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
