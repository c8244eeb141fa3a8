"""The repair ticket (报修/维修, procedure §2) and its vocabulary.

Field order follows the paper 维修派工单 / 维修服务确认单, so the intake screen, the file
columns and the printed form read alike. Money is in 分 (integer cents), never floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from app.domain.voiding import Voiding


class RepairChannel(StrEnum):
    """报修方式."""

    PHONE = "来电"
    VISIT = "来访"
    WRITTEN = "书面"
    PATROL = "巡查发现"
    COMPLAINT = "投诉转来"
    OTHER = "其他"


class RepairUrgency(StrEnum):
    """紧急程度: picks the row of the 维修时限表."""

    URGENT = "紧急"
    NORMAL = "一般"
    PLANNED = "计划性"


class RepairStatus(StrEnum):
    """Where a ticket stands."""

    REPORTED = "待派工"
    DISPATCHED = "已派工"  # a repairer is assigned (and may have an appointment)
    ON_SITE = "维修中"  # arrived
    AWAITING_ACCEPTANCE = "待验收"  # repair done, the owner has not yet signed
    AWAITING_VISIT = "待回访"  # accepted; customer service calls back within 1 working day
    CLOSED = "已关闭"


class Satisfaction(StrEnum):
    """验收 and 回访 results."""

    SATISFIED = "满意"
    FAIRLY_SATISFIED = "基本满意"
    UNSATISFIED = "不满意"


class NotHomeAction(StrEnum):
    """业主不在家: what the repairer did."""

    NOTE_LEFT = "留言"
    RESCHEDULED = "改约"


DEFAULT_REPAIR_CATEGORIES = ("给排水", "电气", "门窗", "电梯", "公共照明", "消防", "土建", "其他")


@dataclass(frozen=True)
class ChargeLine:
    """One line of materials or labour: from the price list (收费标准) or typed."""

    item: str
    quantity: Decimal  # in the item's unit (0.5 米 of pipe is fine)
    unit_price_fen: int
    unit: str = ""

    @property
    def total_fen(self) -> int:
        """Quantity × unit price, rounded half up to the 分."""
        return int((self.quantity * self.unit_price_fen).to_integral_value(ROUND_HALF_UP))


@dataclass(frozen=True)
class NotHomeVisit:
    """A call at the door with nobody home (the ticket stays open)."""

    at: datetime
    action: NotHomeAction
    new_appointment: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class Acceptance:
    """验收 by the owner; the paper form's signature is kept as 'signed on paper'."""

    at: datetime
    result: Satisfaction
    signed_on_paper: bool = True
    remarks: str = ""


@dataclass(frozen=True)
class RepairVisit:
    """回访 by customer service after completion."""

    at: datetime
    visitor: str
    result: Satisfaction
    remarks: str = ""


@dataclass
class RepairTicket:
    """维修派工单: one repair from the report to the return visit."""

    reported_at: datetime  # 报修时间
    description: str  # 故障描述
    no: str = ""  # 编号
    reporter: str = ""  # 报修人
    room: str = ""  # 房号 (from the household register)
    location: str = ""  # 位置/设施 (a public place, or a facility's name)
    facility_id: int | None = None  # the ledger's facility, when it is one
    phone: str = ""  # 联系电话
    channel: RepairChannel = RepairChannel.PHONE  # 报修方式
    category: str = ""  # 类别
    urgency: RepairUrgency = RepairUrgency.NORMAL  # 紧急程度
    chargeable: bool = False  # 是否有偿
    appointment_at: datetime | None = None  # 预约上门时间
    dispatched_at: datetime | None = None  # 派工时间
    repairer: str = ""  # 维修人员
    arrived_at: datetime | None = None  # 到场时间
    completed_at: datetime | None = None  # 完成时间
    result: str = ""  # 维修结果
    charges: list[ChargeLine] = field(default_factory=list)  # 材料及人工
    not_home: list[NotHomeVisit] = field(default_factory=list)
    acceptance: Acceptance | None = None  # 验收
    visit: RepairVisit | None = None  # 回访
    past_visits: list[RepairVisit] = field(default_factory=list)  # unsatisfied ones
    reopen_count: int = 0
    complaint_id: int | None = None  # 关联投诉
    rework_of: int | None = None  # the earlier ticket this one reworks (返修)
    status: RepairStatus = RepairStatus.REPORTED
    closed_at: datetime | None = None
    id: int | None = None
    void: Voiding | None = None  # 作废: kept in the register, no further steps

    @property
    def total_fen(self) -> int:
        """费用合计: zero for a free repair, whatever lines were typed."""
        return sum(line.total_fen for line in self.charges) if self.chargeable else 0

    @property
    def place(self) -> str:
        """Where the repair is: the room, or the public location / facility."""
        return self.room or self.location


FIELD_LABELS: dict[str, str] = {
    "reported_at": "报修时间",
    "reporter": "报修人",
    "room": "房号",
    "location": "位置/设施",
    "phone": "联系电话",
    "channel": "报修方式",
    "category": "类别",
    "description": "故障描述",
    "urgency": "紧急程度",
    "chargeable": "是否有偿",
    "appointment_at": "预约上门时间",
    "dispatched_at": "派工时间",
    "repairer": "维修人员",
    "arrived_at": "到场时间",
    "completed_at": "完成时间",
    "result": "维修结果",
    "acceptance_at": "验收时间",
    "acceptance_result": "验收结果",
    "acceptance_remarks": "验收备注",
    "visited_at": "回访时间",
    "visitor": "回访人",
    "visit_result": "回访结果",
    "visit_remarks": "回访备注",
}
"""The stored fields as the 维修派工单 names them (修改记录). Status, deadlines and counters are
left out: they follow from these."""


@dataclass(frozen=True)
class TimeLimit:
    """One row of the 维修时限表: category × urgency → hours to arrive and to complete."""

    category: str
    urgency: RepairUrgency
    arrive_hours: float
    complete_hours: float


@dataclass(frozen=True)
class PriceItem:
    """One line of the 收费标准 (price list)."""

    item: str
    unit: str
    price_fen: int


@dataclass(frozen=True)
class Zone:
    """片区: buildings with a responsible service clerk and repairer (片区责任制)."""

    name: str
    buildings: tuple[str, ...]
    clerk: str = ""
    repairer: str = ""


@dataclass
class Facility:
    """台账: a public facility (water, power, lift, fire, drainage, lighting, fitness...)."""

    name: str
    kind: str  # 类型
    location: str = ""
    model: str = ""
    installed_on: date | None = None
    id: int | None = None
