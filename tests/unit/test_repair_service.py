"""Repair use cases through the services, on a real database in a temporary folder."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.complaint import Complaint, Urgency
from app.domain.errors import ValidationError, WorkflowError
from app.domain.listing import Sort
from app.domain.repair import (
    Acceptance,
    ChargeLine,
    Facility,
    NotHomeAction,
    NotHomeVisit,
    RepairStatus,
    RepairTicket,
    RepairUrgency,
    RepairVisit,
    Satisfaction,
    Zone,
)
from app.domain.repair_listing import RepairFilter, RepairView
from app.services import Services
from app.store.reference import Household

REPORTED = datetime(2026, 11, 20, 9, 0)  # a Friday


def report(services: Services, **kw: object) -> RepairTicket:
    fields: dict[str, object] = dict(
        reported_at=REPORTED,
        description="厨房水龙头漏水",
        reporter="张三",
        room="3-2-1201",
        category="给排水",
    )
    fields.update(kw)
    return services.repairs.register(RepairTicket(**fields))  # type: ignore[arg-type]


def done(
    services: Services,
    t: RepairTicket,
    *,
    at: datetime,
    lines: list[ChargeLine],
    chargeable: bool = True,
) -> RepairTicket:
    r = services.repairs
    r.dispatch(t.id, repairer="孙师傅", at=t.reported_at + timedelta(minutes=20))
    r.arrive(t.id, at - timedelta(hours=1))
    return r.complete(t.id, at=at, result="已修复", charges=lines, chargeable=chargeable)


def ids(services: Services, **kw: object) -> set[int]:
    return set(services.repairs.list_ids(RepairFilter(**kw), Sort()))  # type: ignore[arg-type]


def test_seeded_reference_data(services: Services) -> None:
    ref = services.repair_reference
    assert ref.categories()[:3] == ["给排水", "电气", "门窗"]
    assert {(lim.category, lim.urgency) for lim in ref.time_limits()} >= {
        ("电梯", RepairUrgency.URGENT),
        ("其他", RepairUrgency.PLANNED),
    }
    assert any(p.item == "PPR水管" and p.price_fen == 1250 for p in ref.price_list())


def test_numbers_deadlines_and_zone_suggestion(services: Services) -> None:
    services.repair_reference.save_zone(Zone("一区", ("3", "4"), "周敏", "孙师傅"))
    t = report(services, urgency=RepairUrgency.URGENT)
    assert t.no == "WX2026-00001" and t.status == RepairStatus.REPORTED
    limit = next(
        lim
        for lim in services.repair_reference.time_limits()
        if (lim.category, lim.urgency) == ("给排水", RepairUrgency.URGENT)
    )
    d = services.repairs.deadlines(t)
    assert d.arrive_due == REPORTED + timedelta(hours=limit.arrive_hours)
    assert d.complete_due == REPORTED + timedelta(hours=limit.complete_hours)
    assert services.repairs.suggest_repairer("3-2-1201") == "孙师傅"
    assert services.repairs.suggest_repairer("9-1-101") == ""


def test_the_whole_repair(services: Services) -> None:
    r = services.repairs
    t = report(services)
    r.dispatch(
        t.id,
        repairer="孙师傅",
        at=REPORTED + timedelta(minutes=30),
        appointment_at=datetime(2026, 11, 20, 14, 0),
    )
    t = r.record_not_home(
        t.id,
        NotHomeVisit(
            datetime(2026, 11, 20, 14, 5),
            NotHomeAction.RESCHEDULED,
            datetime(2026, 11, 21, 9, 0),
            "电话改约",
        ),
    )
    assert t.status == RepairStatus.DISPATCHED and t.appointment_at == datetime(2026, 11, 21, 9)
    assert r.deadlines(t).arrive_due == datetime(2026, 11, 21, 9, 0)  # the new appointment
    r.arrive(t.id, datetime(2026, 11, 21, 8, 55))
    t = r.complete(
        t.id,
        at=datetime(2026, 11, 21, 10, 0),
        result="更换水龙头",
        chargeable=True,
        charges=[
            ChargeLine("更换水龙头（含龙头）", Decimal(1), 4500, "个"),
            ChargeLine("PPR水管", Decimal("0.5"), 1250, "米"),
        ],
    )
    assert (t.status, t.total_fen) == (RepairStatus.AWAITING_ACCEPTANCE, 5125)
    assert r.deadlines(t).visit_due == datetime(2026, 11, 23, 23, 59)  # Sat → Mon
    t = r.accept(t.id, Acceptance(datetime(2026, 11, 21, 10, 5), Satisfaction.SATISFIED, True))
    assert t.status == RepairStatus.AWAITING_VISIT and t.acceptance.signed_on_paper
    assert ids(services, view=RepairView.AWAITING_VISIT) == {t.id}
    t = r.return_visit(
        t.id, RepairVisit(datetime(2026, 11, 23, 10, 0), "周敏", Satisfaction.SATISFIED)
    )
    assert t.status == RepairStatus.CLOSED
    (row,) = r.rows([t.id])
    assert row.total_fen == 5125 and not row.is_overdue(datetime(2027, 1, 1))
    assert [e["action"] for e in r.events(t.id)] == [
        "报修",
        "派工",
        "业主不在家",
        "到场",
        "完工",
        "验收",
        "回访",
    ]


def test_unsatisfied_visit_reopens_for_the_department_head(services: Services) -> None:
    r = services.repairs
    t = done(services, report(services), at=datetime(2026, 11, 20, 15, 0), lines=[])
    r.accept(t.id, Acceptance(datetime(2026, 11, 20, 15, 5), Satisfaction.FAIRLY_SATISFIED))
    t = r.return_visit(
        t.id,
        RepairVisit(datetime(2026, 11, 21, 9, 0), "周敏", Satisfaction.UNSATISFIED, "还在滴水"),
    )
    assert (t.status, t.reopen_count, len(t.past_visits)) == (RepairStatus.DISPATCHED, 1, 1)
    assert "转维修部负责人" in r.events(t.id)[-1]["detail"]


def test_free_repair_totals_zero(services: Services) -> None:
    t = done(
        services,
        report(services),
        at=datetime(2026, 11, 20, 15, 0),
        chargeable=False,
        lines=[ChargeLine("更换角阀", Decimal(2), 2500, "个")],
    )
    assert t.total_fen == 0 and len(t.charges) == 1
    assert services.repairs.rows([t.id])[0].total_fen == 0


def test_rework_within_thirty_days_of_completion(services: Services) -> None:
    first = done(
        services,
        report(services, reported_at=datetime(2026, 10, 30, 9, 0)),
        at=datetime(2026, 11, 1, 15, 0),
        lines=[],
    )
    again = report(services, reported_at=datetime(2026, 12, 1, 15, 0))  # exactly 30 days
    later = report(services, reported_at=datetime(2026, 12, 1, 15, 1), room="3-2-1202")
    other = report(services, reported_at=datetime(2026, 11, 10, 9, 0), category="电气")
    assert again.rework_of == first.id
    assert later.rework_of is None and other.rework_of is None
    assert ids(services, view=RepairView.REWORK) == {again.id}


def test_overdue_view_and_red_rows(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 11, 25, 10, 0)
    late = report(services)
    fresh = report(services, reported_at=datetime(2026, 11, 25, 9, 0))
    assert ids(services, view=RepairView.OVERDUE) == {late.id}
    rows = {row.id: row for row in services.repairs.rows([late.id, fresh.id])}
    assert rows[late.id].is_overdue(clock.now) and not rows[fresh.id].is_overdue(clock.now)
    assert services.repairs.count(RepairFilter(view=RepairView.TO_DISPATCH)) == 2


def test_search_and_filters(services: Services) -> None:
    a = report(services, description="电梯门关不上", category="电梯", room="", location="3栋电梯")
    b = report(
        services,
        description="楼道灯不亮",
        category="公共照明",
        room="",
        location="5栋楼道",
        reported_at=REPORTED + timedelta(days=1),
    )
    assert ids(services, text="电梯") == {a.id}
    assert ids(services, text="灯", category="公共照明") == {b.id}
    assert ids(services, reported_from=date(2026, 11, 21)) == {b.id}
    order = services.repairs.list_ids(RepairFilter(text="栋"), Sort())
    assert list(order) == [b.id, a.id]


def test_intake_errors(services: Services) -> None:
    services.reference.save_households([Household("3", "2", "1201")])
    with pytest.raises(ValidationError) as e:
        report(services, room="9-9-999")
    assert e.value.errors[0].field == "room"
    with pytest.raises(ValidationError, match="类别"):
        report(services, category="不存在的类别")
    with pytest.raises(WorkflowError):
        services.repairs.arrive(report(services).id, REPORTED)  # not yet dispatched


def test_repair_from_a_complaint_and_back(services: Services) -> None:
    c = services.complaints.register(
        Complaint(
            received_at=REPORTED,
            content="楼上漏水到我家天花板",
            urgency=Urgency.URGENT,
            complainant="李四",
            room="3-2-1101",
        )
    )
    t = services.repairs.from_complaint(c.id, actor="周敏")
    assert (t.room, t.reporter, t.description, t.urgency) == (
        "3-2-1101",
        "李四",
        "楼上漏水到我家天花板",
        RepairUrgency.URGENT,
    )
    assert t.complaint_id == c.id
    assert services.repairs.rows([t.id])[0].complaint_no == c.no
    assert services.repairs.handling_offer(c.id) is None
    done(services, t, at=datetime(2026, 11, 20, 16, 0), lines=[])
    assert services.repairs.handling_offer(c.id) == (
        f"维修单{t.no}：已修复",
        datetime(2026, 11, 20, 16, 0),
    )
    assert [e["action"] for e in services.complaints.events(c.id)][-1] == "转维修"


def test_facility_ledger_keeps_its_repair_history(services: Services) -> None:
    pump = services.repair_reference.save_facility(
        Facility("1号生活水泵", "给排水", "地下室水泵房", "ISG50-160", date(2019, 5, 1))
    )
    t = report(
        services, room="", location="地下室水泵房", facility_id=pump.id, description="水泵异响"
    )
    assert [r.id for r in services.repair_reference.facility_history(pump.id)] == [t.id]


def test_export_import_round_trip(services: Services, tmp_path: Path) -> None:
    from app.io.tabular import read_table
    from app.paths import DataDir
    from tests.accounts_support import open_signed_in

    t = done(
        services,
        report(services, phone="13812345678"),
        at=datetime(2026, 11, 20, 15, 0),
        lines=[ChargeLine("PPR水管", Decimal("0.5"), 1250, "米")],
    )
    report(services, description="=cmd|' /C calc'!A0", room="3-2-1202")
    out = tmp_path / "repairs.xlsx"
    assert services.repair_exchange.export_file(out, unmasked=True) == 2  # re-imported below
    rows = read_table(out).rows
    assert rows[0].values["费用合计(元)"] == "6.25" and rows[0].values["是否返修"] == "否"
    assert rows[1].values["故障描述"] == "=cmd|' /C calc'!A0"
    other = open_signed_in(DataDir(tmp_path / "other"), clock=services.repairs.clock)
    try:
        assert other.repair_exchange.import_file(out).imported == 2
        back = other.repairs.get_by_no(t.no)
        assert (back.status, back.total_fen, back.repairer) == (t.status, 625, "孙师傅")
        assert back.phone == "13812345678"  # whole, since the export was unmasked
    finally:
        other.close()


def test_import_reports_every_bad_row(services: Services, tmp_path: Path) -> None:
    from app.services.importing import ImportFailedError

    f = tmp_path / "bad.csv"
    f.write_text(
        "报修时间,报修人,房号,类别,故障描述,是否有偿,费用合计(元),关联投诉编号\n"
        "2026-11-20 09:00,张三,3-2-1201,给排水,漏水,是,12.5,\n"
        "2026-13-01 09:00,李四,,水电,,也许,十块,TS2026-09999\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailedError) as e:
        services.repair_exchange.import_file(f)
    found = {(p.line, p.column) for p in e.value.report.problems}
    assert {
        (3, "报修时间"),
        (3, "故障描述"),
        (3, "房号"),
        (3, "类别"),
        (3, "是否有偿"),
        (3, "费用合计(元)"),
        (3, "关联投诉编号"),
    } <= found
    assert 2 not in {p.line for p in e.value.report.problems}
    assert services.repairs.count(RepairFilter()) == 0


def test_a_missed_return_visit_is_overdue(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    t = done(services, report(services), at=datetime(2026, 11, 20, 15, 0), lines=[])
    services.repairs.accept(t.id, Acceptance(datetime(2026, 11, 20, 15, 5), Satisfaction.SATISFIED))
    clock.now = datetime(2026, 11, 23, 23, 0)  # 回访 due Mon 23:59 (Fri completion)
    assert ids(services, view=RepairView.OVERDUE) == set()
    clock.now = datetime(2026, 11, 24, 0, 0)
    assert ids(services, view=RepairView.OVERDUE) == {t.id}
    assert services.repairs.rows([t.id])[0].is_overdue(clock.now)


def test_changing_a_time_limit_moves_open_deadlines(services: Services) -> None:
    from app.domain.repair import TimeLimit

    open_one = report(services)
    services.repair_reference.set_time_limit(TimeLimit("给排水", RepairUrgency.NORMAL, 2, 6))
    dues = services.repairs.store.dues(open_one.id)
    assert dues["arrive_due_at"] == "2026-11-20 11:00"
    assert dues["complete_due_at"] == "2026-11-20 15:00"
