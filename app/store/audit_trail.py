"""Reading the audit trail: who created a record, and a record's change history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.db import audit
from app.db.connection import Database


@dataclass(frozen=True)
class Change:
    """One column's earlier and later value; `personal` ones are None once anonymised."""

    column: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    at: str
    actor: str
    action: str  # baseline / insert / update / delete, or a note such as export_unmasked
    changes: tuple[Change, ...]


class AuditTrail:
    def __init__(self, database: Database) -> None:
        self.database = database

    def creator(self, table: str, record_id: int) -> str | None:
        """The user who inserted the row, or None (a row from before the trail)."""
        value = self.database.scalar(
            "SELECT actor FROM audit_log WHERE record_type = ? AND record_id = ? "
            "AND action = 'insert' ORDER BY seq DESC LIMIT 1",
            (table, record_id),
        )
        return None if value is None else str(value)

    def note(
        self, action: str, subject: str, details: dict[str, object], record_id: int | None = None
    ) -> None:
        """Add an entry that is not a row change; joins the caller's transaction if any."""
        with self.database.transaction() as conn:
            audit.note(conn, action, subject, details, record_id)

    def history(self, table: str, record_id: int) -> list[HistoryEntry]:
        """Every entry of one record, oldest first, with personal values where still kept."""
        entries = self.database.query(
            "SELECT seq, at, actor, action, changes FROM audit_log "
            "WHERE record_type = ? AND record_id = ? ORDER BY seq",
            (table, record_id),
        )
        personal: dict[tuple[int, str], tuple[Any, Any]] = {
            (r["seq"], r["field"]): (r["old"], r["new"])
            for r in self.database.query(
                "SELECT seq, field, old, new FROM audit_personal "
                "WHERE record_type = ? AND record_id = ?",
                (table, record_id),
            )
        }
        out = []
        for e in entries:
            raw: dict[str, Any] = json.loads(e["changes"]) if e["changes"] else {}
            changes = []
            for column, values in raw.items():
                if values is None:
                    old, new = personal.get((e["seq"], column), (None, None))
                else:
                    old, new = values if isinstance(values, list) else (None, values)
                changes.append(Change(column, old, new))
            out.append(HistoryEntry(e["at"], e["actor"], e["action"], tuple(changes)))
        return out
