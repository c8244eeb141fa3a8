"""恢复: restoring a backup over the database, and the start-up recovery of a damaged file.

Nothing here ever overwrites a database file. A restore or a recovery first moves the current
file aside: a file that still opens becomes `backups/estate-<stamp>-replaced.db` (itself a
backup one can go back to, kept two years); one that does not open, with its -wal/-shm, goes
byte for byte to `backups/corrupt/estate-<stamp>-corrupt.db`, which nothing deletes.

A backup whose audit trail (审计日志) does not verify is restored all the same, with a warning
before (`BackupService.verify` puts it in the backup's `notes`) and after (`RestoreResult.lines`):
it is the database as it was when the backup was taken, the broken trail comes back with it,
and `check` goes on naming the rows. Refusing it could leave the office with no data at all.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.db import audit
from app.db.backup import copy_pages, fsync_folder
from app.db.backup_files import (
    BackupError,
    BackupInfo,
    Stop,
    free_backup_path,
    integrity_problems,
    open_read_only,
    read_backup,
    record_counts,
    scan_backups,
    verify_backup,
)
from app.db.migrations import SCHEMA_VERSION
from app.db.startup_check import HealthReport
from app.paths import DataDir
from app.services.trail_check import trail_warnings

CORRUPT_FOLDER = "corrupt"
IN_USE = "数据库仍在使用中（本程序的窗口或其他程序还开着它），请全部关闭后再恢复"
_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    restored: BackupInfo
    set_aside: Path | None  # the file that was there before; None when there was none
    trail: tuple[str, ...] = ()  # what is wrong with the restored audit trail, if anything

    def lines(self) -> list[str]:
        lines = [f"已从备份恢复：{self.restored.summary()}", *self.trail]
        if self.set_aside is not None:
            lines.append(f"原数据库已另存为 {self.set_aside}（未删除）")
        return lines


@dataclass(frozen=True)
class RecoveryReport:
    """What the start-up check found. `state`: "ok", "missing" (no database file) or "corrupt"
    (set aside already). `offer` is the newest backup that verified, to restore only if the
    user agrees; `rejected` names the backups that did not verify and why."""

    database: Path
    state: str
    problem: str = ""
    set_aside: Path | None = None
    offer: BackupInfo | None = None
    rejected: tuple[tuple[Path, str], ...] = field(default=())

    @property
    def needs_attention(self) -> bool:
        return self.state == "corrupt" or self.offer is not None

    def lines(self) -> list[str]:
        lines: list[str] = []
        if self.state == "corrupt":
            lines.append(f"数据库文件已损坏：{self.problem}")
            lines.append(f"已将损坏的文件原样移到 {self.set_aside}")
        elif self.state == "missing" and self.offer is not None:
            lines.append(f"找不到数据库文件 {self.database}，但有备份")
        if self.offer is not None:
            lines.append(f"可以从最新的完好备份恢复：{self.offer.summary()}")
        elif self.state == "corrupt":
            lines.append("没有找到可用的备份")
        lines += [f"跳过 {path.name}：{why}" for path, why in self.rejected]
        return lines


def verify_for_restore(path: Path, stop: Stop | None = None) -> BackupInfo:
    """A full check of a backup, refusing one written by a newer app. Raises BackupError."""
    info = verify_backup(path, stop)
    if info.schema_version > SCHEMA_VERSION:
        raise BackupError(
            f"备份 {path.name} 来自更新版本的程序（数据库版本 {info.schema_version}），"
            "请先安装新版程序"
        )
    return info


def restore_file(
    data_dir: DataDir,
    backup_path: Path,
    now: datetime,
    *,
    trail: tuple[str, ...] | None = None,
    actor: str = "系统",
) -> RestoreResult:
    """Replace the data folder's database with a copy of `backup_path`.

    The database must be closed: every connection, in this process and any other (a
    connection still open makes this raise BackupError and change nothing). The backup is
    copied through the backup API into `estate.db.restoring` and checked (integrity, counts,
    version); only then is the current file checkpointed and moved aside (never overwritten)
    and the copy renamed into its place. An older schema is migrated on the next open. A
    broken audit trail does not stop the restore: the result's `trail` says what is wrong
    (pass `trail` when `trail_warnings` of this backup is already known, to skip reading it).
    The restored file's audit trail gets a `restore` entry naming `actor` and the backup.
    """
    backup_path = Path(backup_path)
    info = read_backup(backup_path)
    if info.schema_version > SCHEMA_VERSION:
        verify_for_restore(backup_path)  # raises with the message
    database = data_dir.database
    if database.exists() and backup_path.resolve() == database.resolve():
        raise BackupError("不能用当前的数据库文件恢复它自己")
    data_dir.ensure()
    incoming = database.with_name(database.name + ".restoring")
    incoming.unlink(missing_ok=True)
    try:
        with closing(open_read_only(backup_path)) as source:
            copy_pages(source, incoming)
        _check_restored(incoming, info)
        if trail is None:
            trail = trail_warnings(incoming)
        taken = f"{info.taken_at:%Y-%m-%d %H:%M}"  # who restored which backup, in its trail
        details: dict[str, object] = {"from": str(backup_path), "taken_at": taken}
        audit.note_in_file(incoming, actor, now, "restore", "backups", details)
        set_aside = set_aside_current(data_dir, now)
        try:
            os.replace(incoming, database)
        except OSError:
            if set_aside is not None and set_aside.parent == data_dir.backups:
                os.replace(set_aside, database)  # put the old file back
            raise
    except sqlite3.Error as e:
        raise BackupError(f"恢复失败，数据库未改动：{e}") from e
    finally:
        with suppress(OSError):
            incoming.unlink()
    fsync_folder(database.parent)
    return RestoreResult(database, info, set_aside, trail)


def set_aside_current(data_dir: DataDir, now: datetime) -> Path | None:
    """Move the closed database out of the way, keeping it; returns where it went.

    A file that opens is checkpointed, switched to a single file, and becomes the backup
    `estate-<stamp>-replaced.db`; one that does not goes as it is (with its -wal/-shm) to
    backups/corrupt/. Raises BackupError if anything still has it open."""
    database = data_dir.database
    if not database.exists():
        _move_side_files(database, data_dir.backups / CORRUPT_FOLDER, "orphan", now)
        return None
    try:
        with closing(_open_read_write(database)) as conn:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.Error as e:
        if _is_busy(e):
            raise BackupError(IN_USE) from e
        return move_aside_corrupt(data_dir, now)
    if busy or str(mode).lower() != "delete":
        raise BackupError(IN_USE)
    data_dir.backups.mkdir(parents=True, exist_ok=True)
    target = free_backup_path(data_dir.backups, "replaced", now)
    os.replace(database, target)
    _move_side_files(database, data_dir.backups, "replaced", now, main=target)
    fsync_folder(data_dir.backups)
    return target


def move_aside_corrupt(data_dir: DataDir, now: datetime) -> Path:
    """Move the database and its -wal/-shm, byte for byte, to backups/corrupt/."""
    folder = data_dir.backups / CORRUPT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = free_backup_path(folder, "corrupt", now)
    os.replace(data_dir.database, target)
    _move_side_files(data_dir.database, folder, "corrupt", now, main=target)
    fsync_folder(folder)
    fsync_folder(data_dir.database.parent)
    return target


def recover_corrupt(
    data_dir: DataDir,
    now: datetime,
    *,
    second_folder: Path | None = None,
    health: HealthReport | None = None,
) -> RecoveryReport:
    """The start-up check, before the database is opened.

    `health` is the guard's check of this file (`open_guard(...).health`), made moments ago
    under the instance lock: pass it and the file is not read again. Without it, a
    `PRAGMA quick_check` runs on a read-only connection (a WAL left by a power cut is read,
    not changed). A file that fails the check or does not open as SQLite — or is empty while
    backups exist — is moved aside (see `move_aside_corrupt`), and the newest backup that
    passes a full check is offered, not restored: call `restore_file` when the user agrees.
    """
    database = data_dir.database
    folders = [data_dir.backups, *([second_folder] if second_folder is not None else [])]
    if not database.exists():
        offer, rejected = newest_good_backup(folders)
        return RecoveryReport(database, "missing", offer=offer, rejected=rejected)
    problem = _problem(database, folders, health)
    if problem is None:
        return RecoveryReport(database, "ok")
    set_aside = move_aside_corrupt(data_dir, now)
    offer, rejected = newest_good_backup(folders)
    return RecoveryReport(database, "corrupt", problem, set_aside, offer, rejected)


def newest_good_backup(
    folders: Sequence[Path],
) -> tuple[BackupInfo | None, tuple[tuple[Path, str], ...]]:
    """The newest backup that passes a full check, and those newer that did not."""
    scans = [scan_backups(folder) for folder in folders]
    rejected = [u for scan in scans for u in scan.unreadable]
    candidates = sorted((b for s in scans for b in s.backups), key=lambda b: b.taken_at)
    for info in reversed(candidates):
        try:
            return verify_for_restore(info.path), tuple(rejected)
        except BackupError as e:
            rejected.append((info.path, str(e)))
    return None, tuple(rejected)


def _is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _check_restored(incoming: Path, info: BackupInfo) -> None:
    with closing(open_read_only(incoming)) as conn:
        problems = integrity_problems(conn)
        if problems:
            raise BackupError(f"备份 {info.path.name} 已损坏，未恢复：{problems[0]}")
        counts = record_counts(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if counts != info.counts or version != info.schema_version:
        raise BackupError(f"恢复的副本与备份 {info.path.name} 不符，未恢复")


def _problem(database: Path, folders: Sequence[Path], health: HealthReport | None) -> str | None:
    """None when the file is a sound database; else what is wrong with it."""
    if database.stat().st_size == 0:
        if any(scan.backups for scan in map(scan_backups, folders)):
            return "文件是空的（0 字节），而已有备份"
        return None  # a first start cut short: nothing was ever in it
    if health is not None:
        return health.damage or None
    try:
        with closing(open_read_only(database)) as conn:
            problems = integrity_problems(conn, quick=True)
    except sqlite3.Error as e:
        if _is_busy(e):
            raise BackupError("数据库正被其他程序占用，无法检查") from e
        return f"无法作为数据库打开（{e}）"
    return "完整性检查未通过：" + "；".join(problems[:3]) if problems else None


def _move_side_files(
    database: Path, folder: Path, reason: str, now: datetime, *, main: Path | None = None
) -> None:
    """Take the -wal/-shm/-journal along (a stale WAL must never meet a new database file)."""
    sides = [database.with_name(database.name + s) for s in _SIDE_FILES]
    if not any(side.exists() for side in sides):
        return
    folder.mkdir(parents=True, exist_ok=True)
    main = main or free_backup_path(folder, reason, now)
    for suffix, side in zip(_SIDE_FILES, sides, strict=True):
        if side.exists():
            os.replace(side, main.with_name(main.name + suffix))


def _open_read_write(path: Path) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=2.0)
    conn.execute("PRAGMA busy_timeout = 2000")
    return conn
