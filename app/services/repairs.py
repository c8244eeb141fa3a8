"""Repair use cases (procedure §2): report, dispatch, not-at-home, arrival, completion with
materials and fees, owner acceptance, return visit, rework; each in one transaction with its
deadlines and an event. A ticket is never deleted: it is voided (作废), and its corrections stay
readable (修改记录)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from app.db.connection import Database
from app.domain import repair_workflow as workflow
from app.domain.access import Permission
from app.domain.complaint import Urgency
from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.domain.id_list import IdList
from app.domain.listing import Sort
from app.domain.repair import (
    FIELD_LABELS,
    Acceptance,
    ChargeLine,
    NotHomeVisit,
    RepairChannel,
    RepairStatus,
    RepairTicket,
    RepairUrgency,
    RepairVisit,
    Satisfaction,
)
from app.domain.repair_listing import RepairFilter, RepairRow
from app.domain.repair_rules import (
    REWORK_DAYS,
    EarlierRepair,
    RepairDeadlines,
    find_rework,
    format_money,
    limit_for,
    place_key,
    repair_deadlines,
)
from app.domain.repair_workflow import INTAKE_FIELDS, STEP_PERMISSIONS, RepairStep
from app.domain.voiding import refuse_if_voided, void_record
from app.services.calendar import CalendarService
from app.services.clock import Clock
from app.services.complaints import ComplaintService
from app.services.record_trail import Correction, RecordTrail
from app.services.repair_reference import RepairReferenceService
from app.services.rooms import room_error
from app.services.session import Session, requires
from app.store import numbering
from app.store.audit_trail import AuditTrail
from app.store.reference import ReferenceStore
from app.store.repairs import PREFIX, RepairStore
from app.store.rows import dt_in_required, dt_out


class RepairService:
    def __init__(
        self,
        database: Database,
        reference: RepairReferenceService,
        calendar: CalendarService,
        complaints: ComplaintService,
        clock: Clock,
        *,
        session: Session,
    ) -> None:
        self.session = session
        self.trail = AuditTrail(database)
        self.records = RecordTrail(
            self.trail,
            session,
            "repairs",
            labels=FIELD_LABELS,
            intake=INTAKE_FIELDS,
            formats={"chargeable": lambda paid: "有偿" if paid else "无偿"},
        )
        self.database = database
        self.store = RepairStore(database)
        self.reference = reference
        self.households = ReferenceStore(database)
        self.calendar = calendar
        self.complaints = complaints
        self.clock = clock
        calendar.listeners.append(self.recompute_open_deadlines)
        reference.listeners.append(self.recompute_open_deadlines)

    @requires(Permission.VIEW)
    def now(self) -> datetime:
        return self.clock()

    # ----- reading
    @requires(Permission.VIEW)
    def get(self, repair_id: int) -> RepairTicket:
        t = self.store.get(repair_id)
        if t is None:
            raise WorkflowError(f"找不到维修单（id {repair_id}）")
        return t

    @requires(Permission.VIEW)
    def get_by_no(self, no: str) -> RepairTicket:
        repair_id = self.store.id_for_no(no.strip())
        if repair_id is None:
            raise WorkflowError(f"找不到编号为 {no} 的维修单")
        return self.get(repair_id)

    @requires(Permission.VIEW)
    def no_of(self, repair_id: int | None) -> str:
        return self.store.no_of(repair_id)

    @requires(Permission.VIEW)
    def deadlines(self, t: RepairTicket) -> RepairDeadlines:
        """到场/完成 limits from the 维修时限表, and the 回访 due date after completion."""
        limit = limit_for(self.reference.time_limits(), t.category, t.urgency)
        return repair_deadlines(t, limit, self.calendar.calendar())

    @requires(Permission.VIEW)
    def allowed_steps(self, t: RepairTicket) -> frozenset[RepairStep]:
        """The steps the ticket can take now that the signed-in user may do (the buttons);
        修改 without CORRECT only on one's own ticket not yet dispatched."""
        return self.records.steps_for_user(
            workflow.allowed_steps(t),
            STEP_PERMISSIONS,
            RepairStep.CORRECT_INTAKE,
            t.id or 0,
            is_draft=_is_draft(t),
        )

    @requires(Permission.VIEW)
    def history(self, repair_id: int) -> list[Correction]:
        """修改记录: each correction with who made it, when, and the earlier and later values.
        Phone numbers read as this user may see them (masked without UNMASK)."""
        return self.records.history(repair_id)

    @requires(Permission.VIEW)
    def list_ids(self, flt: RepairFilter, sort: Sort, limit: int | None = None) -> IdList:
        return self.store.list_ids(flt, sort, self.clock(), limit)

    @requires(Permission.VIEW)
    def count(self, flt: RepairFilter) -> int:
        return self.store.count(flt, self.clock())

    @requires(Permission.VIEW)
    def rows(self, ids: Sequence[int]) -> list[RepairRow]:
        return self.store.rows(ids)

    @requires(Permission.VIEW)
    def events(self, repair_id: int) -> list[dict[str, Any]]:
        return self.store.events(repair_id)

    @requires(Permission.VIEW)
    def tickets_for_complaint(self, complaint_id: int) -> list[RepairRow]:
        return self.store.rows(self.store.ids_where("complaint_id", complaint_id))

    @requires(Permission.VIEW)
    def suggest_repairer(self, room_or_location: str) -> str:
        """The 片区's repairer for the room's building ("" when the office set none)."""
        zone = self.reference.zone_for(room_or_location)
        return zone.repairer if zone else ""

    # ----- the workflow
    @requires(Permission.REGISTER)
    def register(self, t: RepairTicket, *, actor: str = "") -> RepairTicket:
        """报修: numbered, linked to an earlier repair when it is a rework (返修)."""
        t = workflow.register(t)
        self._check_reference(t)
        now = self.clock()
        with self.database.transaction():
            t = dataclasses.replace(t, rework_of=self.rework_of(t))
            no = numbering.next_no(self.database, PREFIX, t.reported_at.year, "repairs")
            t = dataclasses.replace(t, no=no)
            t = dataclasses.replace(t, id=self.store.save(t, dues=self.dues(t), now=now))
            detail = f"返修：原单 {self.store.no_of(t.rework_of)}" if t.rework_of else ""
            self.store.add_event(t.id or 0, now, actor or t.reporter, "报修", detail)
        return t

    @requires(Permission.REGISTER)
    def correct_intake(self, new: RepairTicket, *, actor: str = "") -> RepairTicket:
        assert new.id is not None

        def correct(old: RepairTicket) -> RepairTicket:
            self.records.require_correct(old.id or 0, _is_draft(old))
            t = workflow.correct_intake(old, new)
            self._check_reference(t, old)
            return dataclasses.replace(t, rework_of=self.rework_of(t))

        return self._apply(new.id, actor, "修改报修", correct)

    @requires(Permission.HANDLE)
    def dispatch(
        self,
        repair_id: int,
        *,
        repairer: str,
        at: datetime,
        appointment_at: datetime | None = None,
        actor: str = "",
    ) -> RepairTicket:
        detail = repairer + (f"，预约 {appointment_at:%Y-%m-%d %H:%M}" if appointment_at else "")
        return self._apply(
            repair_id,
            actor,
            "派工",
            lambda t: workflow.dispatch(t, repairer=repairer, at=at, appointment_at=appointment_at),
            detail,
        )

    @requires(Permission.HANDLE)
    def record_not_home(
        self, repair_id: int, visit: NotHomeVisit, *, actor: str = ""
    ) -> RepairTicket:
        detail = visit.action.value + (
            f"至 {visit.new_appointment:%Y-%m-%d %H:%M}" if visit.new_appointment else ""
        )
        return self._apply(
            repair_id, actor, "业主不在家", lambda t: workflow.record_not_home(t, visit), detail
        )

    @requires(Permission.HANDLE)
    def arrive(self, repair_id: int, at: datetime, *, actor: str = "") -> RepairTicket:
        return self._apply(repair_id, actor, "到场", lambda t: workflow.arrive(t, at))

    @requires(Permission.HANDLE)
    def complete(
        self,
        repair_id: int,
        *,
        at: datetime,
        result: str,
        charges: list[ChargeLine],
        chargeable: bool,
        actor: str = "",
    ) -> RepairTicket:
        def change(t: RepairTicket) -> RepairTicket:
            return workflow.complete(
                t, at=at, result=result, charges=charges, chargeable=chargeable
            )

        total = sum(c.total_fen for c in charges) if chargeable else 0
        fee = f"合计 {format_money(total)} 元" + ("" if chargeable else "（无偿）")
        return self._apply(repair_id, actor, "完工", change, f"{result}；{fee}")

    @requires(Permission.HANDLE)
    def accept(self, repair_id: int, acceptance: Acceptance, *, actor: str = "") -> RepairTicket:
        detail = (
            acceptance.result.value
            + ("，业主已在纸质单签名" if acceptance.signed_on_paper else "")
            + (f"：{acceptance.remarks}" if acceptance.remarks else "")
        )
        return self._apply(
            repair_id, actor, "验收", lambda t: workflow.accept(t, acceptance), detail
        )

    @requires(Permission.HANDLE)
    def return_visit(self, repair_id: int, visit: RepairVisit, *, actor: str = "") -> RepairTicket:
        """回访; 不满意 goes to the repair department head and reopens the ticket."""
        detail = visit.result.value + (f"：{visit.remarks}" if visit.remarks else "")
        if visit.result == Satisfaction.UNSATISFIED:
            detail += "；转维修部负责人，重新派工"
        return self._apply(
            repair_id,
            actor or visit.visitor,
            "回访",
            lambda t: workflow.return_visit(t, visit),
            detail,
        )

    @requires(Permission.VOID)
    def void(self, repair_id: int, reason: str) -> RepairTicket:
        """作废: the ticket stays in the register as 已作废, with the reason, and takes no further
        step (a duplicate report, the wrong room …)."""
        now = self.clock()
        with self.database.transaction():
            t = self.get(repair_id)
            what = f"维修单 {t.no}"
            voiding = void_record(t.void, reason, at=now, by=self.session.name, what=what)
            self.store.void(repair_id, voiding)
            self.store.add_event(repair_id, now, self.session.name, "作废", voiding.reason)
        return self.get(repair_id)

    @requires(Permission.HANDLE)
    def from_complaint(self, complaint_id: int, *, actor: str = "") -> RepairTicket:
        """转维修: a repair ticket linked to the complaint, with its complainant, room, content."""
        c = self.complaints.get(complaint_id)
        refuse_if_voided(c.void, f"投诉 {c.no}", "转维修")
        ticket = RepairTicket(
            reported_at=self.clock(),
            description=c.content,
            reporter=c.complainant,
            room=c.room,
            phone=c.phone,
            channel=RepairChannel.COMPLAINT,
            urgency=RepairUrgency.URGENT if c.urgency == Urgency.URGENT else RepairUrgency.NORMAL,
            complaint_id=complaint_id,
        )
        if not ticket.room:
            ticket = dataclasses.replace(ticket, location="（见投诉）")
        t = self.register(ticket, actor=actor)
        self.complaints.note(complaint_id, "转维修", f"维修单 {t.no}", actor)
        return t

    @requires(Permission.VIEW)
    def handling_offer(self, complaint_id: int) -> tuple[str, datetime] | None:
        """The latest completed linked repair, offered as the complaint's handling result."""
        done = [
            r for r in self.tickets_for_complaint(complaint_id) if r.completed_at and not r.voided
        ]
        if not done:
            return None
        latest = max(done, key=lambda r: r.completed_at or r.reported_at)
        ticket = self.get(latest.id)
        assert ticket.completed_at is not None
        return f"维修单{ticket.no}：{ticket.result}", ticket.completed_at

    @requires(Permission.EDIT_REFERENCE)
    def recompute_open_deadlines(self) -> int:
        """After the calendar or the time-limit table changed: open tickets follow it."""
        ids = self.store.open_ids()
        with self.database.transaction():
            for repair_id in ids:
                self.store.set_dues(repair_id, self.dues(self.get(repair_id)))
        return len(ids)

    # ----- internals
    def _apply(
        self,
        repair_id: int,
        actor: str,
        action: str,
        change: Callable[[RepairTicket], RepairTicket],
        detail: str = "",
    ) -> RepairTicket:
        now = self.clock()
        with self.database.transaction():
            old = self.get(repair_id)
            refuse_if_voided(old.void, f"维修单 {old.no}", action)
            new = change(old)
            self.store.save(new, dues=self.dues(new), now=now)
            event = detail or (
                f"{old.status.value} → {new.status.value}" if old.status != new.status else ""
            )
            self.store.add_event(repair_id, now, actor or self.session.name, action, event)
        return self.get(repair_id)

    @requires(Permission.VIEW)
    def dues(self, t: RepairTicket) -> dict[str, Any]:
        """The deadlines as the store keeps them (for the list's overdue view)."""
        d = self.deadlines(t)
        return {
            "arrive_due_at": dt_out(d.arrive_due),
            "complete_due_at": dt_out(d.complete_due),
            "visit_due_at": dt_out(d.visit_due),
            "due_estimated": int(d.estimated),
        }

    @requires(Permission.VIEW)
    def rework_of(self, t: RepairTicket) -> int | None:
        """The earlier repair this one reworks (same place and category, ≤ 30 days)."""
        since = t.reported_at - timedelta(days=REWORK_DAYS)
        earlier = [
            EarlierRepair(
                r["id"], place_key(_as_ticket(r)), r["category"], dt_in_required(r["completed_at"])
            )
            for r in self.store.earlier_completed(t, since)
        ]
        return find_rework(t, earlier)

    @requires(Permission.VIEW)
    def room_error(self, room: str) -> FieldError | None:
        return room_error(self.households, room)

    def _check_reference(self, t: RepairTicket, old: RepairTicket | None = None) -> None:
        errors: list[FieldError] = []
        if old is None or t.room != old.room:
            error = room_error(self.households, t.room)
            if error:
                errors.append(error)
        categories = self.reference.categories()
        if t.category and t.category not in categories:
            errors.append(FieldError("category", f"维修类别“{t.category}”不在类别表中"))
        if t.facility_id is not None and self.reference.facility(t.facility_id) is None:
            errors.append(FieldError("facility_id", "台账中没有这个设施"))
        if errors:
            raise ValidationError(errors)


def _is_draft(t: RepairTicket) -> bool:
    """Nobody has acted on the report yet (its registrar may still correct it)."""
    return t.status == RepairStatus.REPORTED


def _as_ticket(r: dict[str, Any]) -> RepairTicket:
    """Just enough of a stored ticket for place_key()."""
    return RepairTicket(
        reported_at=datetime.min,
        description="",
        room=r["room"],
        location=r["location"],
        facility_id=r["facility_id"],
    )
