"""Numbered, transactional schema migrations, applied at start-up.

Schema version N is `PRAGMA user_version = N`. Each migration runs inside one transaction with
the version bump, so a crash leaves the old schema or the new one, never a mix. An existing
database is copied (backup API) before it is migrated. A database written by a newer app is
refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from app.db import schema_v1, schema_v2, schema_v3
from app.db.backup import backup_name, backup_to

if TYPE_CHECKING:
    from app.db.connection import Database

MIGRATIONS: tuple[Sequence[str], ...] = (
    schema_v1.STATEMENTS,
    schema_v2.STATEMENTS,
    schema_v3.STATEMENTS,
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
            for statement in MIGRATIONS[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
    return SCHEMA_VERSION - version
