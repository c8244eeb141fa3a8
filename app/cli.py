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

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.cli_parser import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, build_parser
from app.paths import DataDir

if TYPE_CHECKING:
    from app.services import Services

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "main"]


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
    from app.cli_commands import run_command

    return run_command(data_dir, args)


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
