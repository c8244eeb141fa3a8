"""What the complaint list asks for: filters, quick views and sort keys (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from app.domain.complaint import Status
from app.domain.voiding import ShownVoided


class QuickView(StrEnum):
    """The list's ready-made views of what needs attention; a voided complaint is in none of
    them but 全部 and 已作废."""

    ALL = "全部"
    OPEN = "未关闭"
    DUE_TODAY = "今日到期"
    OVERDUE = "已超期"
    AWAITING_VISIT = "待回访"
    ESCALATED = "已升级"
    VOIDED = "已作废"


class ValidityFilter(StrEnum):
    VALID = "有效"
    INVALID = "无效"
    UNJUDGED = "未判定"


@dataclass(frozen=True)
class ComplaintFilter:
    """Every condition is optional; together they narrow the list (AND)."""

    view: QuickView = QuickView.ALL
    statuses: frozenset[Status] = field(default_factory=frozenset)
    received_from: date | None = None
    received_to: date | None = None
    dept: str = ""
    category: str = ""
    validity: ValidityFilter | None = None
    text: str = ""

    @property
    def narrows(self) -> bool:
        """True when a condition other than the date range picks out part of the register."""
        return self.view != QuickView.ALL or bool(
            self.statuses or self.dept or self.category or self.validity or self.text.strip()
        )

    @property
    def date_range(self) -> tuple[date | None, date | None]:
        return self.received_from, self.received_to

    @property
    def plain_search(self) -> bool:
        """Words and nothing else (but perhaps dates): the search index alone answers it."""
        only = ComplaintFilter(
            text=self.text, received_from=self.received_from, received_to=self.received_to
        )
        return bool(self.text.strip()) and self == only


SORT_COLUMNS = (
    "no",
    "received_at",
    "complainant",
    "room",
    "category",
    "urgency",
    "validity",
    "status",
    "responsible_dept",
    "reply_due_at",
)


@dataclass(frozen=True)
class Sort:
    column: str = "received_at"
    descending: bool = True


@dataclass(frozen=True)
class ComplaintRow(ShownVoided):
    """One line of the complaint list: only what the list shows."""

    id: int
    no: str
    received_at: datetime
    complainant: str
    room: str
    category: str
    summary: str
    urgency: str
    validity: str
    status: Status
    responsible_dept: str
    handler: str
    reply_due_at: datetime
    replied_at: datetime | None
    escalated: bool
    reopen_count: int
    void_reason: str | None = None  # set once voided (作废): no longer anyone's work

    def is_overdue(self, now: datetime) -> bool:
        """Not replied and past the reply deadline (shown red)."""
        return (
            self.replied_at is None
            and self.reply_due_at < now
            and self.status != Status.CLOSED
            and not self.voided
        )

    def due_today(self, now: datetime) -> bool:
        return (
            self.replied_at is None and self.reply_due_at.date() == now.date() and not self.voided
        )
