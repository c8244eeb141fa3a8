"""答复期限: when the complainant must have had a reply (procedure §7.2.3).

- 无效 (invalid): the reason is told within 1 working day → 23:59 of the 1st working day after
  the day of receipt; a requested reply time does not change this.
- Otherwise (有效, or not yet judged): the reply time the complainant asked for, if any;
  else 紧急 → within 2 clock hours of receipt (nights, holidays and year end included);
  else 23:59 of the 2nd working day after the day of receipt.

Severity (严重程度) plays no part: 严重且紧急 and 不严重但紧急 share the 2-hour rule,
严重但不紧急 and 不严重不紧急 the 2-working-day rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from app.domain.complaint import Urgency, Validity
from app.domain.workdays import WorkCalendar

END_OF_DAY = time(23, 59)
URGENT_HOURS = 2
NORMAL_WORKDAYS = 2
INVALID_WORKDAYS = 1

RULE_INVALID = f"无效投诉：受理日后第{INVALID_WORKDAYS}个工作日23:59前说明"
RULE_REQUESTED = "顾客要求的答复时间"
RULE_URGENT = f"紧急：受理后{URGENT_HOURS}小时内"
RULE_NORMAL = f"受理日后第{NORMAL_WORKDAYS}个工作日23:59前"


@dataclass(frozen=True)
class Deadline:
    """A reply deadline, the rule that set it (shown on screen), and whether the working-day
    count used the Monday–Friday estimate for a year without an official calendar."""

    due_at: datetime
    rule: str
    estimated: bool


def _end_of_nth_workday(
    received_at: datetime, n: int, calendar: WorkCalendar
) -> tuple[datetime, bool]:
    day, estimated = calendar.next_workday_after(received_at.date(), n)
    return datetime.combine(day, END_OF_DAY, tzinfo=received_at.tzinfo), estimated


def reply_deadline(
    received_at: datetime,
    urgency: Urgency,
    validity: Validity | None,
    requested_reply_at: datetime | None,
    calendar: WorkCalendar,
) -> Deadline:
    """The reply deadline for a complaint received at ``received_at`` (see the module notes)."""
    if validity is Validity.INVALID:
        due, estimated = _end_of_nth_workday(received_at, INVALID_WORKDAYS, calendar)
        return Deadline(due, RULE_INVALID, estimated)
    if requested_reply_at is not None:
        return Deadline(requested_reply_at, RULE_REQUESTED, False)
    if urgency is Urgency.URGENT:
        return Deadline(received_at + timedelta(hours=URGENT_HOURS), RULE_URGENT, False)
    due, estimated = _end_of_nth_workday(received_at, NORMAL_WORKDAYS, calendar)
    return Deadline(due, RULE_NORMAL, estimated)


def reply_on_time(due_at: datetime, replied_at: datetime | None, now: datetime) -> bool | None:
    """答复及时: True replied by the deadline (inclusive); False replied late, or not replied and
    the deadline has passed; None not replied and not yet due."""
    if replied_at is not None:
        return replied_at <= due_at
    if now > due_at:
        return False
    return None


def is_overdue(due_at: datetime, replied_at: datetime | None, now: datetime) -> bool:
    """已超期 (needs action now): not replied and the deadline has passed.

    A reply that came late is not "overdue" any more; it counts as not on time in
    :func:`reply_on_time` and in the reports.
    """
    return replied_at is None and now > due_at
