"""Numbered, transactional schema migrations, applied at start-up.

Schema version N is `PRAGMA user_version = N`. Each migration runs inside one transaction with
the version bump, so a crash leaves the old schema or the new one, never a mix. An existing
database is copied (backup API) before it is migrated. A database written by a newer app is
refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from app.db import audit, schema_v1, schema_v2, schema_v3, schema_v4
from app.db.backup import backup_name, backup_to

if TYPE_CHECKING:
    from app.db.connection import Database

Step = str | Callable[[sqlite3.Connection], None]
"""A SQL statement, or a function run on the connection inside the migration's transaction."""

MIGRATIONS: tuple[Sequence[Step], ...] = (
    schema_v1.STATEMENTS,
    schema_v2.STATEMENTS,
    schema_v3.STATEMENTS,
    schema_v4.STEPS,
)
SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseTooNewError(RuntimeError):
    """The file was written by a newer version of the app."""

    def __init__(self, found: int) -> None:
        super().__init__(
            f"数据库版本（{found}）比本程序支持的版本（{SCHEMA_VERSION}）新，"
            "请安装新版程序后再打开，以免损坏数据。"
        )
        self.found = found


def current_version(database: Database) -> int:
    return int(database.scalar("PRAGMA user_version"))


def migrate(database: Database) -> int:
    """Bring the schema up to SCHEMA_VERSION; returns the number of migrations applied."""
    version = current_version(database)
    if version > SCHEMA_VERSION:
        raise DatabaseTooNewError(version)
    if version == SCHEMA_VERSION:
        return 0
    if version > 0 and database.path is not None:
        target = (
            database.path.parent / "backups" / backup_name(f"before-v{version + 1}", datetime.now())
        )
        backup_to(database.conn, target)
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with database.transaction() as conn:
            for step in MIGRATIONS[number - 1]:
                if isinstance(step, str):
                    conn.execute(step)
                else:
                    step(conn)
            if number >= schema_v4.TRAIL_SINCE:
                # columns may have changed: the audit triggers follow the tables as they now are
                audit.install_triggers(conn)
            conn.execute(f"PRAGMA user_version = {number}")
    return SCHEMA_VERSION - version
