"""The repair ticket's life (procedure §2) as pure rules: which step is allowed when, where it
leads, and what a stored ticket must look like."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import repair_workflow as wf
from app.domain.access import Permission
from app.domain.errors import FieldError, ValidationError, WorkflowError
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
from app.domain.voiding import Voiding

T0 = datetime(2026, 11, 20, 9, 30)  # a Friday
DISPATCHED_AT = T0 + timedelta(minutes=20)
ARRIVED_AT = T0 + timedelta(hours=1)
COMPLETED_AT = T0 + timedelta(hours=3)
ACCEPTED_AT = T0 + timedelta(hours=3, minutes=10)
VISITED_AT = datetime(2026, 11, 23, 10, 0)
LATER = datetime(2026, 12, 1, 9, 0)  # after every stage's times
OK, FAIR, BAD = Satisfaction.SATISFIED, Satisfaction.FAIRLY_SATISFIED, Satisfaction.UNSATISFIED
PIPE = ChargeLine("PPR水管", Decimal("1.5"), 1200, "米")
VALVE = ChargeLine("角阀", Decimal(1), 3500, "个")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def intake(**changes: object) -> RepairTicket:
    base = RepairTicket(
        reported_at=T0,
        description="厨房水管漏水",
        reporter="张三",
        room="3-2-1201",
        phone="13812345678",
        category="给排水",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def registered() -> RepairTicket:
    return wf.register(intake())


def dispatched() -> RepairTicket:
    return wf.dispatch(registered(), repairer="李师傅", at=DISPATCHED_AT)


def on_site() -> RepairTicket:
    return wf.arrive(dispatched(), ARRIVED_AT)


def completed(chargeable: bool = True) -> RepairTicket:
    return wf.complete(
        on_site(), at=COMPLETED_AT, result="更换水管", charges=[PIPE, VALVE], chargeable=chargeable
    )


def accepted(result: Satisfaction = OK) -> RepairTicket:
    return wf.accept(completed(), Acceptance(ACCEPTED_AT, result))


def visited(result: Satisfaction = OK) -> RepairTicket:
    return wf.return_visit(accepted(), RepairVisit(VISITED_AT, "周敏", result))


# --- 登记 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": "  "}, "description", "请填写故障描述"),
        ({"description": "漏" * 6000}, "description", "故障描述过长（6000字，最多5000字）"),
        ({"room": "", "location": " "}, "room", "请填写房号或位置/设施"),
        ({"phone": "12"}, "phone", "联系电话格式不对"),
        ({"reporter": "张\x07三"}, "reporter", "控制字符（U+0007）"),
        ({"location": "北门\x00"}, "location", "位置/设施含有不可见的控制字符"),
        ({"category": "给排水" * 20}, "category", "类别过长"),
        ({"reported_at": None}, "reported_at", "请填写报修时间"),
        (
            {"appointment_at": T0 - timedelta(minutes=1)},
            "appointment_at",
            "预约上门时间早于报修时间",
        ),
    ],
)
def test_intake_errors_name_the_field(changes: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        wf.register(intake(**changes))
    assert [err.field for err in e.value.errors] == [field]
    assert message in e.value.errors[0].message


@pytest.mark.parametrize(
    "changes",
    [
        {"room": ""},  # a public place
        {"location": "", "room": "3-2-1201"},
        {"phone": ""},  # phone is optional
        {"reporter": ""},  # found on patrol
        {"description": "第一行\n第二行\t续"},
        {"appointment_at": T0},
    ],
)
def test_intake_accepts(changes: dict[str, object]) -> None:
    t = wf.register(intake(**({"location": "3栋1号电梯"} | changes)))
    assert t.status == RepairStatus.REPORTED


def test_register_normalises_phone_and_room() -> None:
    t = wf.register(intake(phone="１３８ １２３４ ５６７８", room="３栋２单元１２０１"))
    assert (t.phone, t.room, t.status) == ("13812345678", "3-2-1201", RepairStatus.REPORTED)


def test_correct_intake_changes_the_report_only() -> None:
    old = accepted()
    new = dataclasses.replace(
        old,
        description="厨房及卫生间水管漏水",
        phone="0755 1234 5678",
        room="3栋2单元1202",
        status=RepairStatus.REPORTED,
        repairer="别人",
        completed_at=None,
        acceptance=None,
    )
    t = wf.correct_intake(old, new)
    assert (t.description, t.phone, t.room) == ("厨房及卫生间水管漏水", "0755-12345678", "3-2-1202")
    assert (t.status, t.repairer, t.completed_at, t.acceptance) == (
        old.status,
        old.repairer,
        old.completed_at,
        old.acceptance,
    )
    assert wf.check_consistency(t) == []


@pytest.mark.parametrize(
    ("reported", "message"),
    [
        (DISPATCHED_AT + timedelta(minutes=1), "报修时间晚于派工时间"),
        (LATER, "报修时间晚于派工时间"),
    ],
)
def test_correct_intake_keeps_the_report_before_later_stages(
    reported: datetime, message: str
) -> None:
    old = on_site()
    with pytest.raises(ValidationError) as e:
        wf.correct_intake(old, dataclasses.replace(old, reported_at=reported))
    assert (e.value.errors[0].field, e.value.errors[0].message) == ("reported_at", message)


def test_correct_intake_refuses_bad_fields_and_a_closed_ticket() -> None:
    with pytest.raises(ValidationError, match="故障描述"):
        wf.correct_intake(registered(), intake(description=""))
    closed = visited()
    with pytest.raises(WorkflowError, match="已关闭"):
        wf.correct_intake(closed, closed)


# --- 派工、业主不在家、到场 ------------------------------------------------------------


def test_dispatch_and_redispatch() -> None:
    t = wf.register(intake(appointment_at=T0 + timedelta(days=1)))
    t = wf.dispatch(t, repairer=" 李师傅 ", at=DISPATCHED_AT)
    assert (t.status, t.repairer, t.dispatched_at) == (
        RepairStatus.DISPATCHED,
        "李师傅",
        DISPATCHED_AT,
    )
    assert t.appointment_at == T0 + timedelta(days=1)  # kept without a new one
    again = T0 + timedelta(hours=2)
    t = wf.dispatch(t, repairer="王师傅", at=again, appointment_at=again + timedelta(hours=1))
    assert (t.status, t.repairer, t.dispatched_at, t.appointment_at) == (
        RepairStatus.DISPATCHED,
        "王师傅",
        again,
        again + timedelta(hours=1),
    )


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"repairer": " ", "at": DISPATCHED_AT}, "repairer", "请填写维修人员"),
        ({"repairer": "李\x1b", "at": DISPATCHED_AT}, "repairer", "控制字符"),
        (
            {"repairer": "李", "at": T0 - timedelta(seconds=1)},
            "dispatched_at",
            "派工时间早于报修时间",
        ),
        (
            {"repairer": "李", "at": DISPATCHED_AT, "appointment_at": DISPATCHED_AT - timedelta(1)},
            "appointment_at",
            "预约上门时间早于派工时间",
        ),
    ],
)
def test_dispatch_errors(kwargs: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        wf.dispatch(registered(), **kwargs)  # type: ignore[arg-type]
    assert e.value.errors[0].field == field
    assert message in e.value.errors[0].message


def test_not_home_note_left_then_rescheduled() -> None:
    t = wf.dispatch(registered(), repairer="李", at=DISPATCHED_AT, appointment_at=ARRIVED_AT)
    note = NotHomeVisit(ARRIVED_AT, NotHomeAction.NOTE_LEFT, note="门上贴了留言条")
    t = wf.record_not_home(t, note)
    assert (t.status, t.appointment_at, t.not_home) == (RepairStatus.DISPATCHED, ARRIVED_AT, [note])
    tomorrow = datetime(2026, 11, 21, 9, 0)
    moved = NotHomeVisit(ARRIVED_AT + timedelta(hours=1), NotHomeAction.RESCHEDULED, tomorrow)
    t = wf.record_not_home(t, moved)
    assert (t.status, t.appointment_at, t.not_home) == (
        RepairStatus.DISPATCHED,
        tomorrow,
        [note, moved],
    )
    assert wf.arrive(t, tomorrow).status == RepairStatus.ON_SITE


@pytest.mark.parametrize(
    ("visit", "field", "message"),
    [
        (NotHomeVisit(ARRIVED_AT, NotHomeAction.RESCHEDULED), "new_appointment", "新的预约时间"),
        (
            NotHomeVisit(ARRIVED_AT, NotHomeAction.RESCHEDULED, ARRIVED_AT),
            "new_appointment",
            "新的预约时间须晚于本次上门时间",
        ),
        (
            NotHomeVisit(ARRIVED_AT, NotHomeAction.NOTE_LEFT, LATER),
            "new_appointment",
            "只留言时不填新的预约时间",
        ),
        (NotHomeVisit(T0, NotHomeAction.NOTE_LEFT), "at", "上门时间早于派工时间"),
        (NotHomeVisit(ARRIVED_AT, NotHomeAction.NOTE_LEFT, note="\x00"), "note", "控制字符"),
    ],
)
def test_not_home_errors(visit: NotHomeVisit, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        wf.record_not_home(dispatched(), visit)
    assert e.value.errors[0].field == field
    assert message in e.value.errors[0].message


def test_arrival_before_dispatch_is_refused() -> None:
    with pytest.raises(ValidationError) as e:
        wf.arrive(dispatched(), DISPATCHED_AT - timedelta(minutes=1))
    assert e.value.errors[0] == FieldError("arrived_at", "到场时间早于派工时间")
    assert wf.arrive(dispatched(), DISPATCHED_AT).arrived_at == DISPATCHED_AT


# --- 完工 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chargeable", "total"),
    [(True, 1800 + 3500), (False, 0)],
)
def test_completion_and_charges(chargeable: bool, total: int) -> None:
    t = completed(chargeable)
    assert (t.status, t.completed_at, t.result) == (
        RepairStatus.AWAITING_ACCEPTANCE,
        COMPLETED_AT,
        "更换水管",
    )
    assert t.charges == [PIPE, VALVE]  # a free repair keeps the materials it used
    assert t.total_fen == total


def test_a_third_of_a_metre_at_150_fen_rounds_half_up() -> None:
    line = ChargeLine("电线", Decimal("0.333"), 150, "米")
    t = wf.complete(on_site(), at=COMPLETED_AT, result="接线", charges=[line], chargeable=True)
    assert t.total_fen == 50  # 49.95


@pytest.mark.parametrize(
    ("result", "charges", "at", "errors"),
    [
        (" ", [], COMPLETED_AT, [("result", "请填写维修结果")]),
        (
            "好\x07",
            [],
            COMPLETED_AT,
            [("result", "维修结果含有不可见的控制字符（U+0007），请删除后再保存")],
        ),
        (
            "换阀",
            [ChargeLine(" ", Decimal(1), 100)],
            COMPLETED_AT,
            [("charges", "第1行材料：请填写名称")],
        ),
        (
            "换阀",
            [PIPE, ChargeLine("角阀", Decimal(0), 3500)],
            COMPLETED_AT,
            [("charges", "第2行材料：数量须大于0")],
        ),
        (
            "换阀",
            [ChargeLine("角阀", Decimal(-1), 100)],
            COMPLETED_AT,
            [("charges", "第1行材料：数量须大于0")],
        ),
        (
            "换阀",
            [ChargeLine("角阀", Decimal("NaN"), 100)],
            COMPLETED_AT,
            [("charges", "第1行材料：数量须大于0")],
        ),
        (
            "换阀",
            [ChargeLine("角阀", Decimal(1), -1)],
            COMPLETED_AT,
            [("charges", "第1行材料：单价不能为负数")],
        ),
        (
            "换阀",
            [ChargeLine("角阀", Decimal(1), 0)],
            ARRIVED_AT - timedelta(seconds=1),
            [("completed_at", "完成时间早于到场时间")],
        ),
        (
            "",
            [VALVE, ChargeLine("", Decimal(0), -5)],
            COMPLETED_AT,
            [
                ("result", "请填写维修结果"),
                ("charges", "第2行材料：请填写名称"),
                ("charges", "第2行材料：数量须大于0"),
                ("charges", "第2行材料：单价不能为负数"),
            ],
        ),
    ],
)
def test_completion_errors(
    result: str, charges: list[ChargeLine], at: datetime, errors: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationError) as e:
        wf.complete(on_site(), at=at, result=result, charges=charges, chargeable=True)
    assert [(x.field, x.message) for x in e.value.errors] == errors


def test_a_free_line_is_fine() -> None:
    line = ChargeLine("密封胶带", Decimal(1), 0, "卷")
    assert wf.complete(on_site(), at=COMPLETED_AT, result="x", charges=[line], chargeable=True)


# --- 验收、回访 -------------------------------------------------------------------


@pytest.mark.parametrize("result", [OK, FAIR])
def test_acceptance_leads_to_the_return_visit(result: Satisfaction) -> None:
    t = accepted(result)
    assert (t.status, t.acceptance) == (
        RepairStatus.AWAITING_VISIT,
        Acceptance(ACCEPTED_AT, result),
    )


def test_unsatisfied_acceptance_sends_the_repairer_back() -> None:
    t = accepted(BAD)
    assert (t.status, t.reopen_count, t.acceptance, t.completed_at, t.arrived_at) == (
        RepairStatus.ON_SITE,
        1,
        None,
        None,
        ARRIVED_AT,
    )
    redone = ACCEPTED_AT + timedelta(hours=1)
    t = wf.complete(t, at=redone, result="重新更换", charges=[VALVE], chargeable=True)
    t = wf.accept(t, Acceptance(redone + timedelta(minutes=5), OK))
    assert (t.status, t.reopen_count, t.completed_at, t.total_fen) == (
        RepairStatus.AWAITING_VISIT,
        1,
        redone,
        3500,
    )


def test_acceptance_before_completion_is_refused() -> None:
    with pytest.raises(ValidationError) as e:
        wf.accept(completed(), Acceptance(COMPLETED_AT - timedelta(minutes=1), OK))
    assert (e.value.errors[0].field, e.value.errors[0].message) == ("at", "验收时间早于完成时间")


@pytest.mark.parametrize("result", [OK, FAIR])
def test_a_satisfied_visit_closes(result: Satisfaction) -> None:
    t = visited(result)
    assert (t.status, t.closed_at, t.reopen_count) == (RepairStatus.CLOSED, VISITED_AT, 0)
    assert t.visit == RepairVisit(VISITED_AT, "周敏", result)


def test_an_unsatisfied_visit_goes_back_for_redispatch() -> None:
    t = visited(BAD)
    assert t.status == RepairStatus.DISPATCHED
    assert (t.reopen_count, t.past_visits, t.visit) == (
        1,
        [RepairVisit(VISITED_AT, "周敏", BAD)],
        None,
    )
    assert (t.arrived_at, t.completed_at, t.acceptance) == (None, None, None)
    assert (t.repairer, t.dispatched_at, t.result, t.charges) == (
        "李师傅",
        DISPATCHED_AT,
        "更换水管",
        [PIPE, VALVE],
    )
    assert wf.check_consistency(t) == []
    # the department head re-dispatches; then the same path to a second, satisfied visit
    day = datetime(2026, 11, 24, 9, 0)
    t = wf.dispatch(t, repairer="王班长", at=day)
    t = wf.arrive(t, day + timedelta(hours=1))
    t = wf.complete(t, at=day + timedelta(hours=2), result="整段换管", charges=[], chargeable=False)
    t = wf.accept(t, Acceptance(day + timedelta(hours=2, minutes=5), OK))
    t = wf.return_visit(t, RepairVisit(day + timedelta(days=1), "周敏", OK))
    assert (t.status, t.reopen_count, len(t.past_visits), t.total_fen) == (
        RepairStatus.CLOSED,
        1,
        1,
        0,
    )
    assert wf.check_consistency(t) == []


@pytest.mark.parametrize(
    ("visit", "field", "message"),
    [
        (RepairVisit(VISITED_AT, " ", OK), "visitor", "请填写回访人"),
        (RepairVisit(VISITED_AT, "周\x7f", OK), "visitor", "控制字符"),
        (RepairVisit(ACCEPTED_AT - timedelta(seconds=1), "周敏", OK), "at", "回访时间早于验收时间"),
        (RepairVisit(VISITED_AT, "周敏", BAD, "\x00"), "remarks", "控制字符"),
    ],
)
def test_return_visit_errors(visit: RepairVisit, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        wf.return_visit(accepted(), visit)
    assert e.value.errors[0].field == field
    assert message in e.value.errors[0].message


# --- 顺序 ---------------------------------------------------------------------

Step = Callable[[RepairTicket], RepairTicket]


def _attempts(at: datetime) -> dict[wf.RepairStep, Step]:
    """Each step with valid arguments at time ``at``."""
    return {
        wf.RepairStep.CORRECT_INTAKE: lambda t: wf.correct_intake(t, t),
        wf.RepairStep.DISPATCH: lambda t: wf.dispatch(t, repairer="王", at=at),
        wf.RepairStep.NOT_HOME: lambda t: wf.record_not_home(
            t, NotHomeVisit(at, NotHomeAction.NOTE_LEFT)
        ),
        wf.RepairStep.ARRIVE: lambda t: wf.arrive(t, at),
        wf.RepairStep.COMPLETE: lambda t: wf.complete(
            t, at=at, result="x", charges=[], chargeable=False
        ),
        wf.RepairStep.ACCEPT: lambda t: wf.accept(t, Acceptance(at, OK)),
        wf.RepairStep.RETURN_VISIT: lambda t: wf.return_visit(t, RepairVisit(at, "周敏", OK)),
    }


STAGES: dict[str, Callable[[], RepairTicket]] = {
    "registered": registered,
    "dispatched": dispatched,
    "rescheduled": lambda: wf.record_not_home(
        dispatched(), NotHomeVisit(ARRIVED_AT, NotHomeAction.RESCHEDULED, LATER)
    ),
    "on site": on_site,
    "completed": completed,
    "rejected at acceptance": lambda: accepted(BAD),
    "accepted": accepted,
    "reopened by the visit": lambda: visited(BAD),
    "closed": visited,
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_allowed_steps_match_what_the_steps_accept(stage: str) -> None:
    t = STAGES[stage]()
    allowed = wf.allowed_steps(t)
    for step, attempt in _attempts(LATER).items():
        try:
            attempt(t)
            accepted_ = True
        except WorkflowError:
            accepted_ = False
        assert (step in allowed) == accepted_, (stage, step)


@pytest.mark.parametrize("stage", list(STAGES))
def test_every_stage_reached_by_the_steps_is_consistent(stage: str) -> None:
    t = STAGES[stage]()
    assert wf.check_consistency(t) == []
    assert wf.derive_status(t) == t.status


@pytest.mark.parametrize(
    ("stage", "step", "message"),
    [
        ("registered", wf.RepairStep.ARRIVE, "只有“已派工”的工单可以登记到场"),
        ("registered", wf.RepairStep.NOT_HOME, "只有“已派工”的工单可以登记业主不在家"),
        ("registered", wf.RepairStep.COMPLETE, "只有“维修中”的工单可以登记完工"),
        ("dispatched", wf.RepairStep.COMPLETE, "维修中"),
        ("dispatched", wf.RepairStep.ACCEPT, "只有“待验收”的工单可以登记验收"),
        ("on site", wf.RepairStep.DISPATCH, "“维修中”的工单不能派工"),
        ("on site", wf.RepairStep.ARRIVE, "已派工"),
        ("on site", wf.RepairStep.NOT_HOME, "已派工"),
        ("on site", wf.RepairStep.ACCEPT, "待验收"),
        ("completed", wf.RepairStep.RETURN_VISIT, "只有“待回访”的工单可以登记回访"),
        ("completed", wf.RepairStep.COMPLETE, "维修中"),
        ("accepted", wf.RepairStep.ACCEPT, "待验收"),
        ("accepted", wf.RepairStep.DISPATCH, "“待回访”的工单不能派工"),
        ("closed", wf.RepairStep.RETURN_VISIT, "待回访"),
        ("closed", wf.RepairStep.DISPATCH, "“已关闭”的工单不能派工"),
        ("closed", wf.RepairStep.CORRECT_INTAKE, "工单已关闭，不能修改报修内容"),
    ],
)
def test_steps_out_of_order_are_refused(stage: str, step: wf.RepairStep, message: str) -> None:
    with pytest.raises(WorkflowError, match=message):
        _attempts(LATER)[step](STAGES[stage]())


# --- 导入: 状态推断与一致性 -------------------------------------------------------------

SAT_ACCEPTANCE = Acceptance(ACCEPTED_AT, OK)
SAT_VISIT = RepairVisit(VISITED_AT, "周敏", FAIR)
D = {"dispatched_at": DISPATCHED_AT, "repairer": "李"}
A = {"arrived_at": ARRIVED_AT}
C = {"completed_at": COMPLETED_AT}


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({}, RepairStatus.REPORTED),
        ({"repairer": "李"}, RepairStatus.REPORTED),  # named but no 派工时间
        (D, RepairStatus.DISPATCHED),
        (D | A, RepairStatus.ON_SITE),
        (D | A | C, RepairStatus.AWAITING_ACCEPTANCE),
        (D | A | C | {"acceptance": SAT_ACCEPTANCE}, RepairStatus.AWAITING_VISIT),
        (
            D | A | C | {"acceptance": SAT_ACCEPTANCE, "visit": SAT_VISIT, "closed_at": VISITED_AT},
            RepairStatus.CLOSED,
        ),
        (D | A | C | {"acceptance": SAT_ACCEPTANCE, "visit": SAT_VISIT}, RepairStatus.CLOSED),
    ],
)
def test_derive_status_from_fields(changes: dict[str, object], status: RepairStatus) -> None:
    t = intake(**changes)
    assert wf.derive_status(t) == status
    assert wf.check_consistency(dataclasses.replace(t, status=status)) == []


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        # an unsatisfied result on the record means the ticket went back
        (D | A | C | {"acceptance": Acceptance(ACCEPTED_AT, BAD)}, RepairStatus.ON_SITE),
        (
            D | A | C | {"acceptance": SAT_ACCEPTANCE, "visit": RepairVisit(VISITED_AT, "周", BAD)},
            RepairStatus.DISPATCHED,
        ),
    ],
)
def test_derive_status_of_an_unsatisfied_result(
    changes: dict[str, object], status: RepairStatus
) -> None:
    t = intake(**changes)
    assert wf.derive_status(t) == status
    # ... and such a record is not consistent as it stands: the importer must move it along
    assert wf.check_consistency(dataclasses.replace(t, status=status))


@pytest.mark.parametrize(
    ("status", "changes", "field", "message"),
    [
        (RepairStatus.CLOSED, D | A | C | {"acceptance": SAT_ACCEPTANCE}, "visit", "没有回访结果"),
        (
            RepairStatus.CLOSED,
            D | A | C | {"acceptance": SAT_ACCEPTANCE, "visit": RepairVisit(VISITED_AT, "周", BAD)},
            "visit",
            "回访不满意",
        ),
        (RepairStatus.AWAITING_VISIT, D | A | C, "acceptance", "状态为“待回访”但没有验收结果"),
        (
            RepairStatus.AWAITING_VISIT,
            D | A | C | {"acceptance": Acceptance(ACCEPTED_AT, BAD)},
            "acceptance",
            "验收不满意",
        ),
        (RepairStatus.ON_SITE, D, "arrived_at", "状态为“维修中”但没有到场时间"),
        (RepairStatus.DISPATCHED, {"dispatched_at": DISPATCHED_AT}, "repairer", "没有维修人员"),
        (RepairStatus.REPORTED, D | A | C, "dispatched_at", "状态为“待派工”却已有派工时间"),
        (RepairStatus.ON_SITE, D | A | {"closed_at": LATER}, "closed_at", "却有关闭时间"),
        (
            RepairStatus.ON_SITE,
            D | {"arrived_at": DISPATCHED_AT - timedelta(minutes=1)},
            "arrived_at",
            "到场时间早于派工时间",
        ),
        (
            RepairStatus.DISPATCHED,
            {"dispatched_at": T0 - timedelta(minutes=1), "repairer": "李"},
            "dispatched_at",
            "派工时间早于报修时间",
        ),
        (
            RepairStatus.AWAITING_ACCEPTANCE,
            D | {"completed_at": COMPLETED_AT},
            "arrived_at",
            "没有到场时间",
        ),
        (
            RepairStatus.AWAITING_ACCEPTANCE,
            D | A | {"completed_at": ARRIVED_AT - timedelta(seconds=1)},
            "completed_at",
            "完成时间早于到场时间",
        ),
        (
            RepairStatus.AWAITING_VISIT,
            D | A | C | {"acceptance": Acceptance(COMPLETED_AT - timedelta(hours=1), OK)},
            "acceptance",
            "验收时间早于完成时间",
        ),
        (
            RepairStatus.CLOSED,
            D
            | A
            | C
            | {"acceptance": SAT_ACCEPTANCE, "visit": RepairVisit(COMPLETED_AT, "周", OK)},
            "visit",
            "回访时间早于验收时间",
        ),
        (RepairStatus.REPORTED, {"appointment_at": T0 - timedelta(1)}, "appointment_at", "预约"),
    ],
)
def test_check_consistency(
    status: RepairStatus, changes: dict[str, object], field: str, message: str
) -> None:
    errors = wf.check_consistency(intake(status=status, **changes))
    assert any(e.field == field and message in e.message for e in errors), errors


# --- 任意文本 -------------------------------------------------------------------

TEXT_FIELDS = ("reporter", "room", "location", "phone", "category", "description")


@given(st.dictionaries(st.sampled_from(TEXT_FIELDS), st.text(max_size=300)))
def test_intake_validation_never_raises_and_speaks_chinese(values: dict[str, str]) -> None:
    t = intake(**values)
    for error in wf.validate_intake(t):
        assert error.field in (*TEXT_FIELDS, "reported_at", "appointment_at")
        assert CHINESE.search(error.message), error.message
    try:
        wf.register(t)
    except ValidationError as e:
        assert e.errors and all(CHINESE.search(x.message) for x in e.errors)


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_voided_ticket_offers_no_step(stage: str) -> None:
    t = dataclasses.replace(STAGES[stage](), void=Voiding(LATER, "钱经理", "重复报修"))
    assert wf.allowed_steps(t) == frozenset()


def test_every_step_names_the_permission_it_needs() -> None:
    assert set(wf.STEP_PERMISSIONS) == set(wf.RepairStep)
    assert wf.STEP_PERMISSIONS[wf.RepairStep.CORRECT_INTAKE] == Permission.REGISTER
    assert wf.STEP_PERMISSIONS[wf.RepairStep.DISPATCH] == Permission.HANDLE
