"""A realistic repair register made through the services (at tests.conftest.NOW, a Friday
10:00): 片区, repair staff, facilities, and tickets left at every stage — overdue ones, a
rework, a reopened one, one made from a complaint (tests and screenshots use it)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from app.domain.complaint import Complaint, Urgency
from app.domain.repair import (
    Acceptance,
    ChargeLine,
    Facility,
    NotHomeAction,
    NotHomeVisit,
    RepairTicket,
    RepairUrgency,
    RepairVisit,
    Satisfaction,
    Zone,
)
from app.services import Services, StaffMember

REPAIRERS = ("王建军", "李国强")
CLERKS = ("林小燕", "郑丽")
# (category, description) for rooms
FAULTS = (
    ("给排水", "厨房水龙头关不紧，一直滴水"),
    ("给排水", "卫生间下水道堵塞，水排不下去"),
    ("给排水", "楼上渗水，卫生间天花板滴水"),
    ("电气", "客厅插座没电，空气开关一合就跳"),
    ("电气", "卧室灯开关失灵"),
    ("门窗", "入户门锁芯卡住，钥匙拧不动"),
    ("门窗", "铝合金窗关不严，下雨往里渗水"),
    ("土建", "阳台外墙瓷砖空鼓，有脱落危险"),
)
# (facility name, kind, where, category, description)
FACILITIES = (
    ("3栋1号电梯", "电梯", "3栋大堂", "电梯", "电梯门关不上，反复开合"),
    ("2号生活水泵", "给水", "地下一层水泵房", "给排水", "水泵异响，高层水压不足"),
    ("南门路灯", "照明", "南门至1栋道路", "公共照明", "南门路灯不亮，晚上看不清路"),
    ("7栋消防栓", "消防", "7栋一楼楼梯间", "消防", "消防栓箱玻璃破损"),
)
NAMES = ("张先生", "李女士", "王阿姨", "陈先生", "刘女士", "赵先生", "黄女士", "周先生")
# the stage each ticket is left at, cycled
PLAN = (
    "closed",
    "to_dispatch",
    "dispatched",
    "closed",
    "awaiting_acceptance",
    "overdue",
    "on_site",
    "awaiting_visit",
    "closed",
    "not_home",
)


@dataclass
class RepairRegister:
    ids: list[int] = field(default_factory=list)
    by_kind: dict[str, set[int]] = field(default_factory=dict)
    facilities: dict[str, int] = field(default_factory=dict)

    def of(self, kind: str) -> set[int]:
        return self.by_kind.get(kind, set())

    def add(self, kind: str, ticket_id: int) -> None:
        self.ids.append(ticket_id)
        self.by_kind.setdefault(kind, set()).add(ticket_id)


def set_up_reference(services: Services) -> dict[str, int]:
    """Repair staff, two 片区, the facility ledger; returns facility ids by name."""
    ref, repair_ref = services.reference, services.repair_reference
    for name in REPAIRERS:
        ref.add_staff(StaffMember(name, "工程维修部", "维修工"))
    for name in CLERKS:
        ref.add_staff(StaffMember(name, "客服部", "客服"))
    repair_ref.save_zone(Zone("东区", ("1", "2", "3", "4", "5", "6"), CLERKS[0], REPAIRERS[0]))
    repair_ref.save_zone(Zone("西区", ("7", "8", "9", "10", "11", "12"), CLERKS[1], REPAIRERS[1]))
    ids = {}
    for name, kind, where, _category, _text in FACILITIES:
        saved = repair_ref.save_facility(Facility(name, kind, where, "", None))
        ids[name] = saved.id
    return ids


def make_repairs(services: Services, count: int = 40, seed: int = 3) -> RepairRegister:
    rng = random.Random(seed)
    reg = RepairRegister(facilities=set_up_reference(services))
    now = services.repairs.now()
    for i in range(count):
        kind = PLAN[i % len(PLAN)]
        ticket = _ticket(rng, reg, now, kind, public=i % 7 == 3)
        t = services.repairs.register(ticket)
        assert t.id is not None
        _advance(services, rng, t, kind)
        reg.add(kind, t.id)
    _rework_and_reopened(services, rng, reg, now)
    _from_complaint(services, reg, now)
    return reg


def _ticket(rng, reg: RepairRegister, now: datetime, kind: str, public: bool) -> RepairTicket:
    if kind == "closed":
        reported = now - timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 8))
    elif kind == "overdue":
        reported = now - timedelta(days=rng.randint(2, 4), hours=rng.randint(0, 6))
    elif kind in ("to_dispatch", "dispatched", "not_home"):
        reported = now - timedelta(hours=rng.randint(1, 6), minutes=rng.randint(0, 59))
    else:
        reported = now - timedelta(days=1, hours=rng.randint(0, 12))
    base = RepairTicket(
        reported_at=reported.replace(second=0, microsecond=0),
        description="",
        urgency=RepairUrgency.NORMAL,
        reporter=rng.choice(NAMES),
        phone=f"139{rng.randint(10000000, 99999999)}",
    )
    if public:
        name, _kind, _where, category, text = rng.choice(FACILITIES)
        return _with(
            base,
            location=name,
            facility_id=reg.facilities[name],
            category=category,
            description=text,
            reporter=rng.choice(CLERKS),
            phone="",
        )
    category, text = rng.choice(FAULTS)
    room = f"{rng.randint(1, 12)}-{rng.randint(1, 3)}-{rng.randint(2, 18)}0{rng.randint(1, 4)}"
    return _with(base, room=room, category=category, description=text)


def _with(t: RepairTicket, **changes) -> RepairTicket:
    import dataclasses

    return dataclasses.replace(t, **changes)


def _advance(services: Services, rng, t: RepairTicket, kind: str) -> None:
    rs, rid, at = services.repairs, t.id or 0, t.reported_at
    if kind in ("to_dispatch", "overdue"):
        return
    repairer = rs.suggest_repairer(t.room or t.location) or REPAIRERS[0]
    at += timedelta(minutes=20)
    appointment = at + timedelta(hours=22) if kind == "dispatched" else None
    rs.dispatch(rid, repairer=repairer, at=at, appointment_at=appointment)
    if kind == "not_home":
        visit_at = at + timedelta(minutes=40)
        rs.record_not_home(
            rid,
            NotHomeVisit(
                visit_at,
                NotHomeAction.RESCHEDULED,
                visit_at + timedelta(days=1),
                "电话未接，门上贴了留言条",
            ),
        )
    if kind in ("dispatched", "not_home"):
        return
    at += timedelta(minutes=rng.randint(20, 90))
    rs.arrive(rid, at)
    if kind == "on_site":
        return
    at += timedelta(hours=rng.randint(1, 3))
    rs.complete(
        rid, at=at, result="已修复，试用正常", charges=_charges(rng), chargeable=bool(t.room)
    )
    if kind == "awaiting_acceptance":
        return
    at += timedelta(minutes=30)
    rs.accept(rid, Acceptance(at, Satisfaction.SATISFIED, True))
    if kind == "awaiting_visit":
        return
    rs.return_visit(rid, RepairVisit(at + timedelta(hours=20), CLERKS[0], Satisfaction.SATISFIED))


def _charges(rng) -> list[ChargeLine]:
    lines = [ChargeLine("上门检修费", Decimal(1), 3000, "次")]
    if rng.random() < 0.6:
        lines.append(ChargeLine("更换角阀", Decimal(rng.randint(1, 2)), 2500, "个"))
    if rng.random() < 0.3:
        lines.append(ChargeLine("PPR水管", Decimal("1.5"), 1250, "米"))
    return lines


def _rework_and_reopened(services: Services, rng, reg: RepairRegister, now: datetime) -> None:
    """A leak fixed ten days ago comes back (返修); another repair failed its return visit."""
    rs = services.repairs
    first = rs.register(
        RepairTicket(
            now - timedelta(days=12),
            "卫生间角阀漏水",
            reporter="孙先生",
            room="5-1-1201",
            category="给排水",
        )
    )
    _advance(services, rng, first, "closed")
    reg.add("closed", first.id or 0)
    again = rs.register(
        RepairTicket(
            now - timedelta(hours=2),
            "卫生间角阀又漏水了",
            reporter="孙先生",
            room="5-1-1201",
            category="给排水",
        )
    )
    reg.add("rework", again.id or 0)
    failed = rs.register(
        RepairTicket(
            now - timedelta(days=2),
            "卧室空调插座松动打火",
            reporter="吴女士",
            room="8-2-0602",
            category="电气",
            urgency=RepairUrgency.URGENT,
        )
    )
    _advance(services, rng, failed, "awaiting_visit")
    visit_at = now - timedelta(hours=3)
    rs.return_visit(
        failed.id or 0, RepairVisit(visit_at, CLERKS[1], Satisfaction.UNSATISFIED, "用了一天又松了")
    )
    reg.add("reopened", failed.id or 0)


def _from_complaint(services: Services, reg: RepairRegister, now: datetime) -> None:
    c = services.complaints.register(
        Complaint(
            received_at=now - timedelta(hours=1),
            content="楼道声控灯坏了一个星期没人修",
            urgency=Urgency.NOT_URGENT,
            complainant="马女士",
            room="2-1-0502",
        )
    )
    t = services.repairs.from_complaint(c.id or 0)
    reg.add("from_complaint", t.id or 0)
    reg.by_kind["complaint"] = {c.id or 0}


def open_repairs_tab(services: Services, bus, qtbot, prints_dir):  # type: ignore[no-untyped-def]
    """The 报修维修 tab on these services, shown at a desk PC's size."""
    from ui.tabs.repairs import RepairsTab

    tab = RepairsTab(
        services.repairs,
        services.repair_reference,
        services.reference,
        services.printing,
        bus,
        prints_dir=prints_dir,
    )
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    return tab
