"""What the repair list asks for: quick views, filters, sort keys and the row it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from app.domain.repair import RepairStatus
from app.domain.voiding import ShownVoided


class RepairView(StrEnum):
    ALL = "全部"
    OPEN = "未关闭"
    TO_DISPATCH = "待派工"
    OVERDUE = "已超时"
    AWAITING_ACCEPTANCE = "待验收"
    AWAITING_VISIT = "待回访"
    REWORK = "返修"
    VOIDED = "已作废"  # the other views are work: a voided ticket is in none of them


@dataclass(frozen=True)
class RepairFilter:
    view: RepairView = RepairView.ALL
    statuses: frozenset[RepairStatus] = field(default_factory=frozenset)
    reported_from: date | None = None
    reported_to: date | None = None
    category: str = ""
    repairer: str = ""
    urgency: str = ""
    text: str = ""

    @property
    def narrows(self) -> bool:
        """True when a condition other than the date range picks out part of the register."""
        return self.view != RepairView.ALL or bool(
            self.statuses or self.category or self.repairer or self.urgency or self.text.strip()
        )

    @property
    def date_range(self) -> tuple[date | None, date | None]:
        return self.reported_from, self.reported_to

    @property
    def plain_search(self) -> bool:
        """Words and nothing else (but perhaps dates): the search index alone answers it."""
        only = RepairFilter(
            text=self.text, reported_from=self.reported_from, reported_to=self.reported_to
        )
        return bool(self.text.strip()) and self == only


REPAIR_SORT_COLUMNS = (
    "no",
    "reported_at",
    "place",
    "reporter",
    "category",
    "urgency",
    "status",
    "repairer",
    "arrive_due_at",
    "complete_due_at",
)


@dataclass(frozen=True)
class RepairRow(ShownVoided):
    """One line of the repair list."""

    id: int
    no: str
    reported_at: datetime
    place: str
    reporter: str
    category: str
    summary: str
    urgency: str
    status: RepairStatus
    repairer: str
    arrive_due_at: datetime
    complete_due_at: datetime
    arrived_at: datetime | None
    completed_at: datetime | None
    total_fen: int
    rework: bool
    reopen_count: int
    complaint_no: str
    visit_due_at: datetime | None = None  # 回访 within 1 working day of completion
    void_reason: str | None = None  # set once voided (作废): no longer anyone's work

    def is_overdue(self, now: datetime) -> bool:
        """Not arrived or not completed within the 维修时限表's limits, or the 回访 missed its
        working day (shown red)."""
        if self.status == RepairStatus.CLOSED or self.voided:
            return False
        late_arrival = self.arrived_at is None and self.arrive_due_at < now
        late_completion = self.completed_at is None and self.complete_due_at < now
        late_visit = (
            self.status == RepairStatus.AWAITING_VISIT
            and self.visit_due_at is not None
            and self.visit_due_at < now
        )
        return late_arrival or late_completion or late_visit
