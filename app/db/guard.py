"""Guarding the data folder before the database is opened: one copy of the app per folder, no
network shares, and a health check that looks harder after an unclean exit (停电, 强制结束).

Start-up order (see `open_guard`): check the location → take the instance lock → check the
file (a full check when the last run left its marker) → write the marker → open the database.
On a clean close: close the database → remove the marker → release the lock.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PureWindowsPath
from types import TracebackType
from typing import NamedTuple

LOCK_FILENAME = "estate.lock"
MARKER_FILENAME = "estate.running"

# ----------------------------------------------------------------------------- one copy only


@dataclass(frozen=True)
class LockHolder:
    """Who holds the lock, as written in the lock file (for the message only)."""

    pid: int
    host: str
    user: str = ""
    started: datetime | None = None

    @classmethod
    def current(cls) -> LockHolder:
        return cls(os.getpid(), socket.gethostname(), _user_name(), datetime.now())

    def to_text(self) -> str:
        started = self.started.isoformat(timespec="seconds") if self.started else ""
        data = {"pid": self.pid, "host": self.host, "user": self.user, "started": started}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_text(cls, text: str) -> LockHolder | None:
        try:
            data = json.loads(text)
            started = datetime.fromisoformat(data["started"]) if data.get("started") else None
            return cls(int(data["pid"]), str(data["host"]), str(data.get("user", "")), started)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # empty (being written, or released) or not ours

    def describe(self) -> str:
        parts = [f"进程 {self.pid}", f"电脑 {self.host}"]
        if self.user:
            parts.append(f"用户 {self.user}")
        if self.started is not None:
            parts.append(f"{self.started:%Y-%m-%d %H:%M} 启动")
        return "，".join(parts)


class AlreadyRunningError(RuntimeError):
    """Another copy of the app holds the data folder."""

    def __init__(self, lock_path: Path, holder: LockHolder | None) -> None:
        who = f"（{holder.describe()}）" if holder else ""
        super().__init__(
            f"本程序已在运行{who}，同一数据文件夹不能同时打开两份，以免两份同时写入损坏数据。"
            "请切换到已打开的窗口（也可能是这台电脑上的其他用户打开的）；"
            "如果确认它已关闭，请稍等几秒再试。"
        )
        self.lock_path = lock_path
        self.holder = holder


class InstanceLock:
    """An OS-level exclusive lock on DIR/estate.lock, held while the app has the folder open.

    The operating system drops the lock when the holding process dies, so a file left behind
    by a crash or a power cut never blocks the next start; only a live holder does.
    """

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LOCK_FILENAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunningError naming the holder."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        try:
            if not _try_lock(fd):
                raise AlreadyRunningError(self.path, LockHolder.from_text(_read_text(fd)))
            with contextlib.suppress(OSError):  # only for the message: a full disk is no reason
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, LockHolder.current().to_text().encode("utf-8"))
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        """Give the folder up. The file stays: deleting it would let two copies lock two files."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_text(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", errors="replace")


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


if sys.platform == "win32":
    import msvcrt

    # Windows byte-range locks are mandatory: lock one byte far past the holder's text so the
    # next copy can still read who holds the folder. Locking past the end of a file is allowed.
    _WINDOWS_LOCK_OFFSET = 1 << 20

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import errno
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# ----------------------------------------------------------------------------- where the data is

DRIVE_REMOTE = 4  # GetDriveTypeW: a mapped network drive
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "afs", "ncpfs"}
    | {"afpfs", "webdav", "davfs", "fuse.davfs2", "fuse.rclone", "osxfuse", "macfuse"}
)
# A folder name (lower case) that betrays a sync client, and the service's name for the message.
CLOUD_FOLDERS: tuple[tuple[str, str], ...] = (
    ("onedrive", "OneDrive"),
    ("dropbox", "Dropbox"),
    ("icloud drive", "iCloud 云盘"),
    ("iclouddrive", "iCloud 云盘"),
    ("mobile documents", "iCloud 云盘"),
    ("google drive", "Google 云端硬盘"),
    ("googledrive", "Google 云端硬盘"),
    ("my drive", "Google 云端硬盘"),
    ("我的云端硬盘", "Google 云端硬盘"),
    ("百度网盘", "百度网盘"),
    ("baidunetdisk", "百度网盘"),
    ("baidusyncdisk", "百度网盘"),
    ("坚果云", "坚果云"),
    ("nutstore", "坚果云"),
    ("wps云盘", "WPS云盘"),
    ("wpsdrive", "WPS云盘"),
)


class Mount(NamedTuple):
    point: str
    fstype: str


@dataclass(frozen=True)
class LocationProbes:
    """What check_location asks the system; tests pass their own to cover other platforms."""

    windows: bool
    drive_type: Callable[[str], int]  # GetDriveTypeW("Z:\\")
    mounts: Callable[[], Sequence[Mount]]  # the mount table (POSIX)
    resolve: Callable[[str], str]  # symlinks and junctions followed


def system_probes() -> LocationProbes:
    return LocationProbes(
        windows=sys.platform == "win32",
        drive_type=_windows_drive_type,
        mounts=_system_mounts,
        resolve=os.path.realpath,
    )


@dataclass(frozen=True)
class LocationVerdict:
    refuse: bool = False
    warn: bool = False
    message: str = ""


def check_location(path: Path | str, probes: LocationProbes | None = None) -> LocationVerdict:
    """Refuse a folder on a network share; warn about one a sync client copies."""
    probes = probes or system_probes()
    shown = str(path)
    candidates = [shown]
    with contextlib.suppress(OSError, ValueError):
        resolved = probes.resolve(shown)
        if resolved != shown:
            candidates.append(resolved)
    for candidate in candidates:
        reason = _network_reason(candidate, probes)
        if reason:
            return LocationVerdict(refuse=True, message=_refusal(shown, reason))
    for candidate in candidates:
        service = _cloud_service(candidate)
        if service:
            return LocationVerdict(warn=True, message=_cloud_warning(shown, service))
    return LocationVerdict()


def _network_reason(text: str, probes: LocationProbes) -> str:
    slashed = text.replace("/", "\\")
    if slashed.lower().startswith("\\\\?\\unc\\"):
        return "网络共享文件夹（\\\\服务器\\共享）"
    if slashed.startswith(("\\\\?\\", "\\\\.\\")):
        slashed = slashed[4:]  # the long-path prefix before a drive letter
    elif slashed.startswith("\\\\"):
        return "网络共享文件夹（\\\\服务器\\共享）"
    if probes.windows:
        drive = PureWindowsPath(slashed).drive
        if len(drive) == 2 and probes.drive_type(drive + "\\") == DRIVE_REMOTE:
            return f"映射的网络驱动器 {drive.upper()}"
        return ""
    mount = _containing_mount(text, probes)
    if mount is not None and mount.fstype.lower() in NETWORK_FILESYSTEMS:
        return f"网络文件系统（{mount.fstype}，挂载于 {mount.point}）"
    return ""


def _containing_mount(text: str, probes: LocationProbes) -> Mount | None:
    """The longest mount point that contains the path."""
    if not text.startswith("/"):
        return None
    try:
        mounts = probes.mounts()
    except OSError:
        return None
    path = text.rstrip("/") + "/"
    inside = [m for m in mounts if path.startswith(m.point.rstrip("/") + "/")]
    return max(inside, key=lambda m: len(m.point.rstrip("/")), default=None)


def _cloud_service(text: str) -> str:
    for part in re.split(r"[\\/]", text.lower()):
        for marker, service in CLOUD_FOLDERS:
            if marker in part:
                return service
    return ""


def _refusal(path: str, reason: str) -> str:
    return (
        f"数据文件夹 {path} 在{reason}上，不能使用。"
        "SQLite 数据库在网络共享上加锁不可靠，两台电脑同时打开或网络中断都可能损坏数据文件。"
        "请选择这台电脑自己硬盘上的文件夹（例如 D:\\物业数据）存放数据；"
        "如需在 U 盘或网络上另存一份，请用“备份”功能备份到那里。"
    )


def _cloud_warning(path: str, service: str) -> str:
    return (
        f"数据文件夹 {path} 在 {service} 的同步文件夹中。"
        "同步程序可能在数据库写到一半时复制文件，得到的副本可能已损坏，"
        "同步冲突还可能用旧文件覆盖新数据。建议把数据文件夹换到不同步的本机文件夹；"
        "需要另存一份时，请用“备份”功能备份到 U 盘或网络上。"
    )


def parse_proc_mounts(text: str) -> list[Mount]:
    """Lines of /proc/mounts: `source point fstype options 0 0`, spaces escaped as \\040."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])
            mounts.append(Mount(point, fields[2]))
    return mounts


def parse_mount_output(text: str) -> list[Mount]:
    """macOS `mount`: `//user@nas/share on /Volumes/share (smbfs, nodev, nosuid)`."""
    found = (re.match(r"^.+? on (.+) \(([^,)]+)", line) for line in text.splitlines())
    return [Mount(m.group(1), m.group(2).strip()) for m in found if m]


def _system_mounts() -> list[Mount]:
    if sys.platform.startswith("linux"):
        return parse_proc_mounts(Path("/proc/self/mounts").read_text(encoding="utf-8"))
    if sys.platform == "darwin":
        out = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5)
        return parse_mount_output(out.stdout)
    return []


def _windows_drive_type(root: str) -> int:
    if sys.platform != "win32":
        return 0  # DRIVE_UNKNOWN
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))


# ----------------------------------------------------------------------------- start-up health


class CleanShutdownMarker:
    """DIR/estate.running: present while the app has the database open. Found at start-up, it
    means the last run ended without a clean close (停电, 强制结束, a crash)."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / MARKER_FILENAME

    def exists(self) -> bool:
        return self.path.exists()

    def write(self) -> None:
        started = datetime.now().isoformat(timespec="seconds")
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, f"pid={os.getpid()}\nstarted={started}\n".encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_folder(self.path.parent)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
        _fsync_folder(self.path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make a file's creation or removal itself durable (POSIX; Windows cannot open folders)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class HealthReport:
    ok: bool
    unclean: bool  # the last run did not close cleanly
    full_check: bool  # integrity_check and foreign_key_check ran (not just quick_check)
    lines: tuple[str, ...]  # for the clerk, in Chinese
    problems: tuple[str, ...] = field(default=())  # SQLite's own words, for the log


def startup_check(database_path: Path, marker: CleanShutdownMarker | None = None) -> HealthReport:
    """quick_check at every start; integrity_check + foreign_key_check after an unclean exit.

    Call while holding the InstanceLock and before writing the marker. (integrity_check does
    everything quick_check does and also compares every index with its table.)
    """
    marker = marker or CleanShutdownMarker(database_path.parent)
    unclean = marker.exists()
    intro: tuple[str, ...] = ()
    if unclean:
        intro = ("上次程序没有正常关闭（可能停电或被强制结束），已对数据文件做完整检查。",)
    if not database_path.exists():
        return HealthReport(True, unclean, False, (*intro, "尚无数据文件，将新建。"))
    try:
        problems = _run_checks(database_path, full=unclean)
    except sqlite3.OperationalError:
        raise  # cannot open or read the file at all: not a verdict on its contents
    except sqlite3.DatabaseError as e:  # "file is not a database", "disk image is malformed"
        line = "数据文件已损坏，无法读取。请从备份恢复，不要继续录入。"
        return HealthReport(False, unclean, unclean, (*intro, line), (str(e),))
    if not problems:
        return HealthReport(True, unclean, unclean, (*intro, "数据文件检查正常。"))
    return HealthReport(False, unclean, unclean, (*intro, *_problem_lines(problems)), problems)


def _run_checks(database_path: Path, *, full: bool) -> tuple[str, ...]:
    uri = database_path.resolve().as_uri() + "?mode=rw"  # never creates a file
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5.0)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        pragma = "integrity_check" if full else "quick_check"
        found = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
        problems = [] if found == ["ok"] else [f"{pragma}: {line}" for line in found]
        if full:
            problems += [
                f"foreign_key_check: {table} rowid {rowid} → {parent}"
                for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check")
            ]
        return tuple(problems)
    finally:
        conn.close()


def _problem_lines(problems: tuple[str, ...]) -> list[str]:
    damaged = sum(1 for p in problems if not p.startswith("foreign_key_check"))
    dangling = len(problems) - damaged
    lines = []
    if damaged:
        lines.append(f"数据文件检查发现 {damaged} 处损坏。请从备份恢复，不要继续录入。")
    if dangling:
        lines.append(f"有 {dangling} 条记录引用的记录已不存在。")
    return lines


# ----------------------------------------------------------------------------- all together


class LocationRefusedError(RuntimeError):
    """The data folder is on a network share."""


@dataclass
class FolderGuard:
    """What the start-up checks found, holding the lock until `close()`."""

    lock: InstanceLock
    marker: CleanShutdownMarker
    location: LocationVerdict
    health: HealthReport

    def close(self) -> None:
        """Call after the database closed cleanly: the next start then runs quick_check only."""
        try:
            self.marker.remove()
        finally:
            self.lock.release()

    def abandon(self) -> None:
        """Let the folder go but keep the marker, so the next start runs the full check."""
        self.lock.release()


def open_guard(
    folder: Path, database_path: Path, probes: LocationProbes | None = None
) -> FolderGuard:
    """Location → lock → health → marker, before the database is opened.

    Raises LocationRefusedError (network share) or AlreadyRunningError (another copy).
    A cloud-synced folder only sets `location.warn`; a damaged file only `health.ok = False`.
    """
    location = check_location(folder, probes)
    if location.refuse:
        raise LocationRefusedError(location.message)
    lock = InstanceLock(folder)
    lock.acquire()
    try:
        marker = CleanShutdownMarker(folder)
        health = startup_check(database_path, marker)
        marker.write()
    except BaseException:
        lock.release()
        raise
    return FolderGuard(lock, marker, location, health)
