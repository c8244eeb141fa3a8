"""The complaint register's repository: the only place complaint SQL is written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from app.db.connection import Database
from app.domain.complaint import (
    Attribution,
    Channel,
    Complaint,
    Opinion,
    ReplyMethod,
    ReturnVisit,
    Severity,
    Status,
    Urgency,
    Validity,
)
from app.domain.id_list import IdList
from app.domain.listing import SORT_COLUMNS, ComplaintFilter, ComplaintRow, QuickView, Sort
from app.domain.voiding import Voiding
from app.store.events import EventLog
from app.store.register_list import RegisterList
from app.store.rows import dt_in, dt_in_required, dt_out, enum_in, enum_out
from app.store.search_index import SearchIndex
from app.store.search_text import match_expression
from app.store.voiding import not_voided, voided, voiding_in, write_void

PREFIX = "TS"  # 投诉
_TEXT_FIELDS = (
    "no",
    "receiver",
    "complainant",
    "room",
    "phone",
    "content",
    "category",
    "request",
    "immediate_reply",
    "follow_up_party",
    "follow_up_result",
    "cause_analysis",
    "measures",
    "responsible_dept",
    "handler",
    "reply_content",
    "visitor",
    "visit_method",
    "opinion_remarks",
    "reviewed_by",
)
_ESCALATED = (
    "c.id IN (SELECT t.complaint_id FROM transfer_sheets t "
    "WHERE t.completed_on IS NULL AND t.voided_at IS NULL)"
)
# "not closed" as a list, so the status index is searched rather than the table scanned
_OPEN = "c.status IN ({})".format(", ".join(f"'{s.value}'" for s in Status if s != Status.CLOSED))
_ROW_COLUMNS = (
    "c.id, c.no, c.received_at, c.complainant, c.room, c.category, substr(c.content, 1, 80) "
    "AS summary, c.urgency, coalesce(c.validity, '') AS validity, c.status, c.responsible_dept, "
    f"c.handler, c.reply_due_at, c.replied_at, c.reopen_count, {_ESCALATED} AS escalated, "
    "CASE WHEN c.voided_at IS NOT NULL THEN coalesce(c.void_reason, '') END AS void_reason"
)
_LIVE = not_voided("complaints", "c")


def to_row(c: Complaint) -> dict[str, Any]:
    visit = c.visit
    return {
        "no": c.no,
        "received_at": dt_out(c.received_at),
        "receiver": c.receiver,
        "complainant": c.complainant,
        "room": c.room,
        "phone": c.phone,
        "channel": enum_out(c.channel),
        "content": c.content,
        "category": c.category,
        "request": c.request,
        "requested_reply_at": dt_out(c.requested_reply_at),
        "severity": enum_out(c.severity),
        "urgency": enum_out(c.urgency),
        "immediate_reply": c.immediate_reply,
        "validity": enum_out(c.validity),
        "attribution": enum_out(c.attribution),
        "follow_up_party": c.follow_up_party,
        "follow_up_result": c.follow_up_result,
        "follow_up_closed_at": dt_out(c.follow_up_closed_at),
        "cause_analysis": c.cause_analysis,
        "measures": c.measures,
        "responsible_dept": c.responsible_dept,
        "handler": c.handler,
        "completed_at": dt_out(c.completed_at),
        "reply_method": enum_out(c.reply_method),
        "replied_at": dt_out(c.replied_at),
        "reply_content": c.reply_content,
        "visited_at": dt_out(visit.visited_at) if visit else None,
        "visitor": visit.visitor if visit else "",
        "visit_method": visit.method if visit else "",
        "opinion": enum_out(visit.opinion) if visit else None,
        "opinion_remarks": visit.remarks if visit else "",
        "reopen_count": c.reopen_count,
        "reviewed_by": c.reviewed_by,
        "reviewed_at": dt_out(c.reviewed_at),
        "status": enum_out(c.status),
        "closed_at": dt_out(c.closed_at),
    }


def from_row(r: dict[str, Any], past_visits: list[ReturnVisit]) -> Complaint:
    visit = None
    if r["visited_at"]:
        visit = ReturnVisit(
            visited_at=dt_in_required(r["visited_at"]),
            visitor=r["visitor"],
            method=r["visit_method"],
            opinion=Opinion(r["opinion"]),
            remarks=r["opinion_remarks"],
        )
    return Complaint(
        id=r["id"],
        no=r["no"],
        received_at=dt_in_required(r["received_at"]),
        receiver=r["receiver"],
        complainant=r["complainant"],
        room=r["room"],
        phone=r["phone"],
        channel=Channel(r["channel"]),
        content=r["content"],
        category=r["category"],
        request=r["request"],
        requested_reply_at=dt_in(r["requested_reply_at"]),
        severity=Severity(r["severity"]),
        urgency=Urgency(r["urgency"]),
        immediate_reply=r["immediate_reply"],
        validity=enum_in(Validity, r["validity"]),
        attribution=enum_in(Attribution, r["attribution"]),
        follow_up_party=r["follow_up_party"],
        follow_up_result=r["follow_up_result"],
        follow_up_closed_at=dt_in(r["follow_up_closed_at"]),
        cause_analysis=r["cause_analysis"],
        measures=r["measures"],
        responsible_dept=r["responsible_dept"],
        handler=r["handler"],
        completed_at=dt_in(r["completed_at"]),
        reply_method=enum_in(ReplyMethod, r["reply_method"]),
        replied_at=dt_in(r["replied_at"]),
        reply_content=r["reply_content"],
        visit=visit,
        past_visits=past_visits,
        reopen_count=r["reopen_count"],
        reviewed_by=r["reviewed_by"],
        reviewed_at=dt_in(r["reviewed_at"]),
        status=Status(r["status"]),
        closed_at=dt_in(r["closed_at"]),
        void=voiding_in(r),
    )


class ComplaintStore:
    """投诉登记 in SQLite. Writes must run inside `database.transaction()`."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.search = SearchIndex(database, "complaint_search")
        self.events_log = EventLog(database, "complaint")
        self.listing = RegisterList(
            database,
            self.search,
            table="complaints",
            alias="c",
            list_index="complaints_list",
            date_column="received_at",
            sort_columns=SORT_COLUMNS,
            where=self._where,
        )

    # ----- writing
    def insert(self, c: Complaint, *, due_at: datetime, estimated: bool, now: datetime) -> int:
        row = to_row(c) | {
            "reply_due_at": dt_out(due_at),
            "due_estimated": int(estimated),
            "created_at": dt_out(now),
            "updated_at": dt_out(now),
        }
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        cur = self.database.conn.execute(f"INSERT INTO complaints ({cols}) VALUES ({marks})", row)
        complaint_id = int(cur.lastrowid or 0)
        self._write_past_visits(complaint_id, c.past_visits)
        self._reindex(complaint_id, row)
        return complaint_id

    def update(self, c: Complaint, *, due_at: datetime, estimated: bool, now: datetime) -> None:
        assert c.id is not None
        row = to_row(c) | {
            "reply_due_at": dt_out(due_at),
            "due_estimated": int(estimated),
            "updated_at": dt_out(now),
        }
        sets = ", ".join(f"{k} = :{k}" for k in row)
        old_received = self.database.scalar(
            "SELECT received_at FROM complaints WHERE id = ?", (c.id,)
        )
        self.database.conn.execute(
            f"UPDATE complaints SET {sets} WHERE id = :id", row | {"id": c.id}
        )
        self.database.conn.execute(
            "DELETE FROM complaint_past_visits WHERE complaint_id = ?", (c.id,)
        )
        self._write_past_visits(c.id, c.past_visits)
        self._reindex(c.id, row, old_received)

    def void(self, complaint_id: int, voiding: Voiding) -> None:
        write_void(self.database, "complaints", complaint_id, voiding)

    def set_due(self, complaint_id: int, due_at: datetime, estimated: bool) -> None:
        self.database.conn.execute(
            "UPDATE complaints SET reply_due_at = ?, due_estimated = ? WHERE id = ?",
            (dt_out(due_at), int(estimated), complaint_id),
        )

    def add_event(
        self, complaint_id: int, at: datetime, actor: str, action: str, detail: str = ""
    ) -> None:
        self.events_log.add(complaint_id, at, actor, action, detail)

    def _write_past_visits(self, complaint_id: int, visits: Sequence[ReturnVisit]) -> None:
        self.database.conn.executemany(
            "INSERT INTO complaint_past_visits "
            "(complaint_id, visited_at, visitor, method, opinion, remarks) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    complaint_id,
                    dt_out(v.visited_at),
                    v.visitor,
                    v.method,
                    v.opinion.value,
                    v.remarks,
                )
                for v in visits
            ],
        )

    def reindex(self, complaint_id: int) -> None:
        """Rewrite the complaint's search entry from its stored row, after a change written
        straight in SQL (the retention job's anonymising)."""
        (row,) = self.database.query("SELECT * FROM complaints WHERE id = ?", (complaint_id,))
        self._reindex(complaint_id, row, row["received_at"])

    def _reindex(
        self, complaint_id: int, row: dict[str, Any], old_received: str | None = None
    ) -> None:
        self.search.write(
            complaint_id,
            dt_in_required(row["received_at"]),
            [str(row.get(f) or "") for f in _TEXT_FIELDS],
            dt_in(old_received),
        )

    # ----- reading one
    def get(self, complaint_id: int) -> Complaint | None:
        rows = self.database.query("SELECT * FROM complaints WHERE id = ?", (complaint_id,))
        return self._load(rows[0]) if rows else None

    def get_by_no(self, no: str) -> Complaint | None:
        rows = self.database.query("SELECT * FROM complaints WHERE no = ?", (no,))
        return self._load(rows[0]) if rows else None

    def id_for_no(self, no: str) -> int | None:
        value = self.database.scalar("SELECT id FROM complaints WHERE no = ?", (no,))
        return None if value is None else int(value)

    def due(self, complaint_id: int) -> tuple[datetime, bool]:
        rows = self.database.query(
            "SELECT reply_due_at, due_estimated FROM complaints WHERE id = ?", (complaint_id,)
        )
        return dt_in_required(rows[0]["reply_due_at"]), bool(rows[0]["due_estimated"])

    def events(self, complaint_id: int) -> list[dict[str, Any]]:
        return self.events_log.of(complaint_id)

    def _load(self, r: dict[str, Any]) -> Complaint:
        visits = [
            ReturnVisit(
                dt_in_required(v["visited_at"]),
                v["visitor"],
                v["method"],
                Opinion(v["opinion"]),
                v["remarks"],
            )
            for v in self.database.query(
                "SELECT * FROM complaint_past_visits WHERE complaint_id = ? ORDER BY id",
                (r["id"],),
            )
        ]
        return from_row(r, visits)

    # ----- the list
    def list_ids(
        self, flt: ComplaintFilter, sort: Sort, now: datetime, limit: int | None = None
    ) -> IdList:
        """Ids of the matching complaints in display order (see RegisterList.ids)."""
        return self.listing.ids(flt, sort, now, limit)

    def rows(self, ids: Sequence[int]) -> list[ComplaintRow]:
        """List rows for these ids, in the order given."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        found = {
            r["id"]: r
            for r in self.database.query(
                f"SELECT {_ROW_COLUMNS} FROM complaints c WHERE c.id IN ({marks})", list(ids)
            )
        }
        return [_list_row(found[i]) for i in ids if i in found]

    def count(self, flt: ComplaintFilter | None = None, now: datetime | None = None) -> int:
        """How many complaints match (all of them without a filter)."""
        return self.listing.count(flt or ComplaintFilter(), now or datetime.now())

    def iter_all(self, ids: Sequence[int] | None = None) -> Iterator[Complaint]:
        """Every complaint (or these), oldest first, for export: one page in memory at a time."""
        yield from self.listing.records(self._load, ids)

    def estimated_due_span(self) -> tuple[datetime, datetime] | None:
        """First receipt and last deadline of unreplied complaints with an estimated deadline."""
        rows = self.database.query(
            "SELECT min(received_at) AS first, max(reply_due_at) AS last FROM complaints "
            "WHERE due_estimated = 1 AND replied_at IS NULL AND voided_at IS NULL"
        )
        if not rows or rows[0]["first"] is None:
            return None
        return dt_in_required(rows[0]["first"]), dt_in_required(rows[0]["last"])

    def open_ids(self) -> list[int]:
        """Complaints still waiting for their reply (not voided): their deadlines can move."""
        return [
            r[0]
            for r in self.database.reader().execute(
                "SELECT id FROM complaints WHERE replied_at IS NULL AND voided_at IS NULL"
            )
        ]

    def _where(self, flt: ComplaintFilter, now: datetime) -> tuple[str, dict[str, Any]]:
        clauses = ["1"]
        params: dict[str, Any] = {"now": dt_out(now)}
        view = flt.view
        if view == QuickView.VOIDED:
            clauses.append(voided("c"))
        elif view != QuickView.ALL or flt.statuses:
            clauses.append(_LIVE)  # a work queue, or a status a voided row no longer shows
        if view == QuickView.OPEN:
            clauses.append(_OPEN)
        elif view == QuickView.DUE_TODAY:
            day = now.replace(hour=0, minute=0, second=0, microsecond=0)
            params |= {"day0": dt_out(day), "day1": dt_out(day + timedelta(days=1))}
            clauses.append(
                "c.replied_at IS NULL AND c.reply_due_at >= :day0 AND c.reply_due_at < :day1"
            )
        elif view == QuickView.OVERDUE:
            clauses.append("c.replied_at IS NULL AND c.reply_due_at < :now")
        elif view == QuickView.AWAITING_VISIT:
            clauses.append(f"c.status = '{Status.AWAITING_VISIT.value}'")
        elif view == QuickView.ESCALATED:
            clauses.append(_ESCALATED)
        if flt.statuses:
            names = sorted(s.value for s in flt.statuses)
            params |= {f"st{i}": s for i, s in enumerate(names)}
            clauses.append(f"c.status IN ({','.join(f':st{i}' for i in range(len(names)))})")
        if flt.received_from:
            params["from"] = flt.received_from.isoformat()
            clauses.append("c.received_at >= :from")
        if flt.received_to:
            params["to"] = (flt.received_to + timedelta(days=1)).isoformat()
            clauses.append("c.received_at < :to")
        if flt.dept:
            params["dept"] = flt.dept
            clauses.append("c.responsible_dept = :dept")
        if flt.category:
            params["category"] = flt.category
            clauses.append("c.category = :category")
        if flt.validity is not None:
            if flt.validity.value == "未判定":
                clauses.append("c.validity IS NULL")
            else:
                params["validity"] = flt.validity.value
                clauses.append("c.validity = :validity")
        expression = match_expression(flt.text)
        if expression:
            params["match"] = expression
            clauses.append(self.search.match_clause())
        return " AND ".join(clauses), params


def _list_row(r: dict[str, Any]) -> ComplaintRow:
    return ComplaintRow(
        id=r["id"],
        no=r["no"],
        received_at=dt_in_required(r["received_at"]),
        complainant=r["complainant"],
        room=r["room"],
        category=r["category"],
        summary=r["summary"].replace("\n", " "),
        urgency=r["urgency"],
        validity=r["validity"],
        status=Status(r["status"]),
        responsible_dept=r["responsible_dept"],
        handler=r["handler"],
        reply_due_at=dt_in_required(r["reply_due_at"]),
        replied_at=dt_in(r["replied_at"]),
        escalated=bool(r["escalated"]),
        reopen_count=r["reopen_count"],
        void_reason=r["void_reason"],
    )
