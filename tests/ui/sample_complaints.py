"""A realistic complaint register made through the services, with known overdue, due-today,
awaiting-visit and escalated cases (tests and screenshots use it)."""

from __future__ import annotations

import atexit
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app.domain.complaint import (
    Channel,
    Complaint,
    Opinion,
    ReplyMethod,
    ReturnVisit,
    Severity,
    Urgency,
    Validity,
)
from app.domain.escalation import TransferSheet
from app.paths import DataDir
from app.services import Services
from tests.accounts_support import open_signed_in

# (category, responsible department, content)
CASES = (
    ("维修", "工程维修部", "3栋2单元电梯经常停在12楼不动，家里老人上下楼很不方便，希望尽快检修"),
    ("维修", "工程维修部", "楼上卫生间漏水，我家天花板渗水发霉，已经反映过两次"),
    ("维修", "工程维修部", "二次供水水质发黄，烧开后有沉淀，担心影响健康"),
    ("维修", "工程维修部", "单元门禁卡失灵，晚上回家进不了单元门"),
    ("治安", "保安部", "夜间有外来人员在地下车库逗留，保安巡逻不到位"),
    ("治安", "保安部", "消防通道被电动车堵塞，多次提醒无人处理"),
    ("车辆", "保安部", "地下车库有外来车辆长期占用业主固定车位"),
    ("车辆", "工程维修部", "车库入口道闸故障，早高峰排队二十分钟"),
    ("清洁", "保洁部", "楼下垃圾桶满了没人清理，气味很大"),
    ("清洁", "保洁部", "电梯轿厢地面很脏，一周没有拖地"),
    ("清洁", "保洁部", "宠物狗粪便在草坪上无人清理"),
    ("绿化", "绿化部", "小区绿化带被个别业主种菜，影响美观"),
    ("绿化", "绿化部", "6栋门前的树枝挡住窗户，请修剪"),
    ("房管", "客服部", "晚上十一点后楼上还在装修，噪音影响休息"),
    ("房管", "客服部", "快递包裹堆放在大堂，经常丢件"),
    ("收费", "客服部", "物业费收费标准不明，要求公示明细"),
    ("便民服务", "客服部", "希望管理处代收快递的时间延长到晚上八点"),
    ("社区活动", "客服部", "中秋活动通知太晚，很多业主没有看到"),
    ("维修", "工程维修部", "小区南门路灯不亮，晚上走路看不清"),
    ("其他", "客服部", "隔壁空调外机噪音大，晚上无法入睡"),
)
NAMES = (
    "张先生",
    "李女士",
    "王阿姨",
    "陈先生",
    "刘女士",
    "赵先生",
    "黄女士",
    "周先生",
    "吴女士",
    "孙先生",
    "马女士",
    "胡先生",
)
CLERKS = ("林小燕", "郑丽")
HANDLERS = ("何志强", "许敏")


@dataclass
class Register:
    """What was made: complaint ids by the state they were left in."""

    ids: list[int] = field(default_factory=list)
    overdue: set[int] = field(default_factory=set)
    urgent_overdue: set[int] = field(default_factory=set)  # due today and already past
    due_today: set[int] = field(default_factory=set)
    awaiting_visit: set[int] = field(default_factory=set)
    escalated: set[int] = field(default_factory=set)
    closed: set[int] = field(default_factory=set)
    reopened: set[int] = field(default_factory=set)

    @property
    def open(self) -> set[int]:
        return set(self.ids) - self.closed


def _intake(rng: random.Random, received_at: datetime, urgency: Urgency) -> Complaint:
    category, _dept, content = rng.choice(CASES)
    return Complaint(
        received_at=received_at,
        content=content,
        urgency=urgency,
        receiver=rng.choice(CLERKS),
        complainant=rng.choice(NAMES),
        room=f"{rng.randint(1, 12)}-{rng.randint(1, 3)}-{rng.randint(1, 18)}0{rng.randint(1, 4)}",
        phone=f"139{rng.randint(10000000, 99999999)}",
        channel=rng.choice(list(Channel)[:4]),
        category=category,
        severity=rng.choice(list(Severity)),
    )


def _dept_for(content: str) -> str:
    return next(dept for _c, dept, text in CASES if text == content)


def make_register(services: Services, count: int = 300, seed: int = 7) -> Register:
    """`count` complaints over the last ~60 days before the services' clock."""
    rng = random.Random(seed)
    now = services.complaints.now()
    reg = Register()
    for i in range(count):
        kind = _kind(i)
        received = _received_at(rng, now, kind)
        urgency = Urgency.URGENT if kind == "overdue_urgent" else Urgency.NOT_URGENT
        c = services.complaints.register(_intake(rng, received, urgency))
        assert c.id is not None
        reg.ids.append(c.id)
        _advance(services, rng, c, kind, reg)
    return reg


def _kind(i: int) -> str:
    plan = (
        "closed",
        "closed",
        "closed",
        "handling",
        "closed",
        "awaiting_visit",
        "closed",
        "invalid_closed",
        "closed",
        "closed",
    )
    special = {
        3: "overdue",
        11: "due_today",
        17: "overdue_urgent",
        23: "escalated",
        29: "reopened",
        31: "overdue",
    }
    return special.get(i % 40) or plan[i % len(plan)]


def _received_at(rng: random.Random, now: datetime, kind: str) -> datetime:
    today = now.replace(hour=0, minute=0)
    if kind == "overdue":  # Tue/Wed of the week before: 2 working days have passed
        return today - timedelta(days=rng.randint(8, 9), hours=-rng.randint(8, 17))
    if kind == "overdue_urgent":
        return now - timedelta(hours=3, minutes=rng.randint(0, 50))
    if kind == "due_today":  # received Wednesday: the 2nd working day after is today
        return today - timedelta(days=2, hours=-rng.randint(8, 17))
    if kind in ("handling", "escalated"):  # received today: due next week
        return today + timedelta(hours=8, minutes=rng.randint(0, 110))
    return today - timedelta(days=rng.randint(10, 60), hours=-rng.randint(8, 17))


def _advance(
    services: Services, rng: random.Random, c: Complaint, kind: str, reg: Register
) -> None:
    cs, cid = services.complaints, c.id or 0
    handler = rng.choice(HANDLERS)
    if kind in ("overdue", "overdue_urgent", "due_today"):
        (reg.due_today if kind == "due_today" else reg.overdue).add(cid)
        if kind == "overdue_urgent":
            reg.urgent_overdue.add(cid)
        return
    if kind == "invalid_closed":
        cs.judge(cid, Validity.INVALID, handler=handler)
        cs.reply(
            cid,
            at=c.received_at + timedelta(hours=5),
            method=ReplyMethod.ORAL,
            content="经核实属市政供电问题，已向业主说明并协助报修",
        )
        reg.closed.add(cid)
        return
    cs.judge(cid, Validity.VALID, handler=handler)
    dept = _dept_for(c.content)
    if kind == "escalated":
        services.escalation.raise_sheet(
            TransferSheet(
                raised_on=c.received_at.date(),
                initiator=handler,
                initiator_dept="客服部",
                subject="跨部门协调处理",
                situation=c.content,
                complaint_id=cid,
            )
        )
        reg.escalated.add(cid)
        return
    if kind == "handling":
        return
    done = c.received_at + timedelta(hours=rng.randint(3, 30))
    cs.record_handling(
        cid,
        cause_analysis="巡查不到位",
        measures="已安排人员现场处理并加强巡查",
        responsible_dept=dept,
        completed_at=done,
    )
    cs.reply(cid, at=done, method=ReplyMethod.ORAL, content="已处理完毕，电话告知业主")
    visit_at = done + timedelta(days=1)
    if kind == "reopened":
        cs.return_visit(
            cid, ReturnVisit(visit_at, handler, "电话", Opinion.UNSATISFIED, "问题反复出现")
        )
        reg.reopened.add(cid)
        return
    if kind == "awaiting_visit":
        reg.awaiting_visit.add(cid)
        return
    cs.return_visit(cid, ReturnVisit(visit_at, handler, "电话", Opinion.SATISFIED))
    reg.closed.add(cid)


_templates: dict[int, tuple[Path, Register]] = {}


def template_database(count: int = 300) -> tuple[Path, Register]:
    """A register of `count` complaints made once per test session (at tests.conftest.NOW);
    tests copy the file instead of re-creating it."""
    if count not in _templates:
        from tests.conftest import FakeClock

        root = Path(tempfile.mkdtemp(prefix="estate-register-"))
        atexit.register(shutil.rmtree, root, True)
        services = open_signed_in(DataDir(root), clock=FakeClock())
        try:
            reg = make_register(services, count)
        finally:
            services.close()
        _templates[count] = (DataDir(root).database, reg)
    return _templates[count]


def copy_template(data_dir: DataDir, count: int = 300) -> Register:
    """Put the session's register into `data_dir` (before its services are opened)."""
    database, reg = template_database(count)
    data_dir.ensure()
    for suffix in ("", "-wal", "-shm"):
        source = database.with_name(database.name + suffix)
        if source.exists():
            shutil.copy(source, data_dir.database.with_name(data_dir.database.name + suffix))
    return reg
