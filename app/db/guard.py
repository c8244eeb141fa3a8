"""Guarding the data folder before the database is opened: one copy of the app per folder, no
network shares, and a health check that looks harder after an unclean exit (停电, 强制结束).

Start-up order (see `open_guard`): check the location → take the instance lock → check the
file (a full check when the last run left its marker) → write the marker → open the database.
On a clean close: close the database → remove the marker → release the lock.

Each step lives in a module of its own (`instance_lock`, `location`, `startup_check`); their
names are importable from here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db.instance_lock import LOCK_FILENAME, AlreadyRunningError, InstanceLock, LockHolder
from app.db.location import (
    LocationProbes,
    LocationRefusedError,
    LocationVerdict,
    Mount,
    check_location,
    parse_mount_output,
    parse_proc_mounts,
)
from app.db.startup_check import (
    MARKER_FILENAME,
    CleanShutdownMarker,
    HealthReport,
    check_now,
    startup_check,
)

__all__ = [
    "LOCK_FILENAME",
    "MARKER_FILENAME",
    "AlreadyRunningError",
    "CleanShutdownMarker",
    "FolderGuard",
    "HealthReport",
    "InstanceLock",
    "LocationProbes",
    "LocationRefusedError",
    "LocationVerdict",
    "LockHolder",
    "Mount",
    "check_location",
    "open_guard",
    "parse_mount_output",
    "parse_proc_mounts",
    "check_now",
    "startup_check",
]


@dataclass
class FolderGuard:
    """What the start-up checks found, holding the lock until `close()`.

    Hand `health` to `recover_corrupt`, so the file is not checked a second time."""

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
    folder: Path,
    database_path: Path,
    probes: LocationProbes | None = None,
    *,
    defer_quick_check: bool = False,
) -> FolderGuard:
    """Location → lock → health → marker, before the database is opened.

    Raises LocationRefusedError (network share) or AlreadyRunningError (another copy).
    `defer_quick_check`: after a clean exit, leave quick_check to `check_now` (the window runs
    it once it shows; a full check after an unclean exit is never deferred).
    A cloud-synced folder only sets `location.warn`; a damaged file only `health.ok = False`.
    """
    location = check_location(folder, probes)
    if location.refuse:
        raise LocationRefusedError(location.message)
    lock = InstanceLock(folder)
    lock.acquire()
    try:
        marker = CleanShutdownMarker(folder)
        health = startup_check(database_path, marker, defer_quick=defer_quick_check)
        marker.write()
    except BaseException:
        lock.release()
        raise
    return FolderGuard(lock, marker, location, health)
