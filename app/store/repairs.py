"""The repair register's repository: the only place repair SQL is written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from app.db.connection import Database
from app.domain.id_list import IdList
from app.domain.listing import Sort
from app.domain.repair import (
    Acceptance,
    ChargeLine,
    NotHomeAction,
    NotHomeVisit,
    RepairChannel,
    RepairStatus,
    RepairTicket,
    RepairUrgency,
    RepairVisit,
    Satisfaction,
)
from app.domain.repair_listing import REPAIR_SORT_COLUMNS, RepairFilter, RepairRow, RepairView
from app.domain.voiding import Voiding
from app.store.events import EventLog
from app.store.register_list import RegisterList
from app.store.rows import dt_in, dt_in_required, dt_out, enum_out
from app.store.search_index import SearchIndex
from app.store.search_text import match_expression
from app.store.voiding import not_voided, voided, voiding_in, write_void

PREFIX = "WX"  # 维修
_TEXT_FIELDS = (
    "no",
    "reporter",
    "room",
    "location",
    "phone",
    "category",
    "description",
    "repairer",
    "result",
    "visitor",
    "visit_remarks",
    "acceptance_remarks",
)
_OPEN = "r.status IN ({})".format(
    ", ".join(f"'{s.value}'" for s in RepairStatus if s != RepairStatus.CLOSED)
)
_ROW_COLUMNS = (
    "r.id, r.no, r.reported_at, r.place, r.reporter, r.category, "
    "substr(r.description, 1, 80) AS summary, r.urgency, r.status, r.repairer, "
    "r.arrive_due_at, r.complete_due_at, r.arrived_at, r.completed_at, r.chargeable, "
    "r.rework_of, r.reopen_count, c.no AS complaint_no, r.visit_due_at, "
    "CASE WHEN r.voided_at IS NOT NULL THEN coalesce(r.void_reason, '') END AS void_reason"
)
_LIVE = not_voided("repairs", "r")


def to_row(t: RepairTicket) -> dict[str, Any]:
    a, v = t.acceptance, t.visit
    return {
        "no": t.no,
        "reported_at": dt_out(t.reported_at),
        "reporter": t.reporter,
        "room": t.room,
        "location": t.location,
        "facility_id": t.facility_id,
        "place": t.place,
        "phone": t.phone,
        "channel": enum_out(t.channel),
        "category": t.category,
        "description": t.description,
        "urgency": enum_out(t.urgency),
        "chargeable": int(t.chargeable),
        "appointment_at": dt_out(t.appointment_at),
        "dispatched_at": dt_out(t.dispatched_at),
        "repairer": t.repairer,
        "arrived_at": dt_out(t.arrived_at),
        "completed_at": dt_out(t.completed_at),
        "result": t.result,
        "acceptance_at": dt_out(a.at) if a else None,
        "acceptance_result": enum_out(a.result) if a else None,
        "acceptance_signed": int(a.signed_on_paper) if a else 0,
        "acceptance_remarks": a.remarks if a else "",
        "visited_at": dt_out(v.at) if v else None,
        "visitor": v.visitor if v else "",
        "visit_result": enum_out(v.result) if v else None,
        "visit_remarks": v.remarks if v else "",
        "reopen_count": t.reopen_count,
        "complaint_id": t.complaint_id,
        "rework_of": t.rework_of,
        "status": enum_out(t.status),
        "closed_at": dt_out(t.closed_at),
    }


def from_row(
    r: dict[str, Any],
    charges: list[ChargeLine],
    not_home: list[NotHomeVisit],
    past_visits: list[RepairVisit],
) -> RepairTicket:
    acceptance = None
    if r["acceptance_at"]:
        acceptance = Acceptance(
            dt_in_required(r["acceptance_at"]),
            Satisfaction(r["acceptance_result"]),
            bool(r["acceptance_signed"]),
            r["acceptance_remarks"],
        )
    visit = None
    if r["visited_at"]:
        visit = RepairVisit(
            dt_in_required(r["visited_at"]),
            r["visitor"],
            Satisfaction(r["visit_result"]),
            r["visit_remarks"],
        )
    return RepairTicket(
        id=r["id"],
        no=r["no"],
        reported_at=dt_in_required(r["reported_at"]),
        reporter=r["reporter"],
        room=r["room"],
        location=r["location"],
        facility_id=r["facility_id"],
        phone=r["phone"],
        channel=RepairChannel(r["channel"]),
        category=r["category"],
        description=r["description"],
        urgency=RepairUrgency(r["urgency"]),
        chargeable=bool(r["chargeable"]),
        appointment_at=dt_in(r["appointment_at"]),
        dispatched_at=dt_in(r["dispatched_at"]),
        repairer=r["repairer"],
        arrived_at=dt_in(r["arrived_at"]),
        completed_at=dt_in(r["completed_at"]),
        result=r["result"],
        charges=charges,
        not_home=not_home,
        acceptance=acceptance,
        visit=visit,
        past_visits=past_visits,
        reopen_count=r["reopen_count"],
        complaint_id=r["complaint_id"],
        rework_of=r["rework_of"],
        status=RepairStatus(r["status"]),
        closed_at=dt_in(r["closed_at"]),
        void=voiding_in(r),
    )


class RepairStore:
    """维修登记 in SQLite. Writes must run inside `database.transaction()`."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.search = SearchIndex(database, "repair_search")
        self.events_log = EventLog(database, "repair")
        self.listing = RegisterList(
            database,
            self.search,
            table="repairs",
            alias="r",
            list_index="repairs_list",
            date_column="reported_at",
            sort_columns=REPAIR_SORT_COLUMNS,
            where=self._where,
        )

    # ----- writing
    def save(self, t: RepairTicket, *, dues: dict[str, Any], now: datetime) -> int:
        """Insert (no id) or update the ticket with its stored deadlines."""
        row = to_row(t) | dues | {"updated_at": dt_out(now)}
        conn = self.database.conn
        old_reported = None
        if t.id is None:
            row["created_at"] = dt_out(now)
            cols = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            cur = conn.execute(f"INSERT INTO repairs ({cols}) VALUES ({marks})", row)
            repair_id = int(cur.lastrowid or 0)
        else:
            repair_id = t.id
            old_reported = dt_in(
                self.database.scalar("SELECT reported_at FROM repairs WHERE id = ?", (repair_id,))
            )
            sets = ", ".join(f"{k} = :{k}" for k in row)
            conn.execute(f"UPDATE repairs SET {sets} WHERE id = :id", row | {"id": repair_id})
            for table in ("repair_charges", "repair_not_home", "repair_past_visits"):
                conn.execute(f"DELETE FROM {table} WHERE repair_id = ?", (repair_id,))
        self._write_children(repair_id, t)
        self.search.write(
            repair_id, t.reported_at, [str(row.get(f) or "") for f in _TEXT_FIELDS], old_reported
        )
        return repair_id

    def reindex(self, repair_id: int) -> None:
        """Rewrite the ticket's search entry from its stored row, after a change written
        straight in SQL (the retention job's anonymising)."""
        (row,) = self.database.query("SELECT * FROM repairs WHERE id = ?", (repair_id,))
        reported = dt_in_required(row["reported_at"])
        self.search.write(repair_id, reported, [str(row[f] or "") for f in _TEXT_FIELDS], reported)

    def _write_children(self, repair_id: int, t: RepairTicket) -> None:
        conn = self.database.conn
        conn.executemany(
            "INSERT INTO repair_charges (repair_id, line_no, item, unit, quantity, "
            "unit_price_fen) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (repair_id, n, c.item, c.unit, str(c.quantity), c.unit_price_fen)
                for n, c in enumerate(t.charges, 1)
            ],
        )
        conn.executemany(
            "INSERT INTO repair_not_home (repair_id, at, action, new_appointment, note) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (repair_id, dt_out(v.at), v.action.value, dt_out(v.new_appointment), v.note)
                for v in t.not_home
            ],
        )
        conn.executemany(
            "INSERT INTO repair_past_visits (repair_id, at, visitor, result, remarks) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (repair_id, dt_out(v.at), v.visitor, v.result.value, v.remarks)
                for v in t.past_visits
            ],
        )

    def void(self, repair_id: int, voiding: Voiding) -> None:
        write_void(self.database, "repairs", repair_id, voiding)

    def set_dues(self, repair_id: int, dues: dict[str, Any]) -> None:
        sets = ", ".join(f"{k} = :{k}" for k in dues)
        self.database.conn.execute(
            f"UPDATE repairs SET {sets} WHERE id = :id", dues | {"id": repair_id}
        )

    def add_event(
        self, repair_id: int, at: datetime, actor: str, action: str, detail: str = ""
    ) -> None:
        self.events_log.add(repair_id, at, actor, action, detail)

    # ----- reading one
    def get(self, repair_id: int) -> RepairTicket | None:
        rows = self.database.query("SELECT * FROM repairs WHERE id = ?", (repair_id,))
        return self._load(rows[0]) if rows else None

    def id_for_no(self, no: str) -> int | None:
        value = self.database.scalar("SELECT id FROM repairs WHERE no = ?", (no,))
        return None if value is None else int(value)

    def no_of(self, repair_id: int | None) -> str:
        if repair_id is None:
            return ""
        return str(self.database.scalar("SELECT no FROM repairs WHERE id = ?", (repair_id,)) or "")

    def dues(self, repair_id: int) -> dict[str, Any]:
        rows = self.database.query(
            "SELECT arrive_due_at, complete_due_at, visit_due_at, due_estimated "
            "FROM repairs WHERE id = ?",
            (repair_id,),
        )
        return rows[0]

    def events(self, repair_id: int) -> list[dict[str, Any]]:
        return self.events_log.of(repair_id)

    def _load(self, r: dict[str, Any]) -> RepairTicket:
        q = self.database.query
        charges = [
            ChargeLine(c["item"], Decimal(c["quantity"]), c["unit_price_fen"], c["unit"])
            for c in q(
                "SELECT * FROM repair_charges WHERE repair_id = ? ORDER BY line_no", (r["id"],)
            )
        ]
        not_home = [
            NotHomeVisit(
                dt_in_required(v["at"]),
                NotHomeAction(v["action"]),
                dt_in(v["new_appointment"]),
                v["note"],
            )
            for v in q("SELECT * FROM repair_not_home WHERE repair_id = ? ORDER BY id", (r["id"],))
        ]
        visits = [
            RepairVisit(
                dt_in_required(v["at"]), v["visitor"], Satisfaction(v["result"]), v["remarks"]
            )
            for v in q(
                "SELECT * FROM repair_past_visits WHERE repair_id = ? ORDER BY id", (r["id"],)
            )
        ]
        return from_row(r, charges, not_home, visits)

    def earlier_completed(self, t: RepairTicket, since: datetime) -> list[dict[str, Any]]:
        """Tickets for the same place and category completed from `since` to t's report (a
        voided ticket is no earlier repair)."""
        where = "facility_id = :facility" if t.facility_id is not None else "place = :place"
        return self.database.query(
            f"SELECT id, room, location, facility_id, category, completed_at FROM repairs "
            f"WHERE {where} AND category = :category AND completed_at >= :since "
            "AND completed_at <= :reported AND id IS NOT :me AND voided_at IS NULL",
            {
                "facility": t.facility_id,
                "place": t.place,
                "category": t.category,
                "since": dt_out(since),
                "reported": dt_out(t.reported_at),
                "me": t.id,
            },
        )

    # ----- lists
    def list_ids(
        self, flt: RepairFilter, sort: Sort, now: datetime, limit: int | None = None
    ) -> IdList:
        """Ids of the matching tickets in display order (see RegisterList.ids)."""
        return self.listing.ids(flt, sort, now, limit)

    def count(self, flt: RepairFilter, now: datetime) -> int:
        return self.listing.count(flt, now)

    def rows(self, ids: Sequence[int]) -> list[RepairRow]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        found = {
            r["id"]: r
            for r in self.database.query(
                f"SELECT {_ROW_COLUMNS} FROM repairs r LEFT JOIN complaints c "
                f"ON c.id = r.complaint_id WHERE r.id IN ({marks})",
                list(ids),
            )
        }
        totals = dict.fromkeys(found, 0)  # 费用合计, rounded per line as the ticket does
        for ch in self.database.query(
            f"SELECT repair_id, quantity, unit_price_fen FROM repair_charges "
            f"WHERE repair_id IN ({marks})",
            list(ids),
        ):
            line = ChargeLine("", Decimal(ch["quantity"]), ch["unit_price_fen"])
            totals[ch["repair_id"]] += line.total_fen
        return [_list_row(found[i], totals[i]) for i in ids if i in found]

    def open_ids(self) -> list[int]:
        """Tickets still being worked on (not voided): their deadlines can move."""
        return [
            r[0]
            for r in self.database.reader().execute(
                f"SELECT r.id FROM repairs r WHERE {_OPEN} AND {_LIVE}"
            )
        ]

    def ids_where(self, column: str, value: object) -> list[int]:
        """Ids of tickets linked to a complaint or a facility, oldest first."""
        assert column in ("complaint_id", "facility_id")
        return [
            r[0]
            for r in self.database.reader().execute(
                f"SELECT id FROM repairs WHERE {column} = ? ORDER BY reported_at, id", (value,)
            )
        ]

    def iter_all(self, ids: Sequence[int] | None = None) -> Iterator[RepairTicket]:
        """Every ticket (or these), oldest first, for export: one page in memory at a time."""
        yield from self.listing.records(self._load, ids)

    def _where(self, flt: RepairFilter, now: datetime) -> tuple[str, dict[str, Any]]:
        clauses = ["1"]
        params: dict[str, Any] = {"now": dt_out(now)}
        view = flt.view
        if view == RepairView.VOIDED:
            clauses.append(voided("r"))
        elif view != RepairView.ALL or flt.statuses:
            clauses.append(_LIVE)  # a work queue, or a status a voided row no longer shows
        if view == RepairView.OPEN:
            clauses.append(_OPEN)
        elif view == RepairView.TO_DISPATCH:
            clauses.append(f"r.status = '{RepairStatus.REPORTED.value}'")
        elif view == RepairView.OVERDUE:
            # "+" keeps the due-date indexes out: nearly every old ticket's dues are past, so
            # SQLite should start from the few open tickets (status index) and check their dues
            clauses.append(
                f"{_OPEN} AND ((r.arrived_at IS NULL AND +r.arrive_due_at < :now) "
                "OR (r.completed_at IS NULL AND +r.complete_due_at < :now) "
                f"OR (r.status = '{RepairStatus.AWAITING_VISIT.value}' "
                "AND +r.visit_due_at < :now))"
            )
        elif view == RepairView.AWAITING_ACCEPTANCE:
            clauses.append(f"r.status = '{RepairStatus.AWAITING_ACCEPTANCE.value}'")
        elif view == RepairView.AWAITING_VISIT:
            clauses.append(f"r.status = '{RepairStatus.AWAITING_VISIT.value}'")
        elif view == RepairView.REWORK:
            clauses.append("r.rework_of IS NOT NULL")
        if flt.statuses:
            names = sorted(s.value for s in flt.statuses)
            params |= {f"st{i}": s for i, s in enumerate(names)}
            clauses.append(f"r.status IN ({','.join(f':st{i}' for i in range(len(names)))})")
        if flt.reported_from:
            params["from"] = flt.reported_from.isoformat()
            clauses.append("r.reported_at >= :from")
        if flt.reported_to:
            params["to"] = (flt.reported_to + timedelta(days=1)).isoformat()
            clauses.append("r.reported_at < :to")
        for name in ("category", "repairer", "urgency"):
            value = getattr(flt, name)
            if value:
                params[name] = value
                clauses.append(f"r.{name} = :{name}")
        expression = match_expression(flt.text)
        if expression:
            params["match"] = expression
            clauses.append(self.search.match_clause())
        return " AND ".join(clauses), params


def _list_row(r: dict[str, Any], gross_fen: int) -> RepairRow:
    return RepairRow(
        id=r["id"],
        no=r["no"],
        reported_at=dt_in_required(r["reported_at"]),
        place=r["place"],
        reporter=r["reporter"],
        category=r["category"],
        summary=r["summary"].replace("\n", " "),
        urgency=r["urgency"],
        status=RepairStatus(r["status"]),
        repairer=r["repairer"],
        arrive_due_at=dt_in_required(r["arrive_due_at"]),
        complete_due_at=dt_in_required(r["complete_due_at"]),
        arrived_at=dt_in(r["arrived_at"]),
        completed_at=dt_in(r["completed_at"]),
        total_fen=gross_fen if r["chargeable"] else 0,
        rework=r["rework_of"] is not None,
        reopen_count=r["reopen_count"],
        complaint_no=r["complaint_no"] or "",
        visit_due_at=dt_in(r["visit_due_at"]),
        void_reason=r["void_reason"],
    )
