"""The repair ticket's life (procedure §2): report, dispatch, not-at-home calls, arrival,
completion, the owner's acceptance (验收) and customer service's return visit (回访).

Pure functions over a RepairTicket: each checks that the action fits the ticket's status and its
fields, then returns the updated ticket. Nothing here touches the database or the clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from app.domain.access import Permission
from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.domain.normalize import normalize_phone, normalize_room
from app.domain.repair import (
    Acceptance,
    ChargeLine,
    NotHomeAction,
    NotHomeVisit,
    RepairStatus,
    RepairTicket,
    RepairVisit,
    Satisfaction,
)
from app.domain.text_checks import LONG, MEDIUM, SHORT, check_texts

# The fields of the report itself; correcting the intake changes these and nothing else.
INTAKE_FIELDS = (
    "reported_at",
    "description",
    "reporter",
    "room",
    "location",
    "facility_id",
    "phone",
    "channel",
    "category",
    "urgency",
    "chargeable",
    "appointment_at",
    "complaint_id",
)


def validate_intake(t: RepairTicket) -> list[FieldError]:
    """What a clerk must fix before a ticket can be registered (or corrected)."""
    errors = check_texts(
        [
            ("reporter", "报修人", t.reporter, SHORT, False),
            ("room", "房号", t.room, SHORT, False),
            ("location", "位置/设施", t.location, SHORT, False),
            ("phone", "联系电话", t.phone, SHORT, False),
            ("category", "类别", t.category, SHORT, False),
            ("description", "故障描述", t.description, LONG, True),
        ]
    )
    bad_fields = {e.field for e in errors}
    if not t.description.strip() and "description" not in bad_fields:
        errors.append(FieldError("description", "请填写故障描述"))
    reported_at: datetime | None = t.reported_at  # an import may leave it out
    if reported_at is None:
        errors.append(FieldError("reported_at", "请填写报修时间"))
    if not t.room.strip() and not t.location.strip():
        errors.append(FieldError("room", "请填写房号或位置/设施"))
    if t.phone.strip() and "phone" not in bad_fields:
        try:
            normalize_phone(t.phone)
        except ValueError as e:
            errors.append(FieldError("phone", str(e)))
    if reported_at is not None and t.appointment_at is not None and t.appointment_at < reported_at:
        errors.append(FieldError("appointment_at", "预约上门时间早于报修时间"))
    return errors


def register(t: RepairTicket) -> RepairTicket:
    """登记报修: the ticket waits for dispatch (待派工)."""
    errors = validate_intake(t)
    if errors:
        raise ValidationError(errors)
    return dataclasses.replace(
        t, status=RepairStatus.REPORTED, phone=_phone(t.phone), room=normalize_room(t.room)
    )


def correct_intake(old: RepairTicket, new: RepairTicket) -> RepairTicket:
    """Correct the report (INTAKE_FIELDS, taken from ``new``); later stages stay as they were."""
    if old.status == RepairStatus.CLOSED:
        raise WorkflowError("工单已关闭，不能修改报修内容")
    errors = validate_intake(new)
    if errors:
        raise ValidationError(errors)
    changes = {name: getattr(new, name) for name in INTAKE_FIELDS}
    t = dataclasses.replace(old, **changes)
    later = [(v, label) for v, label in _later_times(t) if v is not None]
    if later and later[0][0] < t.reported_at:
        raise ValidationError([FieldError("reported_at", f"报修时间晚于{later[0][1]}")])
    return dataclasses.replace(t, phone=_phone(t.phone), room=normalize_room(t.room))


def dispatch(
    t: RepairTicket, *, repairer: str, at: datetime, appointment_at: datetime | None = None
) -> RepairTicket:
    """派工 (or 改派 while nobody has arrived). Without a new appointment the old one stays."""
    if t.status not in (RepairStatus.REPORTED, RepairStatus.DISPATCHED):
        raise WorkflowError(f"“{t.status}”的工单不能派工")
    _texts([("repairer", "维修人员", repairer, SHORT, False)])
    if not repairer.strip():
        raise ValidationError([FieldError("repairer", "请填写维修人员")])
    _not_before(at, t.reported_at, "dispatched_at", "派工时间早于报修时间")
    if appointment_at is not None:
        _not_before(appointment_at, at, "appointment_at", "预约上门时间早于派工时间")
    return dataclasses.replace(
        t,
        repairer=repairer.strip(),
        dispatched_at=at,
        appointment_at=appointment_at if appointment_at is not None else t.appointment_at,
        status=RepairStatus.DISPATCHED,
    )


def record_not_home(t: RepairTicket, visit: NotHomeVisit) -> RepairTicket:
    """业主不在家: a note left, or a new appointment (改约). The ticket stays dispatched."""
    if t.status != RepairStatus.DISPATCHED:
        raise WorkflowError("只有“已派工”的工单可以登记业主不在家")
    _texts([("note", "说明", visit.note, MEDIUM, True)])
    if t.dispatched_at is not None:
        _not_before(visit.at, t.dispatched_at, "at", "上门时间早于派工时间")
    appointment = t.appointment_at
    if visit.action == NotHomeAction.RESCHEDULED:
        if visit.new_appointment is None:
            raise ValidationError([FieldError("new_appointment", "改约请填写新的预约时间")])
        if visit.new_appointment <= visit.at:
            raise ValidationError([FieldError("new_appointment", "新的预约时间须晚于本次上门时间")])
        appointment = visit.new_appointment
    elif visit.new_appointment is not None:
        raise ValidationError([FieldError("new_appointment", "只留言时不填新的预约时间")])
    return dataclasses.replace(t, not_home=[*t.not_home, visit], appointment_at=appointment)


def arrive(t: RepairTicket, at: datetime) -> RepairTicket:
    """到场: the repairer is on site (维修中)."""
    if t.status != RepairStatus.DISPATCHED:
        raise WorkflowError("只有“已派工”的工单可以登记到场")
    if t.dispatched_at is not None:
        _not_before(at, t.dispatched_at, "arrived_at", "到场时间早于派工时间")
    return dataclasses.replace(t, arrived_at=at, status=RepairStatus.ON_SITE)


def complete(
    t: RepairTicket,
    *,
    at: datetime,
    result: str,
    charges: Sequence[ChargeLine],
    chargeable: bool,
) -> RepairTicket:
    """完工: result and materials recorded; the owner is asked to accept (待验收).

    A free repair keeps its lines (materials used) but charges nothing (RepairTicket.total_fen).
    """
    if t.status != RepairStatus.ON_SITE:
        raise WorkflowError("只有“维修中”的工单可以登记完工")
    errors = check_texts([("result", "维修结果", result, MEDIUM, True)])
    if not result.strip() and not errors:
        errors.append(FieldError("result", "请填写维修结果"))
    for n, line in enumerate(charges, start=1):
        errors += _charge_line_errors(n, line)
    if errors:
        raise ValidationError(errors)
    if t.arrived_at is not None:
        _not_before(at, t.arrived_at, "completed_at", "完成时间早于到场时间")
    return dataclasses.replace(
        t,
        completed_at=at,
        result=result,
        charges=list(charges),
        chargeable=chargeable,
        status=RepairStatus.AWAITING_ACCEPTANCE,
    )


def _charge_line_errors(n: int, line: ChargeLine) -> list[FieldError]:
    where = f"第{n}行材料"
    errors = check_texts(
        [
            ("charges", f"{where}名称", line.item, SHORT, False),
            ("charges", f"{where}单位", line.unit, SHORT, False),
        ]
    )
    if not line.item.strip():
        errors.append(FieldError("charges", f"{where}：请填写名称"))
    if not (line.quantity.is_finite() and line.quantity > 0):
        errors.append(FieldError("charges", f"{where}：数量须大于0"))
    if line.unit_price_fen < 0:
        errors.append(FieldError("charges", f"{where}：单价不能为负数"))
    return errors


def accept(t: RepairTicket, acceptance: Acceptance) -> RepairTicket:
    """验收 by the owner. 不满意 sends the repairer back to redo it (维修中 again); that
    acceptance is not kept on the ticket (the service logs it) and the completion is undone."""
    if t.status != RepairStatus.AWAITING_ACCEPTANCE:
        raise WorkflowError("只有“待验收”的工单可以登记验收")
    _texts([("remarks", "业主意见", acceptance.remarks, MEDIUM, True)])
    if t.completed_at is not None:
        _not_before(acceptance.at, t.completed_at, "at", "验收时间早于完成时间")
    if acceptance.result == Satisfaction.UNSATISFIED:
        return dataclasses.replace(
            t,
            completed_at=None,
            acceptance=None,
            reopen_count=t.reopen_count + 1,
            status=RepairStatus.ON_SITE,
        )
    return dataclasses.replace(t, acceptance=acceptance, status=RepairStatus.AWAITING_VISIT)


def return_visit(t: RepairTicket, visit: RepairVisit) -> RepairTicket:
    """回访 by customer service. 不满意 goes back to the repair department head to re-dispatch."""
    if t.status != RepairStatus.AWAITING_VISIT:
        raise WorkflowError("只有“待回访”的工单可以登记回访")
    _texts(
        [
            ("visitor", "回访人", visit.visitor, SHORT, False),
            ("remarks", "业主意见", visit.remarks, MEDIUM, True),
        ]
    )
    if not visit.visitor.strip():
        raise ValidationError([FieldError("visitor", "请填写回访人")])
    earliest = t.acceptance.at if t.acceptance is not None else t.completed_at
    if earliest is not None:
        _not_before(visit.at, earliest, "at", "回访时间早于验收时间")
    if visit.result == Satisfaction.UNSATISFIED:
        return dataclasses.replace(
            t,
            past_visits=[*t.past_visits, visit],
            visit=None,
            arrived_at=None,
            completed_at=None,
            acceptance=None,
            reopen_count=t.reopen_count + 1,
            status=RepairStatus.DISPATCHED,
        )
    return dataclasses.replace(t, visit=visit, status=RepairStatus.CLOSED, closed_at=visit.at)


class RepairStep(StrEnum):
    """The workflow steps a ticket offers (the screen enables its buttons by these)."""

    CORRECT_INTAKE = "intake"
    DISPATCH = "dispatch"
    NOT_HOME = "not_home"
    ARRIVE = "arrive"
    COMPLETE = "complete"
    ACCEPT = "accept"
    RETURN_VISIT = "visit"


_STEPS_BY_STATUS = {
    RepairStatus.REPORTED: {RepairStep.DISPATCH},
    RepairStatus.DISPATCHED: {RepairStep.DISPATCH, RepairStep.NOT_HOME, RepairStep.ARRIVE},
    RepairStatus.ON_SITE: {RepairStep.COMPLETE},
    RepairStatus.AWAITING_ACCEPTANCE: {RepairStep.ACCEPT},
    RepairStatus.AWAITING_VISIT: {RepairStep.RETURN_VISIT},
}


STEP_PERMISSIONS: dict[RepairStep, Permission] = {
    RepairStep.CORRECT_INTAKE: Permission.REGISTER,  # and, without CORRECT, only one's own draft
    RepairStep.DISPATCH: Permission.HANDLE,
    RepairStep.NOT_HOME: Permission.HANDLE,
    RepairStep.ARRIVE: Permission.HANDLE,
    RepairStep.COMPLETE: Permission.HANDLE,
    RepairStep.ACCEPT: Permission.HANDLE,
    RepairStep.RETURN_VISIT: Permission.HANDLE,
}
"""What each step asks of the user (the service methods declare the same)."""


def allowed_steps(t: RepairTicket) -> frozenset[RepairStep]:
    """Which steps fit where the ticket stands: the same guards the step functions apply.
    A voided ticket takes none."""
    if t.status == RepairStatus.CLOSED or t.void is not None:
        return frozenset()
    return frozenset({RepairStep.CORRECT_INTAKE, *_STEPS_BY_STATUS[t.status]})


def derive_status(t: RepairTicket) -> RepairStatus:
    """The status a ticket's fields imply (used for imports that carry no 状态)."""
    if t.visit is not None:
        if t.visit.result == Satisfaction.UNSATISFIED:
            return RepairStatus.DISPATCHED  # reopened: back to the department head
        return RepairStatus.CLOSED
    if t.acceptance is not None:
        if t.acceptance.result == Satisfaction.UNSATISFIED:
            return RepairStatus.ON_SITE  # to be redone
        return RepairStatus.AWAITING_VISIT
    if t.completed_at is not None:
        return RepairStatus.AWAITING_ACCEPTANCE
    if t.arrived_at is not None:
        return RepairStatus.ON_SITE
    if t.dispatched_at is not None:
        return RepairStatus.DISPATCHED
    return RepairStatus.REPORTED


_RANK = {status: rank for rank, status in enumerate(RepairStatus)}
# (field, label, the first status that has it); every later status has it too.
_STAGE_FIELDS = (
    ("dispatched_at", "派工时间", RepairStatus.DISPATCHED),
    ("arrived_at", "到场时间", RepairStatus.ON_SITE),
    ("completed_at", "完成时间", RepairStatus.AWAITING_ACCEPTANCE),
    ("acceptance", "验收结果", RepairStatus.AWAITING_VISIT),
    ("visit", "回访结果", RepairStatus.CLOSED),
)


def check_consistency(t: RepairTicket) -> list[FieldError]:
    """Invariants every stored ticket keeps, whatever path it came by (e.g. an import)."""
    errors: list[FieldError] = []
    rank = _RANK[t.status]
    for name, label, first in _STAGE_FIELDS:
        present = getattr(t, name) is not None
        if rank >= _RANK[first] and not present:
            errors.append(FieldError(name, f"状态为“{t.status}”但没有{label}"))
        elif rank < _RANK[first] and present:
            errors.append(FieldError(name, f"状态为“{t.status}”却已有{label}"))
    if rank >= _RANK[RepairStatus.DISPATCHED] and not t.repairer.strip():
        errors.append(FieldError("repairer", f"状态为“{t.status}”但没有维修人员"))
    if t.acceptance is not None and t.acceptance.result == Satisfaction.UNSATISFIED:
        errors.append(FieldError("acceptance", "业主验收不满意，应返工后重新验收"))
    if t.visit is not None and t.visit.result == Satisfaction.UNSATISFIED:
        errors.append(FieldError("visit", "回访不满意，工单应重新派工，不能关闭"))
    if t.closed_at is not None and t.status != RepairStatus.CLOSED:
        errors.append(FieldError("closed_at", f"状态为“{t.status}”却有关闭时间"))
    if t.appointment_at is not None and t.appointment_at < t.reported_at:
        errors.append(FieldError("appointment_at", "预约上门时间早于报修时间"))
    return errors + _order_errors(t)


def _later_times(t: RepairTicket) -> list[tuple[datetime | None, str]]:
    """The stage times after the report, in the order they happen."""
    return [
        (t.dispatched_at, "派工时间"),
        (t.arrived_at, "到场时间"),
        (t.completed_at, "完成时间"),
        (t.acceptance.at if t.acceptance else None, "验收时间"),
        (t.visit.at if t.visit else None, "回访时间"),
    ]


_TIME_FIELDS = ("dispatched_at", "arrived_at", "completed_at", "acceptance", "visit")


def _order_errors(t: RepairTicket) -> list[FieldError]:
    """报修 ≤ 派工 ≤ 到场 ≤ 完成 ≤ 验收 ≤ 回访, over the times the ticket has."""
    errors: list[FieldError] = []
    previous, previous_label = t.reported_at, "报修时间"
    for name, (value, label) in zip(_TIME_FIELDS, _later_times(t), strict=True):
        if value is None:
            continue
        if value < previous:
            errors.append(FieldError(name, f"{label}早于{previous_label}"))
        else:
            previous, previous_label = value, label
    return errors


def _texts(checks: list[tuple[str, str, str, int, bool]]) -> None:
    errors = check_texts(checks)
    if errors:
        raise ValidationError(errors)


def _not_before(at: datetime, earliest: datetime, field: str, message: str) -> None:
    if at < earliest:
        raise ValidationError([FieldError(field, message)])


def _phone(raw: str) -> str:
    return normalize_phone(raw) if raw.strip() else ""
