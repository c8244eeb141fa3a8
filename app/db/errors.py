"""Save errors the clerk can act on: a full disk or a failing disk, told in plain Chinese.

SQLite reports a full disk as `sqlite3.OperationalError("database or disk is full")`
(SQLITE_FULL, also raised when `PRAGMA max_page_count` is reached) and a failing write as
`"disk I/O error"` (SQLITE_IOERR and its extended codes); Python's own file writes raise
`OSError` with errno ENOSPC / EDQUOT / EIO. `Database.transaction()` rolls back and raises
`StorageError` in their place, so the screen can say what happened while the form keeps its
input, and the next save works once space is freed.
"""

from __future__ import annotations

import errno
import sqlite3
from typing import Literal

StorageKind = Literal["full", "io"]

SQLITE_IOERR = 10
SQLITE_FULL = 13

DISK_FULL_MESSAGE = "磁盘空间不足，记录未保存。请清理磁盘后再点保存，已填写的内容仍在窗口中。"
IO_ERROR_MESSAGE = (
    "读写磁盘出错，记录未保存。请检查数据所在的磁盘（是否被拔出、是否损坏）后再点保存，"
    "已填写的内容仍在窗口中。"
)
MESSAGES: dict[StorageKind, str] = {"full": DISK_FULL_MESSAGE, "io": IO_ERROR_MESSAGE}

_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_WINDOWS_DISK_FULL = frozenset({39, 112})  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL


class StorageError(RuntimeError):
    """Nothing was saved because the disk is full (`kind == "full"`) or failing (`"io"`)."""

    def __init__(self, kind: StorageKind, detail: str = "") -> None:
        super().__init__(MESSAGES[kind])
        self.kind: StorageKind = kind
        self.detail = detail  # the original error's text, for the log


def translate_storage_error(exc: BaseException) -> StorageError | None:
    """The StorageError for a full or failing disk; None for every other error."""
    if isinstance(exc, StorageError):
        return exc
    kind = _sqlite_kind(exc) if isinstance(exc, sqlite3.Error) else None
    if kind is None and isinstance(exc, OSError):
        kind = _os_kind(exc)
    return None if kind is None else StorageError(kind, str(exc))


def _sqlite_kind(exc: sqlite3.Error) -> StorageKind | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF  # extended codes such as SQLITE_IOERR_WRITE keep it in the low byte
        if primary == SQLITE_FULL:
            return "full"
        if primary == SQLITE_IOERR:
            return "io"
        return None
    text = str(exc).lower()
    if "database or disk is full" in text:
        return "full"
    if "disk i/o error" in text:
        return "io"
    return None


def _os_kind(exc: OSError) -> StorageKind | None:
    if exc.errno in _FULL_ERRNOS or getattr(exc, "winerror", None) in _WINDOWS_DISK_FULL:
        return "full"
    if exc.errno == errno.EIO:
        return "io"
    return None
