"""备份与恢复: scheduled and on-demand backups, a second copy (e.g. a USB drive), restore,
the `check` command, and recovery from a corrupt database at start-up.

Nothing here ever overwrites a database file. A restore or a recovery first moves the current
file aside: a file that still opens becomes `backups/estate-<stamp>-replaced.db` (itself a
backup one can go back to, kept two years); one that does not open, with its -wal/-shm, goes
byte for byte to `backups/corrupt/estate-<stamp>-corrupt.db`, which nothing deletes.

Threads: every method opens connections of its own and never uses the Database's own
connection, so `backup_now`/`run_scheduled` may run on a worker thread while the UI thread
writes. Restoring needs every connection closed first (see `restore_file`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Sequence
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app.db.backup import (
    PARTIAL_SUFFIX,
    BackupError,
    BackupInfo,
    BackupScan,
    copy_pages,
    copy_verified,
    format_counts,
    free_backup_path,
    fsync_file,
    fsync_folder,
    integrity_problems,
    make_backup,
    open_read_only,
    parse_backup_name,
    read_backup,
    record_counts,
    scan_backups,
    verify_backup,
)
from app.db.backup_policy import thin
from app.db.connection import Database
from app.db.migrations import SCHEMA_VERSION
from app.domain.access import Permission
from app.paths import DataDir
from app.services.clock import Clock
from app.services.session import Session, open_to_anyone, requires

__all__ = [
    "BackupError",
    "BackupInfo",
    "BackupResult",
    "BackupService",
    "CheckReport",
    "RecoveryReport",
    "RestoreResult",
    "check_database",
    "recover_corrupt",
    "restore_file",
]

SCHEDULED = "daily"
CORRUPT_FOLDER = "corrupt"
RETRY_AFTER_FAILURE = timedelta(hours=1)
STALE_AFTER = timedelta(days=2)
IN_USE = "数据库仍在使用中（本程序的窗口或其他程序还开着它），请全部关闭后再恢复"
_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class BackupResult:
    """A backup made; a second folder that could not be written is a warning, not a failure."""

    info: BackupInfo
    second_copy: Path | None = None
    warnings: tuple[str, ...] = ()
    deleted: tuple[Path, ...] = ()

    @property
    def path(self) -> Path:
        return self.info.path

    def lines(self) -> list[str]:
        lines = [f"已备份到 {self.info.path}", self.info.summary(), *self.info.notes]
        if self.second_copy is not None:
            lines.append(f"已另存一份到 {self.second_copy}")
        lines += self.warnings
        if self.deleted:
            lines.append(f"按保留规则删除了 {len(self.deleted)} 份旧备份")
        return lines


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    restored: BackupInfo
    set_aside: Path | None  # the file that was there before; None when there was none

    def lines(self) -> list[str]:
        lines = [f"已从备份恢复：{self.restored.summary()}"]
        if self.set_aside is not None:
            lines.append(f"原数据库已另存为 {self.set_aside}（未删除）")
        return lines


@dataclass(frozen=True)
class CheckReport:
    """What `estate-office check` prints; `ok` is False when anything is wrong."""

    schema_version: int
    counts: dict[str, int]
    facts: tuple[str, ...]
    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    newest_backup: BackupInfo | None

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        verdict = "检查通过" if self.ok else f"发现 {len(self.problems)} 个问题"
        return [
            *self.facts,
            *(f"问题：{p}" for p in self.problems),
            *(f"提醒：{w}" for w in self.warnings),
            verdict,
        ]


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


class BackupService:
    """Backups of the open database into `data_dir.backups`, and a copy into `second_folder`."""

    def __init__(
        self,
        database: Database,
        data_dir: DataDir,
        clock: Clock,
        *,
        session: Session,
        second_folder: Path | None = None,
    ) -> None:
        self.session = session
        self.database = database
        self.data_dir = data_dir
        self.clock = clock
        self.second_folder = second_folder
        self._lock = threading.Lock()
        self._failed_at: datetime | None = None

    @property
    @requires(Permission.VIEW)
    def folder(self) -> Path:
        return self.data_dir.backups

    @requires(Permission.BACKUP)
    def backup_now(self, reason: str = "manual", target: Path | None = None) -> BackupResult:
        """Back up now (reason: manual, before-import …), copy to the second folder, thin both.

        With `target` (`estate-office backup -o FILE`) the copy goes to that new file only.
        Raises BackupError (nothing is left behind) when the copy does not verify.
        """
        now = self.clock()
        with self._lock:
            if target is not None:
                return BackupResult(self._backup_to_file(Path(target), reason, now))
            info = make_backup(self.database, self.folder, reason, now)
            warnings: list[str] = []
            second = self._copy_to_second_folder(info, warnings)
            deleted = self._thin(now, warnings)
        return BackupResult(info, second, tuple(warnings), tuple(deleted))

    @open_to_anyone
    def due(self, now: datetime) -> bool:
        """True when today has no scheduled backup yet (and none failed in the last hour)."""
        if self._failed_at is not None and now - self._failed_at < RETRY_AFTER_FAILURE:
            return False
        try:
            names = [parse_backup_name(p.name) for p in self.folder.iterdir()]
        except OSError:
            return True
        return not any(n and n[1] == SCHEDULED and n[0].date() == now.date() for n in names)

    @open_to_anyone
    def run_scheduled(self) -> BackupResult | None:
        """The daily backup when it is due (the UI's timer calls this, best on a worker
        thread: about a second on a 70 MB database). None when not due; raises BackupError."""
        now = self.clock()
        if not self.due(now):
            return None
        try:
            return self.backup_now(SCHEDULED)
        except OSError:
            self._failed_at = now
            raise

    @requires(Permission.BACKUP)
    def scan(self) -> BackupScan:
        """Backups in both folders, newest first, and the files that could not be read."""
        scans = [scan_backups(folder) for folder in self._folders()]
        found = [b for s in scans for b in s.backups]
        found.sort(key=lambda b: b.taken_at, reverse=True)  # stable: this PC's copy first
        return BackupScan(found, [u for s in scans for u in s.unreadable])

    @requires(Permission.BACKUP)
    def backups(self) -> list[BackupInfo]:
        return self.scan().backups

    @requires(Permission.BACKUP)
    def current_counts(self) -> dict[str, int]:
        """The live database's record counts, to set beside a backup's before restoring."""
        with closing(open_read_only(self._db_path())) as conn:
            return record_counts(conn)

    @requires(Permission.BACKUP)
    def verify(self, path: Path) -> BackupInfo:
        """Fully check a backup before offering to restore it. Raises BackupError."""
        return verify_for_restore(path)

    @requires(Permission.RESTORE)
    def restore(self, path: Path) -> RestoreResult:
        """`restore_file` for this data folder. The caller closes every connection first
        (`Services.close()`); this refuses while the database is still open."""
        if _is_open(self.database):
            raise BackupError(IN_USE)
        return restore_file(self.data_dir, path, self.clock())

    @requires(Permission.VIEW)
    def check(self) -> CheckReport:
        return check_database(self.data_dir, self.clock(), second_folder=self.second_folder)

    def _db_path(self) -> Path:
        if self.database.path is None:
            raise BackupError("内存中的数据库无法备份")
        return self.database.path

    def _folders(self) -> list[Path]:
        second = self._second_folder()
        return [self.folder] if second is None or not second.is_dir() else [self.folder, second]

    def _second_folder(self) -> Path | None:
        """The second folder, unless it is the first one under another name."""
        second = self.second_folder
        if second is None or _same_folder(second, self.folder):
            return None
        return second

    def _backup_to_file(self, target: Path, reason: str, now: datetime) -> BackupInfo:
        if target.exists():
            raise BackupError(f"文件已存在，不会覆盖：{target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with closing(open_read_only(self._db_path())) as source:
            counts, version, notes = copy_verified(source, target)
        return BackupInfo(target, now, reason, version, counts, target.stat().st_size, notes)

    def _copy_to_second_folder(self, info: BackupInfo, warnings: list[str]) -> Path | None:
        folder = self._second_folder()
        if folder is None:
            return None
        if not folder.is_dir():
            warnings.append(f"第二备份位置 {folder} 不可用（U盘未插入？），这次只保存在本机")
            return None
        try:
            return copy_backup_file(info, folder)
        except OSError as e:
            warnings.append(f"未能另存到第二备份位置 {folder}：{e}")
            return None

    def _thin(self, now: datetime, warnings: list[str]) -> list[Path]:
        deleted: list[Path] = []
        for folder in self._folders():
            for path in thin(scan_backups(folder).backups, now):
                try:
                    path.unlink()
                except OSError as e:
                    warnings.append(f"未能删除旧备份 {path}：{e}")
                else:
                    deleted.append(path)
        return deleted


def copy_backup_file(info: BackupInfo, folder: Path) -> Path:
    """Copy a finished (closed, verified) backup file into `folder`, checked before it is
    given its name. A plain file copy is safe here: nothing writes to a finished backup."""
    target = folder / info.path.name
    if target.exists():
        target = free_backup_path(folder, info.reason, info.taken_at)
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    try:
        shutil.copyfile(info.path, partial)
        fsync_file(partial)
        copy = read_backup(partial)
        with closing(open_read_only(partial)) as conn:
            problems = integrity_problems(conn, quick=True)
        if problems or copy.counts != info.counts or copy.size != info.size:
            raise BackupError(f"复制到 {folder} 的备份校验失败")
        os.replace(partial, target)
    except BaseException:
        with suppress(OSError):
            partial.unlink()
        raise
    fsync_folder(folder)
    return target


def verify_for_restore(path: Path) -> BackupInfo:
    """A full check of a backup, refusing one written by a newer app. Raises BackupError."""
    info = verify_backup(path)
    if info.schema_version > SCHEMA_VERSION:
        raise BackupError(
            f"备份 {path.name} 来自更新版本的程序（数据库版本 {info.schema_version}），"
            "请先安装新版程序"
        )
    return info


def restore_file(data_dir: DataDir, backup_path: Path, now: datetime) -> RestoreResult:
    """Replace the data folder's database with a copy of `backup_path`.

    The database must be closed: every connection, in this process and any other (a
    connection still open makes this raise BackupError and change nothing). The backup is
    copied through the backup API into `estate.db.restoring` and checked (integrity, counts,
    version); only then is the current file checkpointed and moved aside (never overwritten)
    and the copy renamed into its place. An older schema is migrated on the next open.
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
    return RestoreResult(database, info, set_aside)


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
    data_dir: DataDir, now: datetime, *, second_folder: Path | None = None
) -> RecoveryReport:
    """The start-up check, before the database is opened.

    `PRAGMA quick_check` on a read-only connection (a WAL left by a power cut is read, not
    changed). A file that fails it or does not open as SQLite — or is empty while backups
    exist — is moved aside (see `move_aside_corrupt`), and the newest backup that passes a
    full check is offered, not restored: call `restore_file` when the user agrees.
    """
    database = data_dir.database
    folders = [data_dir.backups, *([second_folder] if second_folder is not None else [])]
    if not database.exists():
        offer, rejected = newest_good_backup(folders)
        return RecoveryReport(database, "missing", offer=offer, rejected=rejected)
    problem = _health(database, folders)
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


def check_database(
    data_dir: DataDir, now: datetime, *, second_folder: Path | None = None
) -> CheckReport:
    """Integrity and foreign keys of the database, its schema version and counts, and a full
    check of the newest backup. Works on an open or a closed (even a corrupt) database."""
    facts: list[str] = []
    problems: list[str] = []
    warnings: list[str] = []
    version, counts = _check_live(data_dir.database, facts, problems, warnings)
    newest = _check_backups(data_dir.backups, now, facts, problems, warnings)
    if second_folder is not None:
        if second_folder.is_dir():
            scan = scan_backups(second_folder)
            facts.append(f"第二备份位置 {second_folder}：{len(scan.backups)} 份备份")
            problems += [f"备份无法读取：{path}（{why}）" for path, why in scan.unreadable]
        else:
            warnings.append(f"第二备份位置 {second_folder} 不可用（U盘未插入？）")
    return CheckReport(version, counts, tuple(facts), tuple(problems), tuple(warnings), newest)


def _check_live(
    database: Path, facts: list[str], problems: list[str], warnings: list[str]
) -> tuple[int, dict[str, int]]:
    if not database.exists():
        problems.append(f"数据库文件不存在：{database}")
        return 0, {}
    try:
        with closing(open_read_only(database)) as conn:
            integrity = integrity_problems(conn)
            broken_links = len(conn.execute("PRAGMA foreign_key_check").fetchall())
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            counts = record_counts(conn)
    except sqlite3.Error as e:
        problems.append(f"数据库无法打开或已损坏：{e}")
        return 0, {}
    facts.append(f"数据库：{database}（{database.stat().st_size / 1_048_576:.1f} MB）")
    if integrity:
        problems.append("完整性检查未通过：" + "；".join(integrity[:5]))
    else:
        facts.append("完整性检查：正常")
    if broken_links:
        problems.append(f"外键检查：{broken_links} 处记录引用不一致")
    if version > SCHEMA_VERSION:
        problems.append(f"数据库版本 {version} 比本程序（{SCHEMA_VERSION}）新")
    elif version < SCHEMA_VERSION:
        warnings.append(f"数据库版本 {version}，打开程序时会升级到 {SCHEMA_VERSION}")
    facts.append(f"数据库版本：{version}")
    facts.append(f"记录数：{format_counts(counts)}")
    return version, counts


def _check_backups(
    folder: Path, now: datetime, facts: list[str], problems: list[str], warnings: list[str]
) -> BackupInfo | None:
    scan = scan_backups(folder)
    problems += [f"备份无法读取：{path}（{why}）" for path, why in scan.unreadable]
    if not scan.backups:
        problems.append(f"{folder} 中没有任何备份")
        return None
    newest = scan.backups[0]
    try:
        verify_for_restore(newest.path)
    except BackupError as e:
        problems.append(f"最新的备份校验失败：{e}")
    else:
        facts.append(f"最新备份（校验正常）：{newest.summary()}")
    facts.append(f"备份文件夹 {folder}：{len(scan.backups)} 份备份")
    if now - newest.taken_at > STALE_AFTER:
        warnings.append(f"最近一次备份是 {(now - newest.taken_at).days} 天前")
    return newest


def _check_restored(incoming: Path, info: BackupInfo) -> None:
    with closing(open_read_only(incoming)) as conn:
        problems = integrity_problems(conn)
        if problems:
            raise BackupError(f"备份 {info.path.name} 已损坏，未恢复：{problems[0]}")
        counts = record_counts(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if counts != info.counts or version != info.schema_version:
        raise BackupError(f"恢复的副本与备份 {info.path.name} 不符，未恢复")


def _health(database: Path, folders: Sequence[Path]) -> str | None:
    """None when the file is a sound database; else what is wrong with it."""
    if database.stat().st_size == 0:
        if any(scan.backups for scan in map(scan_backups, folders)):
            return "文件是空的（0 字节），而已有备份"
        return None  # a first start cut short: nothing was ever in it
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


def _is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _is_open(database: Database) -> bool:
    try:
        database.conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return False
    return True
