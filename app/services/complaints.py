"""Complaint use cases (§7.2): each loads the record, applies the rule from app.domain, stores
the result with its deadline and an event, all in one transaction. A complaint is never
deleted: it is voided (作废), and its corrections stay readable (修改记录)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from app.db.connection import Database
from app.domain import complaint_workflow as workflow
from app.domain.access import Permission
from app.domain.complaint import (
    FIELD_LABELS,
    Attribution,
    Complaint,
    ReplyMethod,
    ReturnVisit,
    Status,
    Validity,
)
from app.domain.deadline import Deadline, reply_deadline
from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.domain.escalation import TransferSheet
from app.domain.id_list import IdList
from app.domain.listing import ComplaintFilter, ComplaintRow, Sort
from app.domain.voiding import refuse_if_voided, void_record
from app.services.calendar import CalendarService
from app.services.clock import Clock
from app.services.record_trail import Correction, RecordTrail
from app.services.rooms import room_error
from app.services.session import Session, requires
from app.store import numbering
from app.store.audit_trail import AuditTrail
from app.store.complaints import PREFIX, ComplaintStore
from app.store.reference import ReferenceStore


class ComplaintService:
    def __init__(
        self, database: Database, calendar: CalendarService, clock: Clock, *, session: Session
    ) -> None:
        self.session = session
        self.trail = AuditTrail(database)
        self.records = RecordTrail(
            self.trail, session, "complaints", labels=FIELD_LABELS, intake=workflow.INTAKE_FIELDS
        )
        self.database = database
        self.store = ComplaintStore(database)
        self.households = ReferenceStore(database)
        self.calendar = calendar
        self.clock = clock
        calendar.listeners.append(self.recompute_open_deadlines)

    # ----- reading
    @requires(Permission.VIEW)
    def get(self, complaint_id: int) -> Complaint:
        c = self.store.get(complaint_id)
        if c is None:
            raise WorkflowError(f"找不到投诉记录（id {complaint_id}）")
        return c

    @requires(Permission.VIEW)
    def get_by_no(self, no: str) -> Complaint:
        c = self.store.get_by_no(no.strip())
        if c is None:
            raise WorkflowError(f"找不到编号为 {no} 的投诉")
        return c

    @requires(Permission.VIEW)
    def deadline(self, c: Complaint) -> Deadline:
        """答复期限 with the rule that produced it, computed from the record as it stands."""
        return reply_deadline(
            c.received_at, c.urgency, c.validity, c.requested_reply_at, self.calendar.calendar()
        )

    @requires(Permission.VIEW)
    def list_ids(self, flt: ComplaintFilter, sort: Sort, limit: int | None = None) -> IdList:
        """Ids in display order (the first `limit` of them when given)."""
        return self.store.list_ids(flt, sort, self.clock(), limit)

    @requires(Permission.VIEW)
    def count(self, flt: ComplaintFilter) -> int:
        """How many complaints a filter or quick view holds (for the list's counters)."""
        return self.store.count(flt, self.clock())

    @requires(Permission.VIEW)
    def estimated_deadline_years(self) -> list[int]:
        """Years whose holidays are not yet announced that unreplied deadlines depend on."""
        span = self.store.estimated_due_span()
        if span is None:
            return []
        first, last = span
        return self.calendar.calendar().unknown_years_between(first.date(), last.date())

    @requires(Permission.VIEW)
    def rows(self, ids: Sequence[int]) -> list[ComplaintRow]:
        return self.store.rows(ids)

    @requires(Permission.VIEW)
    def events(self, complaint_id: int) -> list[dict[str, Any]]:
        return self.store.events(complaint_id)

    @requires(Permission.VIEW)
    def history(self, complaint_id: int) -> list[Correction]:
        """修改记录: each correction with who made it, when, and the earlier and later values.
        Phone numbers read as this user may see them (masked without UNMASK)."""
        return self.records.history(complaint_id)

    @requires(Permission.VIEW)
    def allowed_steps(self, c: Complaint) -> frozenset[workflow.Step]:
        """The steps the complaint can take now that the signed-in user may do (the buttons);
        修改登记 without CORRECT only on one's own draft."""
        return self.records.steps_for_user(
            workflow.allowed_steps(c),
            workflow.STEP_PERMISSIONS,
            workflow.Step.CORRECT_INTAKE,
            c.id or 0,
            is_draft=c.status == Status.REGISTERED,
        )

    @requires(Permission.VIEW)
    def now(self) -> datetime:
        return self.clock()

    # ----- the workflow
    @requires(Permission.VIEW)
    def room_error(self, room: str) -> FieldError | None:
        """When the office keeps a household register, a 房号 must be one of its rooms."""
        return room_error(self.households, room)

    def _check_room(self, c: Complaint) -> None:
        error = self.room_error(c.room)
        if error is not None:
            raise ValidationError([error])

    @requires(Permission.REGISTER)
    def register(self, c: Complaint, *, actor: str = "") -> Complaint:
        """登记 a new complaint; it gets the next 编号."""
        c = workflow.register(c)
        self._check_room(c)
        now = self.clock()
        with self.database.transaction():
            no = numbering.next_no(self.database, PREFIX, c.received_at.year, "complaints")
            c = dataclasses.replace(c, no=no)
            due = self.deadline(c)
            complaint_id = self.store.insert(c, due_at=due.due_at, estimated=due.estimated, now=now)
            c = dataclasses.replace(c, id=complaint_id)
            self.store.add_event(
                complaint_id,
                now,
                actor or c.receiver,
                "登记",
                "即时答复" if c.immediate_reply.strip() else "",
            )
        return c

    @requires(Permission.REGISTER)
    def correct_intake(self, new: Complaint, *, actor: str = "") -> Complaint:
        assert new.id is not None

        def correct(old: Complaint) -> Complaint:
            self.records.require_correct(old.id or 0, old.status == Status.REGISTERED)
            c = workflow.correct_intake(old, _keep_later(old, new))
            if c.room != old.room:
                self._check_room(c)
            return c

        return self._apply(new.id, actor, "修改登记", correct)

    @requires(Permission.HANDLE)
    def judge(
        self,
        complaint_id: int,
        validity: Validity,
        *,
        handler: str,
        attribution: Attribution | None = None,
        follow_up_party: str = "",
        actor: str = "",
    ) -> Complaint:
        detail = validity.value + (
            f"，原因归属：{attribution.value}，跟进对象：{follow_up_party}" if attribution else ""
        )
        return self._apply(
            complaint_id,
            actor or handler,
            "判定",
            lambda c: workflow.judge(
                c,
                validity,
                handler=handler,
                attribution=attribution,
                follow_up_party=follow_up_party,
            ),
            detail,
        )

    @requires(Permission.HANDLE)
    def record_follow_up_result(
        self, complaint_id: int, result: str, at: datetime, *, actor: str = ""
    ) -> Complaint:
        return self._apply(
            complaint_id,
            actor,
            "跟进结果",
            lambda c: workflow.record_follow_up_result(c, result, at),
            result,
        )

    @requires(Permission.HANDLE)
    def record_handling(
        self,
        complaint_id: int,
        *,
        cause_analysis: str,
        measures: str,
        responsible_dept: str,
        completed_at: datetime | None,
        actor: str = "",
    ) -> Complaint:
        return self._apply(
            complaint_id,
            actor,
            "处理",
            lambda c: workflow.record_handling(
                c,
                cause_analysis=cause_analysis,
                measures=measures,
                responsible_dept=responsible_dept,
                completed_at=completed_at,
            ),
            measures,
        )

    @requires(Permission.HANDLE)
    def reply(
        self, complaint_id: int, *, at: datetime, method: ReplyMethod, content: str, actor: str = ""
    ) -> Complaint:
        return self._apply(
            complaint_id,
            actor,
            "答复",
            lambda c: workflow.reply(c, at=at, method=method, content=content),
            f"{method.value}：{content}",
        )

    @requires(Permission.HANDLE)
    def return_visit(self, complaint_id: int, visit: ReturnVisit, *, actor: str = "") -> Complaint:
        detail = f"{visit.opinion.value}" + (f"：{visit.remarks}" if visit.remarks else "")
        return self._apply(
            complaint_id,
            actor or visit.visitor,
            "回访",
            lambda c: workflow.return_visit(c, visit),
            detail,
        )

    @requires(Permission.APPROVE)
    def review(self, complaint_id: int, *, reviewer: str, actor: str = "") -> Complaint:
        now = self.clock()
        return self._apply(
            complaint_id,
            actor or reviewer,
            "部门负责人审核",
            lambda c: workflow.review(c, reviewer=reviewer, at=now),
        )

    @requires(Permission.VOID)
    def void(self, complaint_id: int, reason: str) -> Complaint:
        """作废: the complaint stays in the register as 已作废, with the reason, and takes no
        further step (a duplicate, the wrong household …)."""
        now = self.clock()
        with self.database.transaction():
            c = self.get(complaint_id)
            voiding = void_record(c.void, reason, at=now, by=self.session.name, what=f"投诉 {c.no}")
            self.store.void(complaint_id, voiding)
            self.store.add_event(complaint_id, now, self.session.name, "作废", voiding.reason)
        return self.get(complaint_id)

    @requires(Permission.ESCALATE)
    def apply_escalation_result(
        self, complaint_id: int, sheet: TransferSheet, *, actor: str = ""
    ) -> Complaint:
        """A finished 工作传签单's result joins the complaint's handling (if still open)."""
        c = self.get(complaint_id)
        if c.status == Status.CLOSED or c.void is not None:
            self.note(complaint_id, "传签单办结", f"{sheet.no}：{sheet.result}", actor)
            return c
        return self._apply(
            complaint_id,
            actor,
            "传签单办结",
            lambda c: workflow.apply_escalation_result(
                c, sheet_no=sheet.no, result=sheet.result, responsible_dept=sheet.responsible_dept
            ),
            f"{sheet.no}：{sheet.result}",
        )

    @requires(Permission.HANDLE)
    def note(self, complaint_id: int, action: str, detail: str, actor: str = "") -> None:
        """Record something that happened elsewhere (e.g. an escalation) on the complaint."""
        self.store.add_event(complaint_id, self.clock(), actor or self.session.name, action, detail)

    @requires(Permission.EDIT_REFERENCE)
    def recompute_open_deadlines(self) -> int:
        """After the calendar changed: deadlines of complaints not yet replied to follow it."""
        ids = self.store.open_ids()
        with self.database.transaction():
            for complaint_id in ids:
                due = self.deadline(self.get(complaint_id))
                self.store.set_due(complaint_id, due.due_at, due.estimated)
        return len(ids)

    def _apply(
        self,
        complaint_id: int,
        actor: str,
        action: str,
        change: Callable[[Complaint], Complaint],
        detail: str = "",
    ) -> Complaint:
        now = self.clock()
        with self.database.transaction():
            old = self.get(complaint_id)
            refuse_if_voided(old.void, f"投诉 {old.no}", action)
            new = change(old)
            due = self.deadline(new)
            self.store.update(new, due_at=due.due_at, estimated=due.estimated, now=now)
            event = detail or (
                f"{old.status.value} → {new.status.value}" if old.status != new.status else ""
            )
            self.store.add_event(complaint_id, now, actor or self.session.name, action, event)
        return new


def _keep_later(old: Complaint, new: Complaint) -> Complaint:
    """An intake correction changes only intake fields; judgement and handling stay as stored."""
    return dataclasses.replace(old, **{f: getattr(new, f) for f in workflow.INTAKE_FIELDS})
