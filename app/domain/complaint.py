"""The complaint record (顾客投诉处理记录表) and its vocabulary.

Field order follows the paper form (forms.md), so the intake screen, the import/export
columns and the printed form all read in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from app.domain.voiding import Voiding


class Channel(StrEnum):
    """投诉方式: how the complaint reached the office (§7.2.1, §7.2.2)."""

    PHONE = "来电"
    VISIT = "来访"
    WRITTEN = "书面"
    BOX = "意见箱"
    FORWARDED = "上级转来"
    MEDIA = "媒体转来"
    GOVERNMENT = "政府转来"
    OTHER = "其他"


class Severity(StrEnum):
    """严重程度: recorded for reports; does not change the deadline."""

    SERIOUS = "严重"
    NOT_SERIOUS = "不严重"


class Urgency(StrEnum):
    """紧急程度."""

    URGENT = "紧急"
    NOT_URGENT = "不紧急"


class Validity(StrEnum):
    """投诉性质 (§4.1): 有效 = the company failed; 无效 = it did not. None = not yet judged."""

    VALID = "有效"
    INVALID = "无效"


class Attribution(StrEnum):
    """原因归属 for a complaint not against the company (§7.2.4-5)."""

    DEVELOPER = "发展商"
    EXTERNAL = "外部环境"
    OUTSIDE_REMIT = "非管辖公共配套"


class ReplyMethod(StrEnum):
    """答复顾客的方式."""

    ORAL = "口头"
    WRITTEN = "书面"


class Opinion(StrEnum):
    """投诉人意见 at the return visit (§7.2.10)."""

    SATISFIED = "满意"
    FAIRLY_SATISFIED = "基本满意"
    UNSATISFIED = "不满意"


class Status(StrEnum):
    """Where a complaint stands: 有登记、有处理、有跟进、有关闭、有回访."""

    REGISTERED = "待处理"  # 有登记: waiting for the handler's judgement
    HANDLING = "处理中"  # 有处理
    FOLLOW_UP = "跟进中"  # 有跟进: forwarded to the developer / an authority, result pending
    AWAITING_VISIT = "待回访"  # replied; a valid complaint still needs its return visit
    CLOSED = "已关闭"  # 有关闭 (after 有回访 for a valid complaint)


DEFAULT_CATEGORIES = (
    "房管",
    "治安",
    "车辆",
    "清洁",
    "绿化",
    "维修",
    "社区活动",
    "便民服务",
    "收费",
    "其他",
)
VISIT_METHODS = ("电话", "上门", "短信/微信", "其他")


@dataclass
class ReturnVisit:
    """One return visit (回访). Earlier unsatisfied visits are kept when handling reopens."""

    visited_at: datetime
    visitor: str
    method: str
    opinion: Opinion
    remarks: str = ""


@dataclass
class Complaint:
    """顾客投诉处理记录表: one complaint from intake to return visit."""

    # --- 登记 (intake), in the paper form's order
    received_at: datetime  # 登记时间
    content: str  # 投诉内容
    urgency: Urgency  # 紧急程度
    no: str = ""  # 编号; empty until the register gives one
    receiver: str = ""  # 接待人
    complainant: str = ""  # 投诉人
    room: str = ""  # 房号 (栋-单元-房)
    phone: str = ""  # 联系电话
    channel: Channel = Channel.PHONE  # 投诉方式
    category: str = ""  # 投诉类别
    request: str = ""  # 顾客要求
    requested_reply_at: datetime | None = None  # 要求答复时间
    severity: Severity = Severity.NOT_SERIOUS  # 严重程度
    immediate_reply: str = ""  # 即时答复 (§7.2.1)
    # --- 判定 (judgement)
    validity: Validity | None = None  # 投诉性质
    attribution: Attribution | None = None  # 原因归属 (only for 无效)
    follow_up_party: str = ""  # 跟进对象: the developer or authority it was forwarded to
    follow_up_result: str = ""  # 跟进结果 (closes the follow-up)
    follow_up_closed_at: datetime | None = None
    # --- 处理 (handling)
    cause_analysis: str = ""  # 原因分析
    measures: str = ""  # 处理措施
    responsible_dept: str = ""  # 责任部门
    handler: str = ""  # 投诉处理人
    completed_at: datetime | None = None  # 完成时间
    # --- 答复顾客 (reply)
    reply_method: ReplyMethod | None = None  # 方式
    replied_at: datetime | None = None  # 答复时间
    reply_content: str = ""  # 答复内容
    # --- 回访 (return visit); the latest one, earlier ones in past_visits
    visit: ReturnVisit | None = None
    past_visits: list[ReturnVisit] = field(default_factory=list)
    reopen_count: int = 0
    # --- 审核 and state
    reviewed_by: str = ""  # 部门负责人审核
    reviewed_at: datetime | None = None
    status: Status = Status.REGISTERED
    closed_at: datetime | None = None
    id: int | None = None
    void: Voiding | None = None  # 作废: kept in the register, no further steps


FIELD_LABELS: dict[str, str] = {
    "received_at": "登记时间",
    "receiver": "接待人",
    "complainant": "投诉人",
    "room": "房号",
    "phone": "联系电话",
    "channel": "投诉方式",
    "content": "投诉内容",
    "category": "投诉类别",
    "request": "顾客要求",
    "requested_reply_at": "要求答复时间",
    "severity": "严重程度",
    "urgency": "紧急程度",
    "immediate_reply": "即时答复",
    "validity": "投诉性质",
    "attribution": "原因归属",
    "follow_up_party": "跟进对象",
    "follow_up_result": "跟进结果",
    "cause_analysis": "原因分析",
    "measures": "处理措施",
    "responsible_dept": "责任部门",
    "handler": "投诉处理人",
    "completed_at": "完成时间",
    "reply_method": "答复方式",
    "replied_at": "答复时间",
    "reply_content": "答复内容",
    "visited_at": "回访时间",
    "visitor": "回访人",
    "visit_method": "回访方式",
    "opinion": "投诉人意见",
    "opinion_remarks": "回访备注",
    "reviewed_by": "审核人",
    "reviewed_at": "审核时间",
}
"""The stored fields as the paper form names them (修改记录). Status, deadlines and counters are
left out: they follow from these."""
