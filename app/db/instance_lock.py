"""One copy of the app per data folder (单实例锁): an OS-level lock on DIR/estate.lock.

Two copies writing one SQLite file through two write connections each think they own it; the
lock refuses the second copy with a message naming who holds the folder.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

LOCK_FILENAME = "estate.lock"


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
