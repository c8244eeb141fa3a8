"""The event log every register shares: what happened to a record, when and by whom."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.db.connection import Database
from app.store.rows import dt_out


class EventLog:
    """Events of one register ("complaint", "repair", …). Writes join the caller's transaction."""

    def __init__(self, database: Database, register: str) -> None:
        self.database = database
        self.register = register

    def add(self, record_id: int, at: datetime, actor: str, action: str, detail: str = "") -> None:
        self.database.conn.execute(
            "INSERT INTO record_events (register, record_id, at, actor, action, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (self.register, record_id, dt_out(at), actor, action, detail),
        )

    def of(self, record_id: int) -> list[dict[str, Any]]:
        return self.database.query(
            "SELECT at, actor, action, detail FROM record_events "
            "WHERE register = ? AND record_id = ? ORDER BY id",
            (self.register, record_id),
        )
