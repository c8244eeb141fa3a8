"""Writing a file so that a crash never leaves half of it behind."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

_O_BINARY: int = getattr(os, "O_BINARY", 0)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A new file beside `path`, moved over it only when the with-block succeeds.

    Raises OSError (a locked target, a missing folder, a full disk); the old file is then
    untouched and no temporary file is left behind.
    """
    folder = path.parent
    while True:
        tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            # 0o666 lets the umask decide, as for any other new file.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with open(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as f:
        f.write(data)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open a folder, and needs no help."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
