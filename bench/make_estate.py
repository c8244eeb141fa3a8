"""A synthetic estate for benchmarks: households and years of complaints and repairs with
realistic Chinese text, deterministic from a seed.

    python -m bench.make_estate --size typical --data-dir bench/.estate/typical
    python -m bench.make_estate --size large --data-dir bench/.estate/large

typical: 2,000 households, two years (16,000 complaints, 8,000 repairs: the large rate);
large: 5,000 households, ten years (200,000 complaints, 100,000 repairs).
--households/--complaints/--repairs/--years override a size's figures.

Records go through the same domain rules as the app's (register, judge, reply, visit) and are
written through the store in one transaction, the way an import writes them, with the audit
trail's triggers on. The estate signs in as bench.accounts' administrator (every role).
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from app.domain import complaint_workflow as wf
from app.domain.complaint import (
    Channel,
    Complaint,
    Opinion,
    ReplyMethod,
    ReturnVisit,
    Severity,
    Status,
    Urgency,
    Validity,
)
from app.paths import DataDir
from app.services import Services, open_services
from app.store.complaints import PREFIX, ComplaintStore
from app.store.reference import Household
from bench.accounts import sign_in
from bench.make_repairs import build_repairs
from bench.numbers import Numbers

NOW = datetime(2026, 11, 22, 9, 0)  # the estate's 'today'
BUILD_CACHE_MB = 256

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志明海燕春晓"
STAFF = ["周敏", "王建国", "李晓东", "陈丽", "赵海燕", "孙志明"]
DEPTS = ["客服部", "工程维修部", "保安部", "保洁部", "绿化部"]
PLACES = [
    "电梯",
    "楼道",
    "地下车库",
    "大堂",
    "门岗",
    "消防通道",
    "绿化带",
    "单元门",
    "天台",
    "垃圾房",
    "儿童游乐区",
    "健身器材",
    "水泵房",
    "配电房",
    "外墙",
]
PROBLEMS = {
    "维修": [
        "漏水",
        "停电",
        "灯不亮",
        "门禁坏了",
        "水管爆裂",
        "下水道堵塞",
        "电梯困人",
        "墙面渗水",
        "对讲机失灵",
        "水压太低",
    ],
    "清洁": [
        "垃圾没有及时清理",
        "地面有污渍",
        "异味严重",
        "垃圾桶满溢",
        "积水未清扫",
        "楼梯扶手有灰",
    ],
    "治安": ["陌生人尾随进入", "夜间有人喧哗", "电动车被盗", "巡逻不到位", "门岗无人值守"],
    "车辆": ["车位被占用", "乱停车堵住通道", "道闸不抬杆", "外来车辆随意进出", "电动车充电乱拉线"],
    "绿化": ["树枝遮挡窗户", "草坪枯死", "修剪后枝叶未清理", "喷洒农药有气味"],
    "房管": ["装修噪音扰民", "违章搭建", "楼上晾衣滴水", "空调外机噪音", "占用公共走道"],
    "收费": ["物业费收费标准不清楚", "停车费多收", "水电公摊不合理", "发票开具不及时"],
    "社区活动": ["活动通知不及时", "活动场地不够"],
    "便民服务": ["快递柜不够用", "代收快递丢失", "便民维修收费高"],
    "其他": ["工作人员态度不好", "投诉后无人回复", "公告栏信息过时"],
}
TAILS = [
    "，已经好几天了",
    "，希望尽快处理",
    "，多次反映未解决",
    "，影响老人小孩出行",
    "，请派人来看看",
    "，晚上尤其严重",
    "",
    "，上周已经报过一次",
]


def households(count: int, rng: random.Random) -> list[Household]:
    per_building = 4 * 18 * 4  # 4 units x 18 floors x 4 rooms
    result = []
    for i in range(count):
        b, rest = divmod(i, per_building)
        unit, rest = divmod(rest, 18 * 4)
        floor, room = divmod(rest, 4)
        result.append(
            Household(
                str(b + 1),
                str(unit + 1),
                f"{floor + 1}{room + 1:02d}",
                name(rng),
                f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                rng.random() > 0.08,
            )
        )
    return result


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def complaint(rng: random.Random, at: datetime, rooms: list[str]) -> Complaint:
    category = rng.choice(list(PROBLEMS))
    room = rng.choice(rooms)
    place = rng.choice(PLACES)
    text = f"{room.split('-')[0]}栋{place}{rng.choice(PROBLEMS[category])}{rng.choice(TAILS)}。"
    if rng.random() < 0.1:
        text += "具体情况：" + "".join(rng.choice(TAILS[:-2]).strip("，") + "，" for _ in range(8))
    return Complaint(
        received_at=at,
        content=text,
        urgency=rng.choice((Urgency.URGENT, Urgency.NOT_URGENT)),
        receiver=rng.choice(STAFF),
        complainant=name(rng),
        room=room,
        phone=f"13{rng.randrange(10**9):09d}",
        channel=rng.choice(list(Channel)[:5]),
        category=category,
        severity=rng.choice(list(Severity)),
    )


def progress(c: Complaint, rng: random.Random, now: datetime) -> Complaint:
    """Move an old complaint along the procedure as an office would have."""
    age = now - c.received_at
    if age < timedelta(hours=3) or rng.random() < 0.02:
        return c
    c = wf.judge(
        c, Validity.VALID if rng.random() < 0.8 else Validity.INVALID, handler=rng.choice(STAFF)
    )
    c = wf.record_handling(
        c,
        cause_analysis="",
        measures="已安排人员处理",
        responsible_dept=rng.choice(DEPTS),
        completed_at=None,
    )
    if age < timedelta(days=2) and rng.random() < 0.5:
        return c
    replied = c.received_at + timedelta(hours=rng.choice((1, 5, 20, 40, 70)))
    c = wf.reply(c, at=replied, method=ReplyMethod.ORAL, content="已答复处理结果")
    if c.status != Status.AWAITING_VISIT or age < timedelta(days=5):
        return c
    opinion = rng.choices(list(Opinion), weights=(70, 25, 5))[0]
    return wf.return_visit(
        c, ReturnVisit(replied + timedelta(days=1), rng.choice(STAFF), "电话", opinion)
    )


def build(services: Services, n_households: int, n_complaints: int, years: int, seed: int) -> None:
    rng = random.Random(seed)
    now = NOW
    services.reference.save_households(households(n_households, rng))
    rooms = services.reference.household_labels()
    start = now - timedelta(days=365 * years)
    span = (now - start).total_seconds()
    times = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(n_complaints))
    store = ComplaintStore(services.database)
    numbers = Numbers(PREFIX)
    with services.database.transaction():
        for at in times:
            c = wf.register(complaint(rng, at.replace(second=0, microsecond=0), rooms))
            c = progress(c, rng, now)
            c = replace(c, no=numbers.next(c.received_at.year))
            due = services.complaints.deadline(c)
            store.insert(c, due_at=due.due_at, estimated=due.estimated, now=now)
        numbers.claim(services.database)


@dataclass(frozen=True)
class Size:
    households: int
    complaints: int
    repairs: int
    years: int


SIZES = {
    "typical": Size(households=2000, complaints=16_000, repairs=8000, years=2),
    "large": Size(households=5000, complaints=200_000, repairs=100_000, years=10),
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--households", type=int)
    parser.add_argument("--complaints", type=int)
    parser.add_argument("--repairs", type=int)
    parser.add_argument("--years", type=int)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    size = SIZES[args.size]
    for field in ("households", "complaints", "repairs", "years"):
        if getattr(args, field) is None:
            setattr(args, field, getattr(size, field))
    if (args.data_dir / "estate.db").exists():
        raise SystemExit(f"{args.data_dir}/estate.db exists; remove it first")
    started = time.perf_counter()
    services = open_services(DataDir(args.data_dir))
    try:
        # The build is one long transaction over a file that grows to ~800 MB: a bigger page
        # cache than the app's keeps the tables' and indexes' upper pages in memory.
        services.database.conn.execute(f"PRAGMA cache_size = -{BUILD_CACHE_MB * 1024}")
        sign_in(services)
        build(services, args.households, args.complaints, args.years, args.seed)
        build_repairs(services, args.repairs, args.years, args.seed, NOW)
        services.database.conn.execute("PRAGMA optimize")
    finally:
        services.close()
    print(
        f"{args.complaints} complaints, {args.repairs} repairs, {args.households} households in "
        f"{time.perf_counter() - started:.0f} s → {args.data_dir / 'estate.db'}"
    )


if __name__ == "__main__":
    main()
