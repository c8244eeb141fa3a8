"""The retention job's SQL: finding records whose retention period is over and anonymising them.

Writes go through ordinary UPDATE statements, so the audit triggers log each change with the
signed-in user as actor; `forget_personal_trail` then erases the trail's copies of the personal
values (audit_personal, outside the hash chain). Writes must run inside `database.transaction()`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.db.connection import Database
from app.domain.complaint import Status
from app.domain.repair import RepairStatus
from app.domain.retention import RetentionRecord
from app.store.rows import dt_in, dt_in_required, dt_out


@dataclass(frozen=True)
class Register:
    """Where one register keeps what the retention job reads and rewrites."""

    table: str
    received: str  # the receipt time column
    closed_status: str
    name: str  # 投诉人 / 报修人
    phone: str
    texts: tuple[str, ...]  # free text a name or phone number may be written in (may be NULL)
    children: tuple[tuple[str, str, str], ...]  # (table, column naming the record, free text)


COMPLAINTS = Register(
    table="complaints",
    received="received_at",
    closed_status=Status.CLOSED.value,
    name="complainant",
    phone="phone",
    texts=(
        "content",
        "request",
        "immediate_reply",
        "follow_up_party",
        "follow_up_result",
        "cause_analysis",
        "measures",
        "reply_content",
        "opinion_remarks",
        "void_reason",
    ),
    children=(("complaint_past_visits", "complaint_id", "remarks"),),
)
REPAIRS = Register(
    table="repairs",
    received="reported_at",
    closed_status=RepairStatus.CLOSED.value,
    name="reporter",
    phone="phone",
    texts=("description", "result", "acceptance_remarks", "visit_remarks", "void_reason"),
    children=(
        ("repair_past_visits", "repair_id", "remarks"),
        ("repair_not_home", "repair_id", "note"),
    ),
)


@dataclass(frozen=True)
class ChildText:
    table: str
    column: str
    id: int
    text: str
    name: str  # the record's personal name, for scrubbing


class RetentionStore:
    def __init__(
        self, database: Database, register: Register, reindex: Callable[[int], None]
    ) -> None:
        """`reindex` is the register store's: it rewrites one record's search entry."""
        self.database = database
        self.register = register
        self._reindex = reindex

    def candidates(self, cut: datetime, after_id: int, limit: int) -> list[RetentionRecord]:
        """Not yet anonymised records closed or voided before `cut`, by id after `after_id`.

        A superset of those due (app.domain.retention.is_due decides); keyed by id, so a large
        register is read a page at a time.
        """
        r = self.register
        rows = self.database.reader().execute(
            f"SELECT id, {r.received}, status, closed_at, voided_at, anonymised_at "
            f"FROM {r.table} WHERE id > :after AND anonymised_at IS NULL "
            "AND (closed_at < :cut OR voided_at < :cut) ORDER BY id LIMIT :limit",
            {"after": after_id, "cut": dt_out(cut), "limit": limit},
        )
        return [
            RetentionRecord(
                id=record_id,
                received_at=dt_in_required(received),
                closed=status == r.closed_status,
                closed_at=dt_in(closed),
                voided_at=dt_in(voided),
                anonymised_at=dt_in(anonymised),
            )
            for record_id, received, status, closed, voided, anonymised in rows
        ]

    def personal(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """Each record's id, name, phone and free text."""
        r = self.register
        cols = ", ".join(("id", r.name, r.phone, *r.texts))
        return self.database.query(
            f"SELECT {cols} FROM {r.table} WHERE id IN ({_marks(ids)})", list(ids)
        )

    def child_texts(self, ids: Sequence[int]) -> list[ChildText]:
        """The free text of the records' past return visits and similar rows."""
        r = self.register
        found = []
        for table, key, column in r.children:
            rows = self.database.reader().execute(
                f"SELECT c.id, c.{column}, p.{r.name} FROM {table} c "
                f"JOIN {r.table} p ON p.id = c.{key} WHERE c.{key} IN ({_marks(ids)})",
                list(ids),
            )
            found += [ChildText(table, column, i, text, name) for i, text, name in rows]
        return found

    def anonymise(self, values: Sequence[dict[str, Any]], now: datetime) -> None:
        """Write each record's new personal fields and free text (`values` keyed by column,
        with its `id`) and stamp it anonymised."""
        if not values:
            return
        cols = [c for c in values[0] if c != "id"]
        sets = ", ".join(f"{c} = :{c}" for c in cols)
        self.database.conn.executemany(
            f"UPDATE {self.register.table} SET {sets}, anonymised_at = :now WHERE id = :id",
            [v | {"now": dt_out(now)} for v in values],
        )

    def rewrite_child_texts(self, changed: Sequence[ChildText]) -> None:
        for child in changed:
            self.database.conn.execute(
                f"UPDATE {child.table} SET {child.column} = ? WHERE id = ?", (child.text, child.id)
            )

    def forget_personal_trail(self, ids: Sequence[int]) -> None:
        """Erase the trail's copies of the records' personal values, the ones just written by
        anonymising them included; the chained entries only ever said that they changed."""
        self.database.conn.execute(
            f"DELETE FROM audit_personal WHERE record_type = ? AND record_id IN ({_marks(ids)})",
            [self.register.table, *ids],
        )

    def reindex(self, ids: Sequence[int]) -> None:
        """Rewrite the records' search entries from their rows as they now stand."""
        for record_id in ids:
            self._reindex(record_id)


def _marks(ids: Sequence[int]) -> str:
    return ",".join("?" * len(ids))
