"""`estate-office check` and `restore FILE`: they also work when the database is damaged.

Who runs them is checked against the data folder's database while it is sound. When it is
missing, empty, damaged or from a newer version, nobody can be checked there, so the check is
made against a backup instead, read-only (a wrong password there is not counted):
`restore FILE` against FILE itself, `check` against the newest backup that verifies. A backup
from before accounts has no users to check against, and the command goes ahead.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from app.cli_signin import NO_USERS, NotSignedIn, sign_in, sign_in_to_file
from app.db.startup_check import HealthReport
from app.domain.access import Permission
from app.paths import DataDir
from app.services import DatabaseTooNewError, Services, open_services
from app.services.backups import (
    RestoreResult,
    check_database,
    newest_good_backup,
    restore_file,
    verify_for_restore,
)
from app.services.clock import system_clock

NO_GOOD_BACKUP = (
    "数据库不存在或已损坏，又没有完好的备份可用来核对用户：请用 estate-office restore 备份文件 恢复"
)
NOT_CHECKED = "提示：备份中没有用户（来自启用账户之前），未核对身份"


def maintenance(data_dir: DataDir, args: argparse.Namespace, health: HealthReport) -> bool:
    """Run check or restore; False when check found a problem. `health`: the guard's start-up
    check of the database file."""
    now = system_clock()
    services = _open_if_sound(data_dir, health)
    if args.command == "check":
        return _check(data_dir, services, now)
    _restore(data_dir, services, args.file, now)
    return True


def _check(data_dir: DataDir, services: Services | None, now: datetime) -> bool:
    if services is None:
        newest, rejected = newest_good_backup([data_dir.backups])
        if newest is None:
            never_used = not data_dir.database.exists() and not rejected
            raise NotSignedIn(NO_USERS if never_used else NO_GOOD_BACKUP)
        _signed_in_to(newest.path, Permission.VIEW)
        report = check_database(data_dir, now)
    else:
        try:
            sign_in(services)
            report = services.backups.check()
        finally:
            services.close()
    print("\n".join(report.lines()))
    return report.ok


def _restore(data_dir: DataDir, services: Services | None, backup: Path, now: datetime) -> None:
    restore: Callable[[], RestoreResult]
    if services is None:
        _signed_in_to(backup, Permission.RESTORE)
        restore = partial(restore_file, data_dir, backup, now)
    else:
        restore = partial(services.backups.restore, backup)  # made while the database is open
        try:
            sign_in(services)
            services.session.require(Permission.RESTORE)
        finally:
            services.close()  # restoring needs every connection closed
    print(f"恢复：{verify_for_restore(backup).summary()}")
    print("\n".join(restore().lines()))


def _signed_in_to(backup: Path, permission: Permission) -> None:
    if not sign_in_to_file(backup, permission):
        print(NOT_CHECKED)


def _open_if_sound(data_dir: DataDir, health: HealthReport) -> Services | None:
    """The data folder's services, unless its database is missing, empty, damaged or newer."""
    database = data_dir.database
    if health.damage or not database.exists() or database.stat().st_size == 0:
        return None
    try:
        return open_services(data_dir)
    except DatabaseTooNewError:
        return None
