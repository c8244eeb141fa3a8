"""作废 instead of deleting, the 修改记录 of corrections, and the steps each role is offered."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.access import PermissionDeniedError, Role
from app.domain.complaint import Complaint, Status, Urgency, Validity
from app.domain.complaint_workflow import Step
from app.domain.errors import ValidationError, WorkflowError
from app.domain.escalation import Level, LevelOpinion, TransferSheet, WorkNotice
from app.domain.listing import ComplaintFilter, QuickView, Sort
from app.domain.repair import ChargeLine, RepairTicket
from app.domain.repair_listing import RepairFilter, RepairView
from app.domain.repair_workflow import RepairStep
from app.services import Services
from tests.accounts_support import signed_in

FRIDAY = datetime(2026, 11, 20, 9, 30)  # the clock says 10:00 the same day
MONDAY = datetime(2026, 11, 23, 9, 0)
CLERK, HANDLER, MANAGER = (frozenset({r}) for r in (Role.CLERK, Role.HANDLER, Role.MANAGER))


def new(services: Services, **kw: object) -> Complaint:
    fields: dict[str, object] = dict(
        received_at=FRIDAY,
        content="3栋电梯漏水",
        urgency=Urgency.NOT_URGENT,
        complainant="张三",
        room="3-2-1201",
        phone="13812345678",
    )
    fields.update(kw)
    return services.complaints.register(Complaint(**fields))  # type: ignore[arg-type]


def report(services: Services, **kw: object) -> RepairTicket:
    fields: dict[str, object] = dict(
        reported_at=FRIDAY, description="厨房水龙头漏水", room="3-2-1201", category="给排水"
    )
    fields.update(kw)
    return services.repairs.register(RepairTicket(**fields))  # type: ignore[arg-type]


def ids(services: Services, **kw: object) -> set[int]:
    return set(services.complaints.list_ids(ComplaintFilter(**kw), Sort()))  # type: ignore[arg-type]


def repair_ids(services: Services, **kw: object) -> set[int]:
    return set(services.repairs.list_ids(RepairFilter(**kw), Sort("reported_at")))  # type: ignore[arg-type]


def trail_size(services: Services) -> int:
    return int(services.database.scalar("SELECT count(*) FROM audit_log"))


# ----- 作废 a complaint
def test_a_manager_voids_a_complaint_with_a_reason(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    c = new(services)
    signed_in(services, MANAGER, name="钱经理")
    voided = services.complaints.void(c.id, "  重复登记，已按 TS2026-00002 办理  ")
    assert voided.void is not None
    assert (voided.void.at, voided.void.by) == (clock.now, "钱经理")
    assert voided.void.reason == "重复登记，已按 TS2026-00002 办理"
    assert voided.content == c.content and voided.status == Status.REGISTERED  # nothing lost
    last = services.complaints.events(c.id)[-1]
    assert (last["action"], last["actor"], last["detail"]) == (
        "作废",
        "钱经理",
        "重复登记，已按 TS2026-00002 办理",
    )
    entry = services.database.query(
        "SELECT actor, action, changes FROM audit_log WHERE record_type = 'complaints' "
        "AND record_id = ? ORDER BY seq DESC LIMIT 1",
        (c.id,),
    )[0]
    changes = json.loads(entry["changes"])
    assert (entry["actor"], entry["action"]) == ("钱经理", "update")
    assert changes["void_reason"] == [None, "重复登记，已按 TS2026-00002 办理"]
    assert changes["voided_by"] == ["", "钱经理"]


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "请填写作废原因"), ("  \n ", "请填写作废原因"), ("重" * 1001, "作废原因过长")],
)
def test_a_reason_is_required_and_limited(services: Services, reason: str, message: str) -> None:
    c = new(services)
    before = trail_size(services)
    with pytest.raises(ValidationError) as e:
        services.complaints.void(c.id, reason)
    assert e.value.errors[0].field == "reason" and message in e.value.errors[0].message
    assert services.complaints.get(c.id).void is None and trail_size(services) == before


@pytest.mark.parametrize("roles", [CLERK, HANDLER], ids=["clerk", "handler"])
def test_only_a_manager_may_void_and_a_refusal_changes_nothing(
    services: Services, roles: frozenset[Role]
) -> None:
    c = new(services)
    t = report(services)
    sheet = raise_sheet(services, c)
    signed_in(services, roles)
    before = trail_size(services)
    for call in (
        lambda: services.complaints.void(c.id, "重复"),
        lambda: services.repairs.void(t.id, "重复"),
        lambda: services.escalation.void_sheet(sheet.id, "重复"),
    ):
        with pytest.raises(PermissionDeniedError, match="作废记录"):
            call()
    assert services.complaints.get(c.id).void is None
    assert services.repairs.get(t.id).void is None
    assert services.escalation.sheet(sheet.id).void is None
    assert [e["action"] for e in services.complaints.events(c.id)] == ["登记", "升级"]
    assert trail_size(services) == before


def test_a_voided_complaint_takes_no_further_step(services: Services) -> None:
    c = new(services)
    services.complaints.void(c.id, "登记错了住户")
    voided = services.complaints.get(c.id)
    assert services.complaints.allowed_steps(voided) == frozenset()
    with pytest.raises(WorkflowError, match=f"投诉 {c.no}已作废，不能判定"):
        services.complaints.judge(c.id, Validity.VALID, handler="王")
    with pytest.raises(WorkflowError, match="已作废，不能修改登记"):
        services.complaints.correct_intake(voided)
    with pytest.raises(WorkflowError, match="已作废，不能转维修"):
        services.repairs.from_complaint(c.id)
    with pytest.raises(WorkflowError, match="已作废，不能升级"):
        raise_sheet(services, c)
    with pytest.raises(WorkflowError, match="不能再次作废"):
        services.complaints.void(c.id, "再作废一次")
    assert services.complaints.get(c.id) == voided


def test_a_voided_complaint_leaves_the_work_queues_but_stays_in_the_register(
    services: Services, clock
) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 11, 25, 10, 0)
    overdue, kept = new(services), new(services, content="楼道灯不亮")
    today = new(services, received_at=datetime(2026, 11, 25, 9, 0), urgency=Urgency.URGENT)
    visit = new(services, content="门禁坏了", immediate_reply="已当场解释")
    services.complaints.judge(visit.id, Validity.VALID, handler="王")
    escalated = new(services, content="外墙渗水")
    raise_sheet(services, escalated)
    for c in (overdue, today, visit, escalated):
        services.complaints.void(c.id, "重复登记")
    for view in (QuickView.OVERDUE, QuickView.DUE_TODAY, QuickView.OPEN):
        assert ids(services, view=view) <= {kept.id}, view
        assert services.complaints.count(ComplaintFilter(view=view)) == len(
            ids(services, view=view)
        )
    assert ids(services, view=QuickView.AWAITING_VISIT) == set()
    assert ids(services, view=QuickView.ESCALATED) == set()
    assert ids(services, statuses=frozenset({Status.REGISTERED})) == {kept.id}
    everything = {overdue.id, kept.id, today.id, visit.id, escalated.id}
    assert ids(services) == everything
    assert services.complaints.count(ComplaintFilter()) == 5
    assert ids(services, view=QuickView.VOIDED) == everything - {kept.id}
    assert services.complaints.count(ComplaintFilter(view=QuickView.VOIDED)) == 4
    assert ids(services, text="电梯漏水") == {overdue.id, today.id}  # still found
    row = services.complaints.rows([overdue.id])[0]
    assert row.voided and row.status_text == "已作废" and row.void_reason == "重复登记"
    assert not row.is_overdue(clock.now)
    assert services.complaints.store.open_ids() == [kept.id]  # deadlines no longer move


# ----- 作废 a repair ticket
def test_a_voided_ticket_leaves_the_queues_rework_and_handling_offers(
    services: Services, clock
) -> None:  # type: ignore[no-untyped-def]
    c = new(services)
    t = services.repairs.from_complaint(c.id)
    services.repairs.correct_intake(RepairTicket(**{**vars(t), "category": "给排水"}))
    r = services.repairs
    r.dispatch(t.id, repairer="孙师傅", at=FRIDAY.replace(hour=10))
    r.arrive(t.id, FRIDAY.replace(hour=11))
    r.complete(t.id, at=FRIDAY.replace(hour=12), result="已修复", charges=[], chargeable=False)
    assert r.handling_offer(c.id) is not None
    waiting = report(services, description="阳台地漏堵塞")
    clock.now = datetime(2026, 11, 30, 10, 0)  # both are late by now
    assert repair_ids(services, view=RepairView.OVERDUE) == {waiting.id}
    r.void(t.id, "转错了，投诉不涉及维修")
    r.void(waiting.id, "业主已自行修好，撤回报修")
    assert r.allowed_steps(r.get(t.id)) == frozenset()
    with pytest.raises(WorkflowError, match="已作废，不能验收"):
        r.accept(t.id, _acceptance())
    assert r.handling_offer(c.id) is None  # a voided repair is no handling result
    for view in RepairView:
        if view not in (RepairView.ALL, RepairView.VOIDED):
            assert repair_ids(services, view=view) == set(), view
    assert (
        repair_ids(services) == repair_ids(services, view=RepairView.VOIDED) == {t.id, waiting.id}
    )
    again = report(services, reported_at=datetime(2026, 11, 30, 9, 0))
    assert again.rework_of is None  # the voided repair is no earlier repair
    rows = {row.id: row for row in r.rows([t.id, waiting.id])}
    assert all(
        row.status_text == "已作废" and not row.is_overdue(clock.now) for row in rows.values()
    )


def _acceptance():  # type: ignore[no-untyped-def]
    from app.domain.repair import Acceptance, Satisfaction

    return Acceptance(FRIDAY.replace(hour=13), Satisfaction.SATISFIED)


# ----- 作废 a sheet or a notice
def raise_sheet(services: Services, c: Complaint) -> TransferSheet:
    return services.escalation.raise_sheet(
        TransferSheet(
            raised_on=date(2026, 11, 20),
            initiator="王主管",
            initiator_dept="客服部",
            subject="电梯井漏水",
            situation="需更换立管",
            complaint_id=c.id,
        )
    )


def test_a_voided_sheet_is_no_open_escalation_and_takes_no_step(services: Services) -> None:
    c = new(services)
    sheet = raise_sheet(services, c)
    assert ids(services, view=QuickView.ESCALATED) == {c.id}
    services.escalation.void_sheet(sheet.id, "发错了，应发给工程部")
    assert ids(services, view=QuickView.ESCALATED) == set()
    assert not services.complaints.rows([c.id])[0].escalated
    voided = services.escalation.sheet(sheet.id)
    assert voided.void is not None and voided.void.reason == "发错了，应发给工程部"
    with pytest.raises(WorkflowError, match="已作废，不能签署意见"):
        services.escalation.sign_level(
            sheet.id, LevelOpinion(Level.DEPT_HEAD, "同意", "赵", date(2026, 11, 20))
        )
    assert services.complaints.events(c.id)[-1]["action"] == "传签单作废"
    assert [s["voided_at"] is not None for s in services.escalation.sheet_summaries()] == [True]
    services.complaints.judge(c.id, Validity.VALID, handler="王")  # the complaint goes on


def test_a_voided_notice_takes_no_step(services: Services) -> None:
    notice = services.escalation.issue_notice(
        WorkNotice(issued_on=date(2026, 11, 20), issuer="钱主任", to_dept="保洁部", content="清理")
    )
    services.escalation.void_notice(notice.id, "重复签发")
    with pytest.raises(WorkflowError, match=f"通知单 {notice.no}已作废，不能签收"):
        services.escalation.sign_notice(notice.id, signed_by="孙", at=FRIDAY)
    with pytest.raises(WorkflowError, match="不能再次作废"):
        services.escalation.void_notice(notice.id, "再来")
    assert services.escalation.notice_summaries()[0]["voided_at"] is not None


def test_no_code_deletes_a_complaint_repair_sheet_or_notice() -> None:
    """Nothing inside its retention period is deleted: there is no DELETE for these tables."""
    sql_delete = re.compile(
        r"DELETE\s+FROM\s+[\"'`]?(complaints|repairs|transfer_sheets|work_notices)\b", re.I
    )
    app = Path(__file__).resolve().parents[2] / "app"
    found = [str(path) for path in app.rglob("*.py") if sql_delete.search(path.read_text("utf-8"))]
    assert found == []


# ----- 修改记录
def test_history_shows_each_correction_with_earlier_values(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    c = new(services)
    clock.now = datetime(2026, 11, 20, 10, 30)
    services.complaints.judge(c.id, Validity.VALID, handler="王")  # fills blanks: not listed
    changed = Complaint(**{**vars(services.complaints.get(c.id))})
    changed.content, changed.phone = "3栋2单元电梯井漏水", "13900001111"
    services.complaints.correct_intake(changed)
    services.complaints.judge(c.id, Validity.INVALID, handler="王")  # judged again: listed
    history = services.complaints.history(c.id)
    assert [h.actor for h in history] == ["测试员", "测试员"]
    first = {ch.label: (ch.before, ch.after) for ch in history[0].changes}
    assert first == {
        "联系电话": ("13812345678", "13900001111"),  # the tester may see whole numbers
        "投诉内容": ("3栋电梯漏水", "3栋2单元电梯井漏水"),
    }
    assert [ch.label for ch in history[0].changes] == ["联系电话", "投诉内容"]  # form order
    assert {ch.label: (ch.before, ch.after) for ch in history[1].changes} == {
        "投诉性质": ("有效", "无效")
    }
    signed_in(services, HANDLER)
    masked = services.complaints.history(c.id)[0].changes[0]
    assert (masked.before, masked.after) == ("138****5678", "139****1111")


def test_repair_history_names_fields_as_the_work_order_does(services: Services) -> None:
    t = report(services, phone="13812345678")
    services.repairs.correct_intake(
        RepairTicket(**{**vars(t), "description": "厨房水槽下水管漏水", "chargeable": True})
    )
    changes = {ch.label: (ch.before, ch.after) for ch in services.repairs.history(t.id)[0].changes}
    assert changes == {
        "故障描述": ("厨房水龙头漏水", "厨房水槽下水管漏水"),
        "是否有偿": ("无偿", "有偿"),
    }


# ----- the steps each role is offered
def test_a_clerk_may_correct_only_their_own_draft(services: Services) -> None:
    signed_in(services, CLERK, name="前台甲")
    own = new(services)
    signed_in(services, CLERK, name="前台乙")
    other = new(services)
    signed_in(services, CLERK, name="前台甲")
    c = services.complaints
    assert c.allowed_steps(c.get(own.id)) == {Step.CORRECT_INTAKE}
    assert c.allowed_steps(c.get(other.id)) == frozenset()
    with pytest.raises(PermissionDeniedError):
        c.correct_intake(c.get(other.id))
    signed_in(services, HANDLER, name="处理人")
    c.judge(own.id, Validity.VALID, handler="处理人")
    assert Step.REVIEW not in c.allowed_steps(c.get(own.id))
    assert {Step.JUDGE, Step.HANDLING, Step.REPLY, Step.CORRECT_INTAKE} <= c.allowed_steps(
        c.get(own.id)
    )
    signed_in(services, CLERK, name="前台甲")
    assert c.allowed_steps(c.get(own.id)) == frozenset()  # no longer a draft
    signed_in(services, MANAGER, name="经理")
    assert Step.REVIEW in c.allowed_steps(c.get(own.id))


def test_a_clerk_is_offered_no_repair_step_but_correcting_their_report(services: Services) -> None:
    signed_in(services, CLERK, name="前台甲")
    t = report(services)
    assert services.repairs.allowed_steps(services.repairs.get(t.id)) == {RepairStep.CORRECT_INTAKE}
    signed_in(services, HANDLER, name="处理人")
    assert services.repairs.allowed_steps(services.repairs.get(t.id)) == {
        RepairStep.CORRECT_INTAKE,
        RepairStep.DISPATCH,
    }


# ----- the list stays quick
def plans(services: Services, sql: str, params: dict[str, object]) -> str:
    rows = services.database.reader().execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(str(r[3]) for r in rows)


def test_every_quick_view_reads_through_indexes(services: Services) -> None:
    """A work queue leaves the few voided ids out through their partial index; the queue's own
    index answers the rest (a scan of 200,000 complaints would take ~150 ms)."""
    indexed = services.database.scalar(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('complaints_voided', 'repairs_voided')"
    )
    assert indexed == 2
    now = datetime(2026, 11, 20, 10, 0)
    for view in QuickView:
        if view == QuickView.ALL:
            continue
        where, params = services.complaints.store._where(ComplaintFilter(view=view), now)
        plan = plans(services, f"SELECT count(*) FROM complaints c WHERE {where}", params)
        assert "SCAN c" not in plan and "SCAN complaints" not in plan, (view, plan)
    for repair_view in RepairView:
        if repair_view == RepairView.ALL:
            continue
        where, params = services.repairs.store._where(RepairFilter(view=repair_view), now)
        plan = plans(services, f"SELECT count(*) FROM repairs r WHERE {where}", params)
        assert "SCAN r" not in plan and "SCAN repairs" not in plan, (repair_view, plan)


def test_a_charge_line_survives_voiding(services: Services) -> None:
    t = report(services)
    r = services.repairs
    r.dispatch(t.id, repairer="孙师傅", at=FRIDAY.replace(hour=10))
    r.arrive(t.id, FRIDAY.replace(hour=11))
    line = ChargeLine("水龙头", Decimal(1), 3500, "个")
    r.complete(t.id, at=FRIDAY.replace(hour=12), result="已更换", charges=[line], chargeable=True)
    voided = r.void(t.id, "重复派单")
    assert voided.charges == [line] and voided.total_fen == 3500
