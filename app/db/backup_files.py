"""Backup files on disk (备份文件): their names, what one holds (`BackupInfo`), reading one back
without changing it, a full check before it is restored, and the scan of a backup folder.

Making the copies is `app.db.backup`.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

Stop = Callable[[], bool]
"""Asked now and then during a long read (a backup's verification): True stops it."""
STOP_STEPS = 200_000  # SQLite virtual-machine steps between two questions: a few ms
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

    @property
    def kind(self) -> str:
        """The reason in the office's words: 每日自动备份, 导入前备份, 恢复前的数据库 …"""
        return reason_label(self.reason)

    @property
    def counts_text(self) -> str:
        return format_counts(self.counts)

    @property
    def size_text(self) -> str:
        return f"{self.size / 1_048_576:.1f} MB"

    def summary(self) -> str:
        """备份时间、原因、记录数, one line for a list or the command line."""
        return (
            f"{self.taken_at:%Y-%m-%d %H:%M:%S}  {self.kind}  {self.counts_text}  {self.size_text}"
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


def verify_backup(path: Path, stop: Stop | None = None) -> BackupInfo:
    """`read_backup` plus a full `PRAGMA integrity_check`. Raises BackupError (also when
    `stop` answered True: the caller, who knows, says it was stopped)."""
    info = read_backup(path)
    try:
        with closing(open_read_only(path)) as conn:
            stoppable(conn, stop)
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


def stoppable(conn: sqlite3.Connection, stop: Stop | None) -> None:
    """Let `stop` end a long read on `conn`: it is asked every STOP_STEPS of SQLite's steps,
    and when it answers True the statement fails ("interrupted")."""
    if stop is not None:
        conn.set_progress_handler(lambda: int(stop()), STOP_STEPS)


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (URI-quoted, so any folder name works)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


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
