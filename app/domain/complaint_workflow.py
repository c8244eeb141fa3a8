"""The complaint's life (§7.2): intake, judgement, follow-up, handling, reply, return visit.

Pure functions over a Complaint: each checks that the action fits the record's status and its
fields, then returns the updated record. Nothing here touches the database or the clock.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import StrEnum

from app.domain.access import Permission
from app.domain.complaint import (
    Attribution,
    Complaint,
    Opinion,
    ReplyMethod,
    ReturnVisit,
    Status,
    Validity,
)
from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.domain.normalize import normalize_phone, normalize_room
from app.domain.text_checks import LONG, MEDIUM, SHORT, check_texts

# The fields of the intake itself; correcting the intake changes these and nothing else.
INTAKE_FIELDS = (
    "received_at",
    "content",
    "urgency",
    "receiver",
    "complainant",
    "room",
    "phone",
    "channel",
    "category",
    "request",
    "requested_reply_at",
    "severity",
)


def validate_intake(c: Complaint) -> list[FieldError]:
    """What a clerk must fix before a complaint can be registered (or corrected)."""
    errors = check_texts(
        [
            ("receiver", "接待人", c.receiver, SHORT, False),
            ("complainant", "投诉人", c.complainant, SHORT, False),
            ("room", "房号", c.room, SHORT, False),
            ("phone", "联系电话", c.phone, SHORT, False),
            ("category", "投诉类别", c.category, SHORT, False),
            ("content", "投诉内容", c.content, LONG, True),
            ("request", "顾客要求", c.request, MEDIUM, True),
            ("immediate_reply", "即时答复", c.immediate_reply, MEDIUM, True),
        ]
    )
    bad_fields = {e.field for e in errors}
    if not c.content.strip() and "content" not in bad_fields:
        errors.append(FieldError("content", "请填写投诉内容"))
    if not c.complainant.strip() and not c.room.strip():
        errors.append(FieldError("complainant", "投诉人和房号至少填写一项"))
    if c.requested_reply_at is not None and c.requested_reply_at < c.received_at:
        errors.append(FieldError("requested_reply_at", "要求答复时间早于登记时间"))
    if c.phone.strip() and "phone" not in bad_fields:
        try:
            normalize_phone(c.phone)
        except ValueError as e:
            errors.append(FieldError("phone", str(e)))
    return errors


def register(c: Complaint) -> Complaint:
    """登记. An immediate answer (§7.2.1) is recorded as the reply, given orally at receipt."""
    errors = validate_intake(c)
    if errors:
        raise ValidationError(errors)
    c = dataclasses.replace(
        c, status=Status.REGISTERED, phone=_phone(c.phone), room=normalize_room(c.room)
    )
    if c.immediate_reply.strip():
        c = dataclasses.replace(
            c,
            replied_at=c.received_at,
            reply_content=c.immediate_reply,
            reply_method=ReplyMethod.ORAL,
        )
    return c


def correct_intake(old: Complaint, new: Complaint) -> Complaint:
    """Correct the intake fields of a registered complaint; later stages are kept as they are."""
    _not_closed(old, "修改登记内容")
    errors = validate_intake(new)
    if errors:
        raise ValidationError(errors)
    return dataclasses.replace(new, phone=_phone(new.phone), room=normalize_room(new.room))


def judge(
    c: Complaint,
    validity: Validity,
    *,
    handler: str,
    attribution: Attribution | None = None,
    follow_up_party: str = "",
) -> Complaint:
    """投诉性质判定 (§7.2.3-5). A complaint not against the company is 无效 with an attribution."""
    if c.status not in (Status.REGISTERED, Status.HANDLING, Status.FOLLOW_UP):
        raise WorkflowError(f"“{c.status}”的投诉不能再判定投诉性质")
    if attribution is not None and validity != Validity.INVALID:
        raise ValidationError(
            [FieldError("attribution", "原因归属只用于非本公司责任的投诉，请将投诉性质定为无效")]
        )
    if attribution is not None and not follow_up_party.strip():
        raise ValidationError([FieldError("follow_up_party", "请填写跟进对象（发展商或有关部门）")])
    _texts(
        [
            ("handler", "投诉处理人", handler, SHORT, False),
            ("follow_up_party", "跟进对象", follow_up_party, SHORT, False),
        ]
    )
    if not handler.strip():
        raise ValidationError([FieldError("handler", "请填写投诉处理人")])
    c = dataclasses.replace(
        c,
        validity=validity,
        attribution=attribution,
        follow_up_party=follow_up_party if attribution else "",
        handler=handler,
    )
    return _advance(c, at=None)


def record_follow_up_result(c: Complaint, result: str, at: datetime) -> Complaint:
    """跟进结果 from the developer or authority; closes the follow-up (§7.2.4-5)."""
    if c.status != Status.FOLLOW_UP:
        raise WorkflowError("只有“跟进中”的投诉可以登记跟进结果")
    _texts([("follow_up_result", "跟进结果", result, MEDIUM, True)])
    if not result.strip():
        raise ValidationError([FieldError("follow_up_result", "请填写跟进结果")])
    _not_before(at, c.received_at, "follow_up_closed_at", "跟进结果时间早于登记时间")
    c = dataclasses.replace(c, follow_up_result=result, follow_up_closed_at=at)
    return _advance(c, at=at)


def record_handling(
    c: Complaint,
    *,
    cause_analysis: str,
    measures: str,
    responsible_dept: str,
    completed_at: datetime | None,
) -> Complaint:
    """原因分析、处理措施、责任部门、完成时间 (§7.2.6-7)."""
    _not_closed(c, "登记处理结果")
    if c.validity is None:
        raise WorkflowError("请先判定投诉性质（有效/无效）")
    _texts(
        [
            ("cause_analysis", "原因分析", cause_analysis, MEDIUM, True),
            ("measures", "处理措施", measures, MEDIUM, True),
            ("responsible_dept", "责任部门", responsible_dept, SHORT, False),
        ]
    )
    if not measures.strip():
        raise ValidationError([FieldError("measures", "请填写处理措施")])
    if completed_at is not None:
        _not_before(completed_at, c.received_at, "completed_at", "完成时间早于登记时间")
    return dataclasses.replace(
        c,
        cause_analysis=cause_analysis,
        measures=measures,
        responsible_dept=responsible_dept,
        completed_at=completed_at,
    )


def reply(c: Complaint, *, at: datetime, method: ReplyMethod, content: str) -> Complaint:
    """答复顾客. The first reply's time is the one measured against the deadline."""
    if c.status not in (Status.HANDLING, Status.FOLLOW_UP, Status.REGISTERED):
        raise WorkflowError(f"“{c.status}”的投诉不需要答复")
    if c.validity is None:
        raise WorkflowError("请先判定投诉性质（有效/无效）")
    _texts([("reply_content", "答复内容", content, MEDIUM, True)])
    if not content.strip():
        raise ValidationError([FieldError("reply_content", "请填写答复内容")])
    _not_before(at, c.received_at, "replied_at", "答复时间早于登记时间")
    c = dataclasses.replace(
        c,
        replied_at=c.replied_at or at,
        reply_method=method,
        reply_content=content,
    )
    return _advance(c, at=at, replied_again=True)


def return_visit(c: Complaint, visit: ReturnVisit) -> Complaint:
    """回访 (§7.2.10). 不满意 reopens handling (§7.2.6); otherwise the complaint closes."""
    if c.status != Status.AWAITING_VISIT:
        raise WorkflowError("只有“待回访”的投诉可以登记回访")
    _texts(
        [
            ("visitor", "回访人", visit.visitor, SHORT, False),
            ("method", "回访方式", visit.method, SHORT, False),
            ("remarks", "投诉人意见", visit.remarks, MEDIUM, True),
        ]
    )
    if not visit.visitor.strip():
        raise ValidationError([FieldError("visitor", "请填写回访人")])
    if c.replied_at is not None:
        _not_before(visit.visited_at, c.replied_at, "visited_at", "回访时间早于答复时间")
    if visit.opinion == Opinion.UNSATISFIED:
        return dataclasses.replace(
            c,
            past_visits=[*c.past_visits, visit],
            visit=None,
            reopen_count=c.reopen_count + 1,
            status=Status.HANDLING,
        )
    return dataclasses.replace(c, visit=visit, status=Status.CLOSED, closed_at=visit.visited_at)


def review(c: Complaint, *, reviewer: str, at: datetime) -> Complaint:
    """部门负责人审核: the department head signs the record."""
    _texts([("reviewed_by", "审核人", reviewer, SHORT, False)])
    if not reviewer.strip():
        raise ValidationError([FieldError("reviewed_by", "请填写审核人")])
    return dataclasses.replace(c, reviewed_by=reviewer, reviewed_at=at)


class Step(StrEnum):
    """The workflow steps a complaint offers (the screen enables its buttons by these)."""

    CORRECT_INTAKE = "intake"
    JUDGE = "judge"
    FOLLOW_UP = "follow_up"
    HANDLING = "handling"
    REPLY = "reply"
    RETURN_VISIT = "visit"
    REVIEW = "review"
    ESCALATE = "escalate"


STEP_PERMISSIONS: dict[Step, Permission] = {
    Step.CORRECT_INTAKE: Permission.REGISTER,  # and, without CORRECT, only one's own draft
    Step.JUDGE: Permission.HANDLE,
    Step.FOLLOW_UP: Permission.HANDLE,
    Step.HANDLING: Permission.HANDLE,
    Step.REPLY: Permission.HANDLE,
    Step.RETURN_VISIT: Permission.HANDLE,
    Step.REVIEW: Permission.APPROVE,
    Step.ESCALATE: Permission.ESCALATE,
}
"""What each step asks of the user (the service methods declare the same)."""


def allowed_steps(c: Complaint) -> frozenset[Step]:
    """Which steps fit where the record stands: the same guards the step functions apply.
    A voided complaint takes none."""
    if c.void is not None:
        return frozenset()
    steps = {Step.REVIEW}
    if c.status == Status.CLOSED:
        return frozenset(steps)
    steps |= {Step.CORRECT_INTAKE, Step.ESCALATE}
    judged = c.validity is not None
    if c.status in (Status.REGISTERED, Status.HANDLING, Status.FOLLOW_UP):
        steps.add(Step.JUDGE)
        if judged:
            steps.add(Step.REPLY)
    if judged:
        steps.add(Step.HANDLING)
    if c.status == Status.FOLLOW_UP:
        steps.add(Step.FOLLOW_UP)
    if c.status == Status.AWAITING_VISIT:
        steps.add(Step.RETURN_VISIT)
    return frozenset(steps)


def derive_status(c: Complaint) -> Status:
    """The status a record's fields imply (used for imports that carry no 状态)."""
    if c.validity is None:
        return Status.REGISTERED
    if c.attribution is not None and not c.follow_up_result.strip():
        return Status.FOLLOW_UP
    if c.replied_at is None:
        return Status.HANDLING
    if c.validity == Validity.INVALID:
        return Status.CLOSED
    if c.visit is None:
        return Status.AWAITING_VISIT
    if c.visit.opinion == Opinion.UNSATISFIED:
        return Status.HANDLING
    return Status.CLOSED


def check_consistency(c: Complaint) -> list[FieldError]:
    """Invariants every stored complaint keeps, whatever path it came by (e.g. an import)."""
    errors: list[FieldError] = []
    judged = c.status != Status.REGISTERED
    if judged and c.validity is None:
        errors.append(FieldError("status", f"状态为“{c.status}”但未判定投诉性质"))
    if c.attribution is not None and c.validity != Validity.INVALID:
        errors.append(FieldError("attribution", "有原因归属的投诉应为无效投诉"))
    if c.status in (Status.AWAITING_VISIT, Status.CLOSED) and c.replied_at is None:
        errors.append(FieldError("replied_at", f"状态为“{c.status}”但没有答复时间"))
    if c.status == Status.AWAITING_VISIT and c.validity != Validity.VALID:
        errors.append(FieldError("status", "只有有效投诉需要回访"))
    if c.status == Status.FOLLOW_UP and c.attribution is None:
        errors.append(FieldError("status", "“跟进中”的投诉须有原因归属"))
    if c.status == Status.CLOSED and c.validity == Validity.VALID:
        if c.visit is None:
            errors.append(FieldError("visit", "有效投诉须回访后才能关闭"))
        elif c.visit.opinion == Opinion.UNSATISFIED:
            errors.append(FieldError("visit", "投诉人不满意，不能关闭"))
    if c.visit is not None and c.replied_at is not None and c.visit.visited_at < c.replied_at:
        errors.append(FieldError("visited_at", "回访时间早于答复时间"))
    for name, label in (("replied_at", "答复时间"), ("completed_at", "完成时间")):
        value = getattr(c, name)
        if value is not None and value < c.received_at:
            errors.append(FieldError(name, f"{label}早于登记时间"))
    return errors


def _advance(c: Complaint, *, at: datetime | None, replied_again: bool = False) -> Complaint:
    """Move to the next status after judgement, follow-up result or reply.

    After an unsatisfied return visit the earlier reply no longer counts: a new one is needed.
    """
    if c.validity is None:
        return dataclasses.replace(c, status=Status.REGISTERED)
    if c.attribution is not None and not c.follow_up_result.strip():
        return dataclasses.replace(c, status=Status.FOLLOW_UP)
    replied = replied_again or (c.replied_at is not None and c.reopen_count == 0)
    if not replied:
        return dataclasses.replace(c, status=Status.HANDLING)
    if c.validity == Validity.VALID:
        return dataclasses.replace(c, status=Status.AWAITING_VISIT)
    return dataclasses.replace(c, status=Status.CLOSED, closed_at=at or c.replied_at)


def _texts(checks: list[tuple[str, str, str, int, bool]]) -> None:
    errors = check_texts(checks)
    if errors:
        raise ValidationError(errors)


def _not_closed(c: Complaint, action: str) -> None:
    if c.status == Status.CLOSED:
        raise WorkflowError(f"投诉已关闭，不能{action}")


def _not_before(at: datetime, earliest: datetime, field: str, message: str) -> None:
    if at < earliest:
        raise ValidationError([FieldError(field, message)])


def _phone(raw: str) -> str:
    return normalize_phone(raw) if raw.strip() else ""


def apply_escalation_result(
    c: Complaint, *, sheet_no: str, result: str, responsible_dept: str
) -> Complaint:
    """A 工作传签单's result flows back (§7.2.8): it joins the measures, its department is set."""
    _not_closed(c, "写入传签单处理结果")
    line = f"【传签单{sheet_no}处理结果】{result}"
    measures = c.measures if line in c.measures else "\n".join(filter(None, [c.measures, line]))
    return dataclasses.replace(
        c, measures=measures, responsible_dept=responsible_dept or c.responsible_dept
    )
