"""Complaint use cases through the services, on a real database in a temporary folder."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.domain.complaint import (
    Complaint,
    Opinion,
    ReplyMethod,
    ReturnVisit,
    Status,
    Urgency,
    Validity,
)
from app.domain.errors import ValidationError, WorkflowError
from app.domain.escalation import Level, LevelOpinion, TransferSheet, WorkNotice
from app.domain.listing import ComplaintFilter, QuickView, Sort, ValidityFilter
from app.services import Services

FRIDAY = datetime(2026, 11, 20, 9, 30)


def new(services: Services, **kw: object) -> Complaint:
    fields: dict[str, object] = dict(
        received_at=FRIDAY,
        content="3栋电梯漏水",
        urgency=Urgency.NOT_URGENT,
        complainant="张三",
        room="3-2-1201",
    )
    fields.update(kw)
    return services.complaints.register(Complaint(**fields))  # type: ignore[arg-type]


def ids(services: Services, **kw: object) -> set[int]:
    return set(services.complaints.list_ids(ComplaintFilter(**kw), Sort()))  # type: ignore[arg-type]


def test_numbers_increase_per_year_and_are_never_reused(services: Services) -> None:
    a = new(services)
    b = new(services)
    c = new(services, received_at=datetime(2027, 1, 2, 8, 0))
    assert (a.no, b.no, c.no) == ("TS2026-00001", "TS2026-00002", "TS2027-00001")
    with pytest.raises(ValidationError):
        new(services, content="")  # a refused registration takes no number
    assert new(services).no == "TS2026-00003"


def test_deadline_is_stored_and_follows_judgement(services: Services) -> None:
    c = new(services)
    assert services.complaints.store.due(c.id) == (datetime(2026, 11, 24, 23, 59), False)
    services.complaints.judge(c.id, Validity.INVALID, handler="王")
    assert services.complaints.store.due(c.id)[0] == datetime(2026, 11, 23, 23, 59)


def test_office_override_moves_open_deadlines(services: Services) -> None:
    c = new(services)  # Friday → Mon 23rd is the 1st working day, Tue 24th the 2nd
    services.calendar.set_override(date(2026, 11, 23), False, "停电检修，全处休息")
    assert services.complaints.store.due(c.id)[0] == datetime(2026, 11, 25, 23, 59)
    services.calendar.set_override(date(2026, 11, 21), True, "周六补班")
    assert services.complaints.store.due(c.id)[0] == datetime(2026, 11, 24, 23, 59)


def test_unknown_holiday_year_is_marked_estimated(services: Services) -> None:
    c = new(services, received_at=datetime(2026, 12, 31, 16, 0))
    assert services.complaints.store.due(c.id) == (datetime(2027, 1, 4, 23, 59), True)
    assert services.complaints.deadline(c).estimated


def test_quick_views(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 11, 25, 10, 0)
    overdue = new(services)  # due Tue 24th 23:59
    today = new(services, received_at=datetime(2026, 11, 25, 9, 0), urgency=Urgency.URGENT)
    later = new(services, received_at=datetime(2026, 11, 25, 9, 30))
    answered = new(services, immediate_reply="已当场解释")
    services.complaints.judge(answered.id, Validity.VALID, handler="王")
    assert ids(services, view=QuickView.OVERDUE) == {overdue.id}
    assert ids(services, view=QuickView.DUE_TODAY) == {today.id}
    assert ids(services, view=QuickView.AWAITING_VISIT) == {answered.id}
    assert ids(services, view=QuickView.OPEN) == {overdue.id, today.id, later.id, answered.id}
    assert ids(services, validity=ValidityFilter.UNJUDGED) == {overdue.id, today.id, later.id}
    rows = {r.id: r for r in services.complaints.rows([overdue.id, later.id])}
    assert rows[overdue.id].is_overdue(clock.now) and not rows[later.id].is_overdue(clock.now)


def test_filters_and_sort(services: Services) -> None:
    a = new(services, category="维修", content="电梯停运")
    b = new(services, category="清洁", content="楼道垃圾未清", received_at=FRIDAY + timedelta(1))
    services.complaints.judge(a.id, Validity.VALID, handler="王")
    services.complaints.record_handling(
        a.id, cause_analysis="", measures="报修", responsible_dept="工程维修部", completed_at=None
    )
    assert ids(services, category="清洁") == {b.id}
    assert ids(services, dept="工程维修部") == {a.id}
    assert ids(services, received_from=date(2026, 11, 21)) == {b.id}
    assert ids(services, received_to=date(2026, 11, 20)) == {a.id}
    assert ids(services, statuses=frozenset({Status.HANDLING})) == {a.id}
    assert ids(services, text="垃圾") == {b.id}
    order = services.complaints.list_ids(ComplaintFilter(), Sort("received_at", False))
    assert order == [a.id, b.id]


def test_full_workflow_with_escalation_flows_back(services: Services) -> None:
    complaints, escalation = services.complaints, services.escalation
    c = new(services)
    complaints.judge(c.id, Validity.VALID, handler="王主管")
    sheet = escalation.raise_sheet(
        TransferSheet(
            raised_on=date(2026, 11, 20),
            initiator="王主管",
            initiator_dept="客服部",
            subject="电梯井漏水",
            situation="需更换立管，超出客服部权限",
            complaint_id=c.id,
        )
    )
    assert sheet.complaint_no == c.no
    assert ids(services, view=QuickView.ESCALATED) == {c.id}
    escalation.sign_level(
        sheet.id, LevelOpinion(Level.OFFICE_DIRECTOR, "同意", "钱主任", date(2026, 11, 21))
    )
    with pytest.raises(WorkflowError, match="往上一级"):
        escalation.sign_level(
            sheet.id, LevelOpinion(Level.DEPT_HEAD, "迟到的意见", "赵", date(2026, 11, 21))
        )
    notice = escalation.issue_notice(
        WorkNotice(
            issued_on=date(2026, 11, 21),
            issuer="钱主任",
            to_dept="工程维修部",
            content="更换3栋电梯井立管",
            transfer_id=sheet.id,
        )
    )
    assert notice.transfer_no == sheet.no and notice.no == "TZ2026-00001"
    escalation.sign_notice(notice.id, signed_by="孙工", at=datetime(2026, 11, 21, 11, 0))
    escalation.complete_notice(notice.id, outcome="已更换", at=datetime(2026, 11, 22, 16, 0))
    escalation.accept_notice(
        notice.id, acceptance="合格", accepted_by="钱主任", accepted_on=date(2026, 11, 23)
    )
    done = escalation.complete_sheet(
        sheet.id,
        result="立管已更换",
        customer_reply="电话告知",
        completed_on=date(2026, 11, 23),
        handled_by="王主管",
    )
    assert done.responsible_dept == "工程维修部" and done.notice_no == notice.no
    c = complaints.get(c.id)
    assert "立管已更换" in c.measures and c.responsible_dept == "工程维修部"
    assert ids(services, view=QuickView.ESCALATED) == set()
    complaints.reply(
        c.id, at=datetime(2026, 11, 23, 17, 0), method=ReplyMethod.ORAL, content="已修复"
    )
    complaints.return_visit(
        c.id, ReturnVisit(datetime(2026, 11, 24, 10, 0), "周敏", "电话", Opinion.SATISFIED)
    )
    assert complaints.get(c.id).status == Status.CLOSED
    actions = [e["action"] for e in complaints.events(c.id)]
    assert actions[:3] == ["登记", "判定", "升级"] and actions[-1] == "回访"


def test_standalone_notice_after_inspection(services: Services) -> None:
    notice = services.escalation.issue_notice(
        WorkNotice(
            issued_on=date(2026, 11, 20),
            issuer="钱主任",
            to_dept="保洁部",
            content="5栋楼道堆放杂物，限期清理",
            due_at=datetime(2026, 11, 21, 17, 0),
        )
    )
    assert notice.source.value == "日常检查发现" and notice.transfer_no == ""
    with pytest.raises(ValidationError, match="接收部门"):
        services.escalation.issue_notice(
            WorkNotice(issued_on=date(2026, 11, 20), issuer="钱", to_dept="", content="x")
        )


def test_failed_step_changes_nothing(services: Services) -> None:
    c = new(services)
    with pytest.raises(WorkflowError):
        services.complaints.reply(c.id, at=FRIDAY, method=ReplyMethod.ORAL, content="x")
    assert services.complaints.get(c.id) == c
    assert [e["action"] for e in services.complaints.events(c.id)] == ["登记"]


def test_room_must_come_from_the_register_once_there_is_one(services: Services) -> None:
    from app.store.reference import Household

    assert new(services, room="北门岗亭").room == "北门岗亭"  # empty register: free text
    services.reference.save_households([Household("3", "2", "1201", "张三", "13812345678")])
    assert new(services, room="３栋２单元１２０１室").room == "3-2-1201"
    with pytest.raises(ValidationError, match="不在住户登记中") as e:
        new(services, room="9-9-999")
    assert e.value.errors[0].field == "room"


def test_the_list_can_be_queried_from_a_background_thread(services: Services) -> None:
    import threading

    a, b = new(services), new(services, content="楼道灯不亮")
    result: dict[str, object] = {}

    def work() -> None:
        result["ids"] = services.complaints.list_ids(ComplaintFilter(text="灯"), Sort())
        try:
            new(services)
        except RuntimeError as e:
            result["write"] = str(e)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert result["ids"] == [b.id]
    assert "thread" in str(result["write"])  # writes stay on the owning thread
    assert services.complaints.store.count() == 2 and a.id


def test_counts_match_the_lists(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 11, 25, 10, 0)
    new(services)
    new(services, received_at=datetime(2026, 11, 25, 9, 0), urgency=Urgency.URGENT)
    for view in QuickView:
        flt = ComplaintFilter(view=view)
        assert services.complaints.count(flt) == len(services.complaints.list_ids(flt, Sort()))
    assert services.complaints.count(ComplaintFilter(view=QuickView.OVERDUE)) == 1


def test_estimated_deadline_years(services: Services) -> None:
    assert services.complaints.estimated_deadline_years() == []
    new(services, received_at=datetime(2026, 12, 31, 16, 0))
    assert services.complaints.estimated_deadline_years() == [2027]


def test_a_notice_goes_signed_completed_accepted_once_each(services: Services) -> None:
    escalation = services.escalation
    n = escalation.issue_notice(
        WorkNotice(
            issued_on=date(2026, 11, 20),
            issuer="钱主任",
            to_dept="保洁部",
            content="清理5栋楼道杂物",
        )
    )
    with pytest.raises(WorkflowError, match="尚未完成"):
        escalation.accept_notice(
            n.id, acceptance="合格", accepted_by="钱", accepted_on=date(2026, 11, 21)
        )
    escalation.sign_notice(n.id, signed_by="孙", at=datetime(2026, 11, 20, 11, 0))
    with pytest.raises(WorkflowError, match="已签收"):
        escalation.sign_notice(n.id, signed_by="李", at=datetime(2026, 11, 20, 12, 0))
    escalation.complete_notice(n.id, outcome="已清理", at=datetime(2026, 11, 21, 9, 0))
    with pytest.raises(WorkflowError, match="已登记完成"):
        escalation.complete_notice(n.id, outcome="again", at=datetime(2026, 11, 21, 9, 0))
    done = escalation.accept_notice(
        n.id, acceptance="合格", accepted_by="钱", accepted_on=date(2026, 11, 21)
    )
    assert (done.signed_by, done.outcome, done.acceptance) == ("孙", "已清理", "合格")
    with pytest.raises(WorkflowError):
        escalation.accept_notice(
            n.id, acceptance="x", accepted_by="钱", accepted_on=date(2026, 11, 21)
        )


def test_search_order_is_the_same_on_every_query_path(services: Services) -> None:
    import random

    rng = random.Random(3)
    times = [
        FRIDAY - timedelta(days=rng.randrange(600), minutes=rng.randrange(1440)) for _ in range(40)
    ]
    times += [times[0]] * 3  # same minute: newest id first
    made = [new(services, received_at=t, content=f"电梯故障{i}") for i, t in enumerate(times)]
    expected = [c.id for c in sorted(made, key=lambda c: (c.received_at, c.id), reverse=True)]
    plain = services.complaints.list_ids(ComplaintFilter(text="电梯"), Sort())
    assert list(plain) == expected  # straight from the search index
    joined = services.complaints.list_ids(ComplaintFilter(text="电梯", view=QuickView.OPEN), Sort())
    assert list(joined) == expected  # through the list index
    ascending = services.complaints.list_ids(ComplaintFilter(text="电梯"), Sort(descending=False))
    assert list(ascending) == expected[::-1]
    d0, d1 = date(2026, 1, 1), date(2026, 6, 30)
    in_range = services.complaints.list_ids(
        ComplaintFilter(text="电梯", received_from=d0, received_to=d1), Sort()
    )
    assert list(in_range) == [
        i
        for i, c in zip(
            expected, sorted(made, key=lambda c: (c.received_at, c.id), reverse=True), strict=True
        )
        if d0 <= c.received_at.date() <= d1
    ]
    assert services.complaints.count(ComplaintFilter(text="电梯")) == len(made)


def test_corrected_receipt_time_moves_the_search_entry(services: Services) -> None:
    import dataclasses

    a = new(services, content="水管爆裂")
    b = new(services, content="水管漏水", received_at=FRIDAY + timedelta(hours=1))
    services.complaints.correct_intake(
        dataclasses.replace(a, received_at=FRIDAY + timedelta(hours=2))
    )
    assert list(services.complaints.list_ids(ComplaintFilter(text="水管"), Sort())) == [a.id, b.id]
    assert services.complaints.count(ComplaintFilter(text="水管")) == 2
