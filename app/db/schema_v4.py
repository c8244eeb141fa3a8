"""Schema 4: accounts, the hash-chained audit trail, voiding and anonymising.

Existing rows get a `baseline` entry each, so the trail can vouch for data written before it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from app.db import audit

VOIDABLE = ("complaints", "repairs", "transfer_sheets", "work_notices")
ANONYMISABLE = ("complaints", "repairs")

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        roles TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        record_type TEXT NOT NULL,
        record_id INTEGER,
        changes TEXT,
        row_hash BLOB,
        hash BLOB NOT NULL
    )""",
    "CREATE INDEX audit_log_record ON audit_log (record_type, record_id, seq)",
    """CREATE TABLE audit_personal (
        id INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL,
        record_type TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        field TEXT NOT NULL,
        old TEXT,
        new TEXT
    )""",
    "CREATE INDEX audit_personal_record ON audit_personal (record_type, record_id)",
    "CREATE INDEX audit_personal_seq ON audit_personal (seq)",
    *(
        f"ALTER TABLE {table} ADD COLUMN {column}"
        for table in VOIDABLE
        for column in ("voided_at TEXT", "voided_by TEXT NOT NULL DEFAULT ''", "void_reason TEXT")
    ),
    *(f"ALTER TABLE {table} ADD COLUMN anonymised_at TEXT" for table in ANONYMISABLE),
    # the 已作废 view and the work queues' "not voided" test read these
    *(
        f"CREATE INDEX {table}_voided ON {table} (voided_at) WHERE voided_at IS NOT NULL"
        for table in ("complaints", "repairs")
    ),
)


TRAIL_SINCE = 4
"""From this schema on, every migration ends by reinstalling the audit triggers."""


def start_trail(conn: sqlite3.Connection) -> None:
    """Vouch for the rows already there (the triggers are installed after each migration)."""
    audit.write_baseline(conn, datetime.now().isoformat(sep=" ", timespec="seconds"), "系统升级")


STEPS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (*STATEMENTS, start_trail)
