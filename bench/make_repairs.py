"""Repair tickets for the synthetic estate: realistic Chinese descriptions, taken through the
same domain rules as the app (dispatch, not home, arrival, completion with price-list lines,
acceptance, return visit), written in one transaction, deterministic from a seed."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from app.domain import repair_workflow as wf
from app.domain.repair import (
    Acceptance,
    ChargeLine,
    NotHomeAction,
    NotHomeVisit,
    RepairChannel,
    RepairTicket,
    RepairUrgency,
    RepairVisit,
    Satisfaction,
)
from app.services import Services
from app.store.repairs import PREFIX
from bench.numbers import Numbers

REPAIRERS = ["孙师傅", "李师傅", "王师傅", "赵师傅", "陈师傅"]
VISITORS = ["周敏", "陈丽", "赵海燕"]
FAULTS = {
    "给排水": [
        "厨房水龙头漏水",
        "卫生间下水道堵塞",
        "马桶水箱不停流水",
        "阳台地漏返臭味",
        "水表前阀门关不严",
    ],
    "电气": ["客厅插座没电", "空气开关老是跳闸", "卫生间浴霸不亮", "入户门铃坏了"],
    "门窗": ["入户门锁芯卡住", "铝合金窗关不严漏风", "单元门闭门器损坏", "纱窗脱轨"],
    "电梯": ["电梯按钮失灵", "电梯运行有异响", "电梯门反复开关", "电梯困人"],
    "公共照明": ["楼道声控灯不亮", "地下车库照明坏了", "小区路灯不亮"],
    "消防": ["消防栓箱门损坏", "灭火器过期", "应急照明灯不亮"],
    "土建": ["外墙瓷砖脱落", "楼道墙面起皮", "屋面渗水", "地面砖空鼓"],
    "其他": ["信报箱锁坏了", "晾衣架松动", "对讲机没声音"],
}
DETAILS = ["，已经两天了", "，请尽快上门", "，晚上比较急", "", "，家里有老人", "，周末在家"]


def ticket(rng: random.Random, at: datetime, rooms: list[str]) -> RepairTicket:
    category = rng.choice(list(FAULTS))
    public = category in ("电梯", "公共照明", "消防") or rng.random() < 0.1
    room = "" if public else rng.choice(rooms)
    location = (
        f"{rng.randint(1, 40)}栋{rng.choice(['电梯厅', '楼道', '大堂', '单元门'])}"
        if public
        else ""
    )
    return RepairTicket(
        reported_at=at,
        description=rng.choice(FAULTS[category]) + rng.choice(DETAILS),
        reporter="" if public and rng.random() < 0.5 else rng.choice("王李张刘陈") + "先生",
        room=room,
        location=location,
        phone=f"13{rng.randrange(10**9):09d}",
        channel=rng.choice(list(RepairChannel)[:4]),
        category=category,
        urgency=rng.choices(list(RepairUrgency), weights=(2, 7, 1))[0],
        chargeable=not public and rng.random() < 0.6,
    )


def progress(
    t: RepairTicket, rng: random.Random, now: datetime, prices: list[tuple[str, str, int]]
) -> RepairTicket:
    """Take an old ticket as far along as an office would have by now."""
    if now - t.reported_at < timedelta(hours=2):
        return t
    at = t.reported_at + timedelta(minutes=rng.randint(5, 90))
    t = wf.dispatch(t, repairer=rng.choice(REPAIRERS), at=at)
    if rng.random() < 0.05:
        later = at + timedelta(hours=rng.randint(2, 30))
        t = wf.record_not_home(
            t, NotHomeVisit(at + timedelta(hours=1), NotHomeAction.RESCHEDULED, later, "电话改约")
        )
        at = later
    arrived = at + timedelta(minutes=rng.randint(10, 600))
    if arrived > now:
        return t
    t = wf.arrive(t, arrived)
    completed = arrived + timedelta(minutes=rng.randint(20, 2000))
    if completed > now:
        return t
    lines = [
        ChargeLine(item, Decimal(rng.choice((1, 1, 2, "0.5"))), price, unit)
        for item, unit, price in rng.sample(prices, rng.randint(0, 3))
    ]
    t = wf.complete(t, at=completed, result="已修复", charges=lines, chargeable=t.chargeable)
    accepted = completed + timedelta(minutes=rng.randint(1, 30))
    verdict = rng.choices(list(Satisfaction), weights=(80, 17, 3))[0]
    t = wf.accept(t, Acceptance(accepted, verdict, True))
    if t.acceptance is None:  # the owner would not sign: the repairer redoes it
        completed = accepted + timedelta(hours=rng.randint(1, 24))
        t = wf.complete(
            t, at=completed, result="返工后修复", charges=t.charges, chargeable=t.chargeable
        )
        accepted = completed + timedelta(minutes=10)
        t = wf.accept(t, Acceptance(accepted, Satisfaction.FAIRLY_SATISFIED, True))
    if now - accepted < timedelta(days=2):
        return t
    visit = RepairVisit(
        accepted + timedelta(hours=rng.randint(2, 30)),
        rng.choice(VISITORS),
        rng.choices(list(Satisfaction), weights=(85, 13, 2))[0],
    )
    return wf.return_visit(t, visit)


def build_repairs(services: Services, count: int, years: int, seed: int, now: datetime) -> None:
    rng = random.Random(seed + 1)
    rooms = services.reference.household_labels()
    prices = [(p.item, p.unit, p.price_fen) for p in services.repair_reference.price_list()]
    start = now - timedelta(days=365 * years)
    span = (now - start).total_seconds()
    times = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(count))
    repairs, store = services.repairs, services.repairs.store
    numbers = Numbers(PREFIX)
    with services.database.transaction():
        for at in times:
            t = wf.register(ticket(rng, at.replace(second=0, microsecond=0), rooms))
            t = progress(t, rng, now, prices)
            t = replace(t, no=numbers.next(t.reported_at.year))
            t = replace(t, rework_of=repairs.rework_of(t))
            store.save(t, dues=repairs.dues(t), now=now)
        numbers.claim(services.database)
