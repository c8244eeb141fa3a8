"""The complaint's life (§7.2) as pure rules: which step is allowed when, and where it leads."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from app.domain import complaint_workflow as wf
from app.domain.access import Permission
from app.domain.complaint import (
    Attribution,
    Complaint,
    Opinion,
    ReplyMethod,
    ReturnVisit,
    Status,
    Urgency,
    Validity,
)
from app.domain.errors import ValidationError, WorkflowError
from app.domain.voiding import Voiding

T0 = datetime(2026, 11, 20, 9, 30)


def intake(**changes: object) -> Complaint:
    base = Complaint(
        received_at=T0,
        content="3栋电梯漏水",
        urgency=Urgency.NOT_URGENT,
        complainant="张三",
        room="3-2-1201",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def visit(opinion: Opinion, at: datetime = datetime(2026, 11, 21, 15, 0)) -> ReturnVisit:
    return ReturnVisit(at, "周敏", "电话", opinion, "")


def replied(c: Complaint, at: datetime = datetime(2026, 11, 21, 9, 0)) -> Complaint:
    return wf.reply(c, at=at, method=ReplyMethod.ORAL, content="已安排维修")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"content": "  "}, "content", "请填写投诉内容"),
        ({"complainant": "", "room": ""}, "complainant", "投诉人和房号至少填写一项"),
        (
            {"requested_reply_at": datetime(2026, 11, 20, 9, 0)},
            "requested_reply_at",
            "要求答复时间早于登记时间",
        ),
        ({"phone": "12"}, "phone", "联系电话"),
        ({"content": "漏" * 10_000}, "content", "投诉内容过长（10000字，最多5000字）"),
        ({"complainant": "张\x07三"}, "complainant", "控制字符（U+0007）"),
    ],
)
def test_intake_errors_name_the_field(changes: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        wf.register(intake(**changes))
    assert [err.field for err in e.value.errors] == [field]
    assert message in e.value.errors[0].message


def test_only_room_or_only_complainant_is_enough() -> None:
    assert wf.register(intake(complainant="")).status == Status.REGISTERED
    assert wf.register(intake(room="")).status == Status.REGISTERED


def test_register_normalises_phone_and_records_an_immediate_reply() -> None:
    c = wf.register(intake(phone="１３８ １２３４ ５６７８", immediate_reply="已告知明天维修"))
    assert c.phone == "13812345678"
    assert (c.replied_at, c.reply_method, c.reply_content) == (
        T0,
        ReplyMethod.ORAL,
        "已告知明天维修",
    )
    assert c.status == Status.REGISTERED  # still goes to the handler


# (validity, attribution, immediate reply?) → status after judgement
JUDGEMENTS = [
    (Validity.VALID, None, False, Status.HANDLING),
    (Validity.INVALID, None, False, Status.HANDLING),
    (Validity.INVALID, Attribution.DEVELOPER, False, Status.FOLLOW_UP),
    (Validity.INVALID, Attribution.EXTERNAL, True, Status.FOLLOW_UP),
    (Validity.VALID, None, True, Status.AWAITING_VISIT),
    (Validity.INVALID, None, True, Status.CLOSED),
]


@pytest.mark.parametrize(("validity", "attribution", "answered", "expected"), JUDGEMENTS)
def test_judgement_leads_to(
    validity: Validity, attribution: Attribution | None, answered: bool, expected: Status
) -> None:
    c = wf.register(intake(immediate_reply="当场答复" if answered else ""))
    c = wf.judge(
        c,
        validity,
        handler="王主管",
        attribution=attribution,
        follow_up_party="开发商客服部" if attribution else "",
    )
    assert c.status == expected


def test_attribution_only_for_invalid_and_needs_a_party() -> None:
    c = wf.register(intake())
    with pytest.raises(ValidationError, match="原因归属"):
        wf.judge(
            c, Validity.VALID, handler="王", attribution=Attribution.DEVELOPER, follow_up_party="x"
        )
    with pytest.raises(ValidationError, match="跟进对象"):
        wf.judge(c, Validity.INVALID, handler="王", attribution=Attribution.DEVELOPER)


def test_follow_up_stays_open_until_a_result_then_closes_once_replied() -> None:
    c = wf.judge(
        wf.register(intake()),
        Validity.INVALID,
        handler="王",
        attribution=Attribution.DEVELOPER,
        follow_up_party="开发商",
    )
    c = replied(c)
    assert c.status == Status.FOLLOW_UP  # explained to the complainant, developer not done
    c = wf.record_follow_up_result(c, "开发商已承诺月底前修复外墙", datetime(2026, 11, 25, 10, 0))
    assert c.status == Status.CLOSED
    assert c.closed_at == datetime(2026, 11, 25, 10, 0)


def test_valid_complaint_cannot_close_without_a_return_visit() -> None:
    c = replied(wf.judge(wf.register(intake()), Validity.VALID, handler="王"))
    assert c.status == Status.AWAITING_VISIT
    assert c.closed_at is None
    closed = dataclasses.replace(c, status=Status.CLOSED)
    assert any("回访" in e.message for e in wf.check_consistency(closed))


@pytest.mark.parametrize(
    ("opinion", "status", "reopens"),
    [
        (Opinion.SATISFIED, Status.CLOSED, 0),
        (Opinion.FAIRLY_SATISFIED, Status.CLOSED, 0),
        (Opinion.UNSATISFIED, Status.HANDLING, 1),
    ],
)
def test_return_visit(opinion: Opinion, status: Status, reopens: int) -> None:
    c = replied(wf.judge(wf.register(intake()), Validity.VALID, handler="王"))
    c = wf.return_visit(c, visit(opinion))
    assert (c.status, c.reopen_count) == (status, reopens)


def test_unsatisfied_visit_reopens_and_needs_a_new_reply_before_the_next_visit() -> None:
    c = replied(wf.judge(wf.register(intake()), Validity.VALID, handler="王"))
    c = wf.return_visit(c, visit(Opinion.UNSATISFIED))
    assert c.visit is None and len(c.past_visits) == 1
    with pytest.raises(WorkflowError):
        wf.return_visit(c, visit(Opinion.SATISFIED, datetime(2026, 11, 22, 9, 0)))
    c = wf.judge(c, Validity.VALID, handler="王")  # re-judging keeps it in handling
    assert c.status == Status.HANDLING
    c = replied(c, datetime(2026, 11, 22, 10, 0))
    assert c.replied_at == datetime(2026, 11, 21, 9, 0)  # the first reply is what was measured
    c = wf.return_visit(c, visit(Opinion.SATISFIED, datetime(2026, 11, 22, 16, 0)))
    assert (c.status, c.reopen_count, len(c.past_visits)) == (Status.CLOSED, 1, 1)


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (lambda c: wf.reply(c, at=T0, method=ReplyMethod.ORAL, content="x"), "投诉性质"),
        (
            lambda c: wf.record_handling(
                c, cause_analysis="", measures="x", responsible_dept="", completed_at=None
            ),
            "投诉性质",
        ),
        (lambda c: wf.return_visit(c, visit(Opinion.SATISFIED)), "待回访"),
        (lambda c: wf.record_follow_up_result(c, "x", T0), "跟进中"),
    ],
)
def test_steps_out_of_order_are_refused(step, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkflowError, match=message):
        step(wf.register(intake()))


@pytest.mark.parametrize(
    ("step", "field"),
    [
        (
            lambda c: wf.reply(
                c, at=datetime(2026, 11, 20, 9, 0), method=ReplyMethod.ORAL, content="x"
            ),
            "replied_at",
        ),
        (
            lambda c: wf.record_handling(
                c,
                cause_analysis="",
                measures="x",
                responsible_dept="",
                completed_at=datetime(2026, 11, 19),
            ),
            "completed_at",
        ),
        (
            lambda c: wf.record_handling(
                c, cause_analysis="", measures=" ", responsible_dept="", completed_at=None
            ),
            "measures",
        ),
    ],
)
def test_times_before_receipt_and_empty_measures(step, field: str) -> None:  # type: ignore[no-untyped-def]
    c = wf.judge(wf.register(intake()), Validity.VALID, handler="王")
    with pytest.raises(ValidationError) as e:
        step(c)
    assert e.value.errors[0].field == field


def test_closed_complaint_refuses_changes() -> None:
    c = wf.judge(wf.register(intake(immediate_reply="已答复")), Validity.INVALID, handler="王")
    assert c.status == Status.CLOSED
    with pytest.raises(WorkflowError, match="已关闭"):
        wf.correct_intake(c, c)
    with pytest.raises(WorkflowError):
        wf.judge(c, Validity.VALID, handler="王")


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({}, Status.REGISTERED),
        ({"validity": Validity.VALID}, Status.HANDLING),
        (
            {"validity": Validity.INVALID, "attribution": Attribution.OUTSIDE_REMIT},
            Status.FOLLOW_UP,
        ),
        ({"validity": Validity.VALID, "replied_at": T0}, Status.AWAITING_VISIT),
        ({"validity": Validity.INVALID, "replied_at": T0}, Status.CLOSED),
        (
            {"validity": Validity.VALID, "replied_at": T0, "visit": visit(Opinion.SATISFIED)},
            Status.CLOSED,
        ),
        (
            {"validity": Validity.VALID, "replied_at": T0, "visit": visit(Opinion.UNSATISFIED)},
            Status.HANDLING,
        ),
    ],
)
def test_derive_status_from_fields(changes: dict[str, object], status: Status) -> None:
    c = intake(**changes)
    assert wf.derive_status(c) == status
    assert wf.check_consistency(dataclasses.replace(c, status=status)) == []


def test_escalation_result_joins_measures_once() -> None:
    c = wf.judge(wf.register(intake()), Validity.VALID, handler="王")
    c = wf.record_handling(
        c, cause_analysis="", measures="先行止水", responsible_dept="客服部", completed_at=None
    )
    for _ in range(2):
        c = wf.apply_escalation_result(
            c, sheet_no="CQ2026-00001", result="更换管道", responsible_dept="工程维修部"
        )
    assert c.measures == "先行止水\n【传签单CQ2026-00001处理结果】更换管道"
    assert c.responsible_dept == "工程维修部"


def _tries(c: Complaint) -> dict[wf.Step, bool]:
    """Whether each step function accepts the record (with valid arguments)."""
    at = datetime(2026, 11, 22, 10, 0)
    attempts = {
        wf.Step.CORRECT_INTAKE: lambda: wf.correct_intake(c, c),
        wf.Step.JUDGE: lambda: wf.judge(c, Validity.VALID, handler="王"),
        wf.Step.FOLLOW_UP: lambda: wf.record_follow_up_result(c, "已处理", at),
        wf.Step.HANDLING: lambda: wf.record_handling(
            c, cause_analysis="", measures="x", responsible_dept="", completed_at=None
        ),
        wf.Step.REPLY: lambda: wf.reply(c, at=at, method=ReplyMethod.ORAL, content="x"),
        wf.Step.RETURN_VISIT: lambda: wf.return_visit(c, visit(Opinion.SATISFIED, at)),
        wf.Step.REVIEW: lambda: wf.review(c, reviewer="赵", at=at),
    }
    result = {}
    for step, attempt in attempts.items():
        try:
            attempt()
            result[step] = True
        except WorkflowError:
            result[step] = False
    return result


STAGES = {
    "registered": lambda: wf.register(intake()),
    "judged valid": lambda: wf.judge(wf.register(intake()), Validity.VALID, handler="王"),
    "follow-up": lambda: wf.judge(
        wf.register(intake()),
        Validity.INVALID,
        handler="王",
        attribution=Attribution.DEVELOPER,
        follow_up_party="开发商",
    ),
    "awaiting visit": lambda: replied(
        wf.judge(wf.register(intake()), Validity.VALID, handler="王")
    ),
    "reopened": lambda: wf.return_visit(
        replied(wf.judge(wf.register(intake()), Validity.VALID, handler="王")),
        visit(Opinion.UNSATISFIED),
    ),
    "closed": lambda: wf.judge(
        wf.register(intake(immediate_reply="已答复")), Validity.INVALID, handler="王"
    ),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_allowed_steps_match_what_the_steps_accept(stage: str) -> None:
    c = STAGES[stage]()
    allowed = wf.allowed_steps(c)
    for step, accepted in _tries(c).items():
        assert (step in allowed) == accepted, (stage, step)


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_voided_complaint_offers_no_step(stage: str) -> None:
    c = dataclasses.replace(STAGES[stage](), void=Voiding(T0, "钱经理", "重复登记"))
    assert wf.allowed_steps(c) == frozenset()


def test_every_step_names_the_permission_it_needs() -> None:
    assert set(wf.STEP_PERMISSIONS) == set(wf.Step)
    assert wf.STEP_PERMISSIONS[wf.Step.REVIEW] == Permission.APPROVE
    assert wf.STEP_PERMISSIONS[wf.Step.CORRECT_INTAKE] == Permission.REGISTER
