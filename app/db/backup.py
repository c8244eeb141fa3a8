"""Copies of the live database through SQLite's backup API (never a file copy), each verified
before it is kept, and read back for the restore list.

A copy is taken inside one read transaction on its own connection: the record counts are read
in that transaction and the backup API copies the same snapshot (WAL keeps it fixed while the
office goes on writing). The copy is written to `<name>.partial`, switched to a single-file
journal mode, flushed to disk, opened again and checked — `PRAGMA integrity_check`, the schema
version, the record counts against the snapshot's, `PRAGMA foreign_key_check` — and only then
renamed to `estate-YYYYmmdd-HHMMSS-<reason>.db`. A copy that fails is deleted and `BackupError`
raised; an existing file is never overwritten.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.db.connection import Database

log = logging.getLogger(__name__)

# The registers whose rows a backup must hold, in the order they are shown.
RECORD_TABLES = (
    "households",
    "complaints",
    "complaint_events",
    "transfer_sheets",
    "work_notices",
    "repairs",
    "repair_charges",
    "facilities",
    "record_events",
)
COUNT_LABELS = {
    "households": "住户",
    "complaints": "投诉",
    "complaint_events": "投诉处理记录",
    "transfer_sheets": "转办单",
    "work_notices": "工作联系单",
    "repairs": "维修",
    "repair_charges": "维修收费",
    "facilities": "公共设施",
    "record_events": "修改记录",
}
REASON_LABELS = {
    "manual": "手动备份",
    "daily": "每日自动备份",
    "before-import": "导入前备份",
    "replaced": "恢复前的数据库",
}
NAME_PATTERN = re.compile(r"estate-(\d{8}-\d{6})-([a-z0-9]+(?:-[a-z0-9]+)*)\.db")
PARTIAL_SUFFIX = ".partial"
_STAMP = "%Y%m%d-%H%M%S"
_MAGIC = b"SQLite format 3\x00"


class BackupError(OSError):
    """A backup could not be made, read or restored; the message is for the clerk."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: when and why it was taken, its schema version and record counts."""

    path: Path
    taken_at: datetime
    reason: str
    schema_version: int
    counts: dict[str, int] = field(hash=False)
    size: int
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        """备份时间、原因、记录数, one line for a list or the command line."""
        return (
            f"{self.taken_at:%Y-%m-%d %H:%M:%S}  {reason_label(self.reason)}  "
            f"{format_counts(self.counts)}  {self.size / 1_048_576:.1f} MB"
        )


def reason_label(reason: str) -> str:
    if reason.startswith("before-v"):
        return f"升级到第 {reason.removeprefix('before-v')} 版前备份"
    return REASON_LABELS.get(reason, reason or "备份")


def format_counts(counts: dict[str, int]) -> str:
    return "，".join(f"{COUNT_LABELS.get(t, t)} {n}" for t, n in counts.items())


def record_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per record table (tables an older schema lacks are left out)."""
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return {
        table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        for table in RECORD_TABLES
        if table in present
    }


def backup_name(reason: str, now: datetime) -> str:
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", reason):
        raise ValueError(f"backup reason must be lower-case words joined by '-': {reason!r}")
    return f"estate-{now:{_STAMP}}-{reason}.db"


def parse_backup_name(name: str) -> tuple[datetime, str] | None:
    """(taken_at, reason) from a backup's file name; None for any other file."""
    match = NAME_PATTERN.fullmatch(name)
    if match is None:
        return None
    try:
        return datetime.strptime(match[1], _STAMP), match[2]
    except ValueError:
        return None


def free_backup_path(folder: Path, reason: str, now: datetime) -> Path:
    """A backup name in `folder` that is not taken yet (a second later if it is)."""
    at = now.replace(microsecond=0)
    while (path := folder / backup_name(reason, at)).exists():
        at += timedelta(seconds=1)
    return path


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


def read_backup(path: Path) -> BackupInfo:
    """The backup's date, reason, schema version and counts, read without changing it.

    Cheap (no integrity check): refuses a file that is not SQLite, is cut short, or is not
    this app's database. Raises BackupError."""
    try:
        size = path.stat().st_size
        _check_header(path, size)
        with closing(open_read_only(path)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            counts = record_counts(conn)
    except sqlite3.Error as e:
        raise BackupError(f"无法读取备份 {path.name}：{e}") from e
    except OSError as e:
        raise BackupError(f"无法读取备份 {path.name}：{e}") from e
    if "complaints" not in counts or version < 1:
        raise BackupError(f"{path.name} 不是本系统的数据库")
    parsed = parse_backup_name(path.name)
    if parsed is None:
        parsed = (datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0), "")
    return BackupInfo(path, parsed[0], parsed[1], version, counts, size)


def verify_backup(path: Path) -> BackupInfo:
    """`read_backup` plus a full `PRAGMA integrity_check`. Raises BackupError."""
    info = read_backup(path)
    try:
        with closing(open_read_only(path)) as conn:
            problems = integrity_problems(conn)
            broken_links = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    except sqlite3.Error as e:
        raise BackupError(f"备份 {path.name} 已损坏：{e}") from e
    if problems:
        raise BackupError(f"备份 {path.name} 已损坏：{problems[0]}")
    if broken_links:
        note = f"备份中有 {broken_links} 处记录引用不一致（外键检查）"
        return dataclasses.replace(info, notes=(note,))
    return info


@dataclass(frozen=True)
class BackupScan:
    """The backups found in a folder, newest first, and the files that could not be read."""

    backups: list[BackupInfo]
    unreadable: list[tuple[Path, str]]


def scan_backups(folder: Path) -> BackupScan:
    """Read every estate-*.db in `folder` (not its subfolders); never raises for a bad file."""
    found: list[BackupInfo] = []
    unreadable: list[tuple[Path, str]] = []
    try:
        names = sorted(p for p in folder.iterdir() if parse_backup_name(p.name) is not None)
    except OSError:
        return BackupScan([], [])
    for path in names:
        try:
            found.append(read_backup(path))
        except OSError as e:  # BackupError is one
            log.warning("skipping unreadable backup %s: %s", path, e)
            unreadable.append((path, str(e)))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return BackupScan(found, unreadable)


def list_backups(folder: Path) -> list[BackupInfo]:
    """The readable backups in `folder`, newest first (unreadable ones are logged, skipped)."""
    return scan_backups(folder).backups


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """What `PRAGMA integrity_check` (or quick_check) reports; empty when the file is sound."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    return [] if rows == ["ok"] else rows


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (URI-quoted, so any folder name works)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


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


def _check_header(path: Path, size: int) -> None:
    with path.open("rb") as f:
        head = f.read(100)
    if len(head) < 100 or not head.startswith(_MAGIC):
        raise BackupError(f"{path.name} 不是 SQLite 数据库文件")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    header_size_valid = head[24:28] == head[92:96]
    if size % page_size or (header_size_valid and size < pages * page_size):
        raise BackupError(
            f"{path.name} 不完整（应有 {pages * page_size} 字节，实际 {size} 字节），可能被截断"
        )


def _remove_stale_partials(folder: Path) -> None:
    """Half-written copies left by a power cut: any an hour old (none is written that long)."""
    for partial in folder.glob(f"estate-*.db{PARTIAL_SUFFIX}"):
        with suppress(OSError):
            if time.time() - partial.stat().st_mtime > 3600:
                partial.unlink()
