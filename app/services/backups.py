"""备份: scheduled and on-demand backups of the open database, a second copy (e.g. a USB drive),
thinning by the keeping rule, and the service the window and the command line call for
backups, restore and `check`.

Restoring and the start-up recovery are in `app.services.restore`, `check` in
`app.services.database_check`; their names are importable from here too.

Threads: every method opens connections of its own and never uses the Database's own
connection, so `backup_now`/`run_scheduled` may run on a worker thread while the UI thread
writes. Restoring needs every connection closed first (see `restore_file`).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import threading
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.db.backup import PARTIAL_SUFFIX, copy_verified, fsync_file, fsync_folder, make_backup
from app.db.backup_files import (
    BackupError,
    BackupInfo,
    BackupScan,
    free_backup_path,
    integrity_problems,
    open_read_only,
    parse_backup_name,
    read_backup,
    record_counts,
    scan_backups,
)
from app.db.backup_policy import thin
from app.db.connection import Database
from app.db.startup_check import HealthReport
from app.domain.access import Permission
from app.paths import DataDir
from app.services.clock import Clock
from app.services.database_check import CheckReport, check_database
from app.services.progress import JobCancelled, Progress, while_working
from app.services.restore import (
    IN_USE,
    RecoveryReport,
    RestoreResult,
    newest_good_backup,
    recover_corrupt,
    restore_file,
    verify_for_restore,
)
from app.services.session import Session, open_to_anyone, requires
from app.services.trail_check import trail_warnings

__all__ = [
    "IN_USE",
    "BackupError",
    "BackupInfo",
    "BackupResult",
    "BackupService",
    "CheckReport",
    "HealthReport",
    "RecoveryReport",
    "RestoreResult",
    "check_database",
    "newest_good_backup",
    "recover_corrupt",
    "restore_file",
    "verify_for_restore",
]

SCHEDULED = "daily"
RETRY_AFTER_FAILURE = timedelta(hours=1)


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
        self._verified_trail: tuple[_FileKey, tuple[str, ...]] | None = None

    @property
    @requires(Permission.VIEW)
    def folder(self) -> Path:
        return self.data_dir.backups

    @requires(Permission.BACKUP)
    def backup_now(
        self, reason: str = "manual", target: Path | None = None, progress: Progress | None = None
    ) -> BackupResult:
        """Back up now (reason: manual, before-import …), copy to the second folder, thin both.

        With `target` (`estate-office backup -o FILE`) the copy goes to that new file only.
        Raises BackupError (nothing is left behind) when the copy does not verify. With
        `progress` (an import's) the copy runs on a worker thread (about 20 s for ten years of
        records) while `progress` is told the job is still going; it may cancel (JobCancelled).
        """
        if progress is None:
            return self._backup(reason, target)
        return while_working(lambda: self._backup(reason, target), progress)

    @open_to_anyone
    def due(self, now: datetime) -> bool:
        """True when today has no scheduled backup yet (and none failed in the last hour)."""
        if self._failed_at is not None and now - self._failed_at < RETRY_AFTER_FAILURE:
            return False
        try:
            names = [parse_backup_name(p.name) for p in self.data_dir.backups.iterdir()]
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
            return self._backup(SCHEDULED)  # the app's own work: whoever is signed in
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
        """The readable backups in both folders, newest first, for the restore list: each
        with `taken_at`, `reason` and `kind` (its Chinese name), `counts` and `counts_text`,
        `size` and `size_text`, and `path` (its folder tells this PC's from the second).
        A file a restore set aside is one of them (kind 恢复前的数据库): restoring it undoes
        the restore. Damaged files set aside at start-up (backups/corrupt) are not."""
        return self.scan().backups

    @requires(Permission.BACKUP)
    def current_counts(self) -> dict[str, int]:
        """The live database's record counts, to set beside a backup's before restoring."""
        with closing(open_read_only(self._db_path())) as conn:
            return record_counts(conn)

    @requires(Permission.BACKUP)
    def verify(self, path: Path, progress: Progress | None = None) -> BackupInfo:
        """Fully check a backup before offering to restore it: integrity, version and audit
        trail. Raises BackupError when it cannot be restored. A broken trail does not stop
        the restore: its warning lines come first in `notes`, to show before asking.

        Reads only the backup file (through its own connection), so it may run on a worker
        thread. `progress(0, 0)` is asked now and then; False stops it with JobCancelled.
        """
        stop = _Stop(progress)
        try:
            info = verify_for_restore(path, stop)
            trail = trail_warnings(path, stop)
        except BackupError:
            if stop.stopped:
                raise JobCancelled from None
            raise
        if stop.stopped:
            raise JobCancelled
        self._verified_trail = (_file_key(path), trail)  # `restore` need not read it again
        return dataclasses.replace(info, notes=(*trail, *info.notes))

    @requires(Permission.RESTORE)
    def restore(self, path: Path) -> RestoreResult:
        """`restore_file` for this data folder. The caller closes every connection first
        (`Services.close()`); this refuses while the database is still open."""
        if _is_open(self.database):
            raise BackupError(IN_USE)
        known = self._verified_trail
        trail = known[1] if known is not None and known[0] == _file_key(path) else None
        return restore_file(
            self.data_dir, path, self.clock(), trail=trail, actor=self.session.name or "系统"
        )

    @requires(Permission.VIEW)
    def check(self) -> CheckReport:
        return check_database(self.data_dir, self.clock(), second_folder=self.second_folder)

    def _backup(self, reason: str, target: Path | None = None) -> BackupResult:
        now = self.clock()
        with self._lock:
            if target is not None:
                return BackupResult(self._backup_to_file(Path(target), reason, now))
            info = make_backup(self.database, self.data_dir.backups, reason, now)
            warnings: list[str] = []
            second = self._copy_to_second_folder(info, warnings)
            deleted = self._thin(now, warnings)
        return BackupResult(info, second, tuple(warnings), tuple(deleted))

    def _db_path(self) -> Path:
        if self.database.path is None:
            raise BackupError("内存中的数据库无法备份")
        return self.database.path

    def _folders(self) -> list[Path]:
        second = self._second_folder()
        own = self.data_dir.backups
        return [own] if second is None or not second.is_dir() else [own, second]

    def _second_folder(self) -> Path | None:
        """The second folder, unless it is the first one under another name."""
        second = self.second_folder
        if second is None or _same_folder(second, self.data_dir.backups):
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


_FileKey = tuple[Path, int, int]


def _file_key(path: Path) -> _FileKey:
    """A backup file as it is now: the same key means the same bytes (nothing rewrites one)."""
    stat = path.stat()
    return path.resolve(), stat.st_size, stat.st_mtime_ns


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


class _Stop:
    """A Stop (app/db/backup_files.py) asking `progress`; remembers that it said stop."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress, self.stopped = progress, False

    def __call__(self) -> bool:
        if self.progress is not None and not self.stopped:
            self.stopped = not self.progress(0, 0)
        return self.stopped
