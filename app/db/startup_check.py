"""The start-up health check (启动检查): quick_check at every start, a full check after an
unclean exit (停电, 强制结束), told apart by a clean-shutdown marker in the data folder.

The check runs while the instance lock is held and before the database is opened; its
`HealthReport` is then handed on (to `recover_corrupt`), so a start reads the file once.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

MARKER_FILENAME = "estate.running"
SHOWN_DAMAGE = 3
"""How many of SQLite's findings `damage` quotes."""


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
    damage: str = ""
    """What is wrong with the file itself, in one line; "" when it is sound as a database
    (references to records that are gone are not damage: `problems` lists them)."""
    deferred: bool = False
    """The quick_check after a clean exit is left for `check_now`, once the window shows."""


@dataclass(frozen=True)
class _Findings:
    pragma: str
    damaged: tuple[str, ...]  # what integrity_check / quick_check said, when not "ok"
    dangling: tuple[str, ...]  # foreign_key_check, formatted for the log


def startup_check(
    database_path: Path, marker: CleanShutdownMarker | None = None, *, defer_quick: bool = False
) -> HealthReport:
    """quick_check at every start; integrity_check + foreign_key_check after an unclean exit.

    Call while holding the InstanceLock and before writing the marker. (integrity_check does
    everything quick_check does and also compares every index with its table.)

    With `defer_quick` (the window), a start after a clean exit does not wait for quick_check
    (seconds on a large file): the caller runs `check_now` once the window shows.
    """
    marker = marker or CleanShutdownMarker(database_path.parent)
    unclean = marker.exists()
    if defer_quick and not unclean and database_path.exists():
        return HealthReport(True, False, False, ("数据文件将在窗口打开后检查。",), deferred=True)
    return _checked(database_path, unclean)


def check_now(database_path: Path) -> HealthReport:
    """The quick_check a deferred start left for later (safe beside the open database)."""
    return _checked(database_path, unclean=False)


def _checked(database_path: Path, unclean: bool) -> HealthReport:
    intro: tuple[str, ...] = ()
    if unclean:
        intro = ("上次程序没有正常关闭（可能停电或被强制结束），已对数据文件做完整检查。",)
    if not database_path.exists():
        return HealthReport(True, unclean, False, (*intro, "尚无数据文件，将新建。"))
    try:
        found = _run_checks(database_path, full=unclean)
    except sqlite3.OperationalError:
        raise  # cannot open or read the file at all: not a verdict on its contents
    except sqlite3.DatabaseError as e:  # "file is not a database", "disk image is malformed"
        line = "数据文件已损坏，无法读取。请从备份恢复，不要继续录入。"
        damage = f"无法作为数据库打开（{e}）"
        return HealthReport(False, unclean, unclean, (*intro, line), (str(e),), damage)
    if not found.damaged and not found.dangling:
        return HealthReport(True, unclean, unclean, (*intro, "数据文件检查正常。"))
    problems = (*(f"{found.pragma}: {line}" for line in found.damaged), *found.dangling)
    damage = ""
    if found.damaged:
        damage = "完整性检查未通过：" + "；".join(found.damaged[:SHOWN_DAMAGE])
    lines = (*intro, *_problem_lines(found))
    return HealthReport(False, unclean, unclean, lines, problems, damage)


def _run_checks(database_path: Path, *, full: bool) -> _Findings:
    uri = database_path.resolve().as_uri() + "?mode=rw"  # never creates a file
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5.0)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        pragma = "integrity_check" if full else "quick_check"
        said = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
        dangling: list[str] = []
        if full:
            dangling = [
                f"foreign_key_check: {table} rowid {rowid} → {parent}"
                for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check")
            ]
        return _Findings(pragma, () if said == ["ok"] else tuple(said), tuple(dangling))
    finally:
        conn.close()


def _problem_lines(found: _Findings) -> list[str]:
    lines = []
    if found.damaged:
        lines.append(f"数据文件检查发现 {len(found.damaged)} 处损坏。请从备份恢复，不要继续录入。")
    if found.dangling:
        lines.append(f"有 {len(found.dangling)} 条记录引用的记录已不存在。")
    return lines
