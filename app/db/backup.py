"""Copies of the live database through SQLite's backup API (never a file copy), each verified
before it is kept. Reading backups back (names, `BackupInfo`, the folder scan) is
`app.db.backup_files`; its names are importable from here too.

A copy is taken inside one read transaction on its own connection: the record counts are read
in that transaction and the backup API copies the same snapshot (WAL keeps it fixed while the
office goes on writing). The copy is written to `<name>.partial`, switched to a single-file
journal mode, flushed to disk, opened again and checked — `PRAGMA integrity_check`, the schema
version, the record counts against the snapshot's, `PRAGMA foreign_key_check` — and only then
renamed to `estate-YYYYmmdd-HHMMSS-<reason>.db`. A copy that fails is deleted and `BackupError`
raised; an existing file is never overwritten.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.db.backup_files import (
    COUNT_LABELS,
    NAME_PATTERN,
    REASON_LABELS,
    RECORD_TABLES,
    BackupError,
    BackupInfo,
    BackupScan,
    backup_name,
    format_counts,
    free_backup_path,
    integrity_problems,
    list_backups,
    open_read_only,
    parse_backup_name,
    read_backup,
    reason_label,
    record_counts,
    scan_backups,
    verify_backup,
)

if TYPE_CHECKING:
    from app.db.connection import Database

__all__ = [
    "COUNT_LABELS",
    "NAME_PATTERN",
    "PARTIAL_SUFFIX",
    "REASON_LABELS",
    "RECORD_TABLES",
    "BackupError",
    "BackupInfo",
    "BackupScan",
    "backup_name",
    "backup_to",
    "copy_pages",
    "copy_verified",
    "format_counts",
    "free_backup_path",
    "fsync_file",
    "fsync_folder",
    "integrity_problems",
    "list_backups",
    "make_backup",
    "open_read_only",
    "parse_backup_name",
    "read_backup",
    "reason_label",
    "record_counts",
    "scan_backups",
    "verify_backup",
]

PARTIAL_SUFFIX = ".partial"


def make_backup(database: Database, folder: Path, reason: str, now: datetime) -> BackupInfo:
    """Back up the open database into `folder` as estate-<now>-<reason>.db, verified.

    Reads through a connection of its own, so it may run on a worker thread while the
    owner thread goes on writing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(folder)
    target = free_backup_path(folder, reason, now)
    if database.path is None:
        counts, version, notes = copy_verified(database.conn, target)
    else:
        with closing(open_read_only(database.path)) as source:
            counts, version, notes = copy_verified(source, target)
    return BackupInfo(target, now, reason, version, counts, target.stat().st_size, notes)


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """Write a verified copy of `conn`'s database to `target`, or beside it when that name is
    taken (migrations call this before changing the schema). Returns the file written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    parsed = parse_backup_name(target.name)
    if target.exists() and parsed is not None:
        target = free_backup_path(target.parent, parsed[1], parsed[0])
    copy_verified(conn, target)
    return target


def copy_verified(
    source: sqlite3.Connection, target: Path
) -> tuple[dict[str, int], int, tuple[str, ...]]:
    """Copy `source` to the new file `target`; returns the snapshot's counts, schema version
    and notes. Raises BackupError (and leaves nothing behind) if the copy does not verify."""
    if target.exists():
        raise BackupError(f"文件已存在，不会覆盖：{target}")
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    partial.unlink(missing_ok=True)
    try:
        with _read_transaction(source):
            counts = record_counts(source)  # the first read fixes the snapshot
            version = int(source.execute("PRAGMA user_version").fetchone()[0])
            copy_pages(source, partial)
            notes = _verify_copy(partial, counts, version, source)
        os.replace(partial, target)
    except sqlite3.Error as e:
        partial.unlink(missing_ok=True)
        raise BackupError(f"备份失败：{e}") from e
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)
    return counts, version, notes


def fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open a folder and needs no help."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


@contextmanager
def _read_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction (joining the caller's if one is open)."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def copy_pages(source: sqlite3.Connection, dest_path: Path) -> None:
    """The backup API from `source` into the new file `dest_path`, left in rollback-journal
    mode (one self-contained file, readable on write-protected media) and flushed to disk."""
    dest = sqlite3.connect(str(dest_path), isolation_level=None)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    fsync_file(dest_path)


def _verify_copy(
    copy: Path, counts: dict[str, int], version: int, source: sqlite3.Connection
) -> tuple[str, ...]:
    with closing(open_read_only(copy)) as conn:
        problems = integrity_problems(conn)
        if problems:
            raise BackupError(f"备份校验失败（完整性检查）：{problems[0]}；当前数据库可能已损坏")
        copied_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if copied_version != version:
            raise BackupError(f"备份校验失败：版本号 {copied_version} ≠ {version}")
        copied = record_counts(conn)
        if copied != counts:
            raise BackupError(
                f"备份校验失败：记录数不符（备份：{format_counts(copied)}；"
                f"数据库：{format_counts(counts)}）"
            )
        broken_links = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    if not broken_links:
        return ()
    # The copy may only carry what the live file already had (same snapshot).
    in_source = len(source.execute("PRAGMA foreign_key_check").fetchall())
    if in_source != broken_links:
        raise BackupError(f"备份校验失败：外键检查发现 {broken_links} 处不一致")
    return (f"当前数据库有 {broken_links} 处记录引用不一致（外键检查），备份如实保留",)


def _remove_stale_partials(folder: Path) -> None:
    """Half-written copies left by a power cut: any an hour old (none is written that long)."""
    for partial in folder.glob(f"estate-*.db{PARTIAL_SUFFIX}"):
        with suppress(OSError):
            if time.time() - partial.stat().st_mtime > 3600:
                partial.unlink()
