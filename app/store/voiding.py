"""作废 as every voidable register stores it: voided_at, voided_by and void_reason on the row
(complaints, repairs, transfer_sheets, work_notices; schema 4). Rows are never deleted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.db.connection import Database
from app.db.schema_v4 import VOIDABLE
from app.domain.voiding import Voiding
from app.store.rows import dt_in, dt_out


def voiding_in(r: Mapping[str, Any]) -> Voiding | None:
    at = dt_in(r["voided_at"])
    return None if at is None else Voiding(at, r["voided_by"] or "", r["void_reason"] or "")


def write_void(database: Database, table: str, record_id: int, voiding: Voiding) -> None:
    """Mark the row voided (inside the caller's transaction); a voided row is left as it is."""
    assert table in VOIDABLE
    stamp = dt_out(voiding.at)
    database.conn.execute(
        f"UPDATE {table} SET voided_at = ?, voided_by = ?, void_reason = ?, updated_at = ? "
        "WHERE id = ? AND voided_at IS NULL",
        (stamp, voiding.by, voiding.reason, stamp, record_id),
    )


def not_voided(table: str, alias: str) -> str:
    """The condition that leaves voided rows out of a work queue.

    Written as NOT IN over the few voided ids rather than ``voided_at IS NULL``: the ids come
    from the voided rows' partial index in one read, so the queue's own (covering) index still
    answers everything else without visiting the table row by row.
    """
    return f"{alias}.id NOT IN (SELECT id FROM {table} WHERE voided_at IS NOT NULL)"


def voided(alias: str) -> str:
    return f"{alias}.voided_at IS NOT NULL"
