"""答复期限 (§7.2.3) against the real 2026 calendar; 2027 is treated as not yet published."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.complaint import Urgency, Validity
from app.domain.deadline import (
    RULE_INVALID,
    RULE_NORMAL,
    RULE_REQUESTED,
    RULE_URGENT,
    Deadline,
    is_overdue,
    reply_deadline,
    reply_on_time,
)
from app.domain.workdays import WorkCalendar, official_workday

T = datetime.fromisoformat
URGENT, NORMAL = Urgency.URGENT, Urgency.NOT_URGENT
VALID, INVALID = Validity.VALID, Validity.INVALID
REQ, INV = RULE_REQUESTED, RULE_INVALID


def only_until_2026(d: date) -> bool | None:
    return official_workday(d) if d.year <= 2026 else None


CAL = WorkCalendar(official=only_until_2026)


@pytest.mark.parametrize(
    ("received", "urgency", "validity", "requested", "due", "rule", "estimated"),
    [
        # ordinary Wednesday → Friday
        ("2026-11-18 10:00", NORMAL, None, None, "2026-11-20 23:59", RULE_NORMAL, False),
        ("2026-11-18 10:00", NORMAL, VALID, None, "2026-11-20 23:59", RULE_NORMAL, False),
        ("2026-11-18 10:00", NORMAL, INVALID, None, "2026-11-19 23:59", RULE_INVALID, False),
        ("2026-11-18 10:00", URGENT, None, None, "2026-11-18 12:00", RULE_URGENT, False),
        # Friday → Monday, Tuesday
        ("2026-11-20 15:00", NORMAL, None, None, "2026-11-24 23:59", RULE_NORMAL, False),
        ("2026-11-20 15:00", NORMAL, INVALID, None, "2026-11-23 23:59", RULE_INVALID, False),
        # Saturday receipt counts from Monday
        ("2026-11-21 09:00", NORMAL, None, None, "2026-11-24 23:59", RULE_NORMAL, False),
        ("2026-11-21 09:00", URGENT, VALID, None, "2026-11-21 11:00", RULE_URGENT, False),
        # the day before 国庆 (Oct 1-7 off)
        ("2026-09-30 10:00", NORMAL, None, None, "2026-10-09 23:59", RULE_NORMAL, False),
        ("2026-09-30 10:00", NORMAL, INVALID, None, "2026-10-08 23:59", RULE_INVALID, False),
        ("2026-09-30 23:00", URGENT, None, None, "2026-10-01 01:00", RULE_URGENT, False),
        # 中秋 2026 is Sep 25-27, separate from 国庆
        ("2026-09-24 10:00", NORMAL, None, None, "2026-09-29 23:59", RULE_NORMAL, False),
        # 调休 working Saturday Oct 10 counts as a working day
        ("2026-10-09 10:00", NORMAL, None, None, "2026-10-12 23:59", RULE_NORMAL, False),
        ("2026-10-09 10:00", NORMAL, INVALID, None, "2026-10-10 23:59", RULE_INVALID, False),
        # 春节: Sat Feb 14 worked, Feb 15-23 off
        ("2026-02-13 16:00", NORMAL, None, None, "2026-02-24 23:59", RULE_NORMAL, False),
        # 元旦 2026: Jan 1-3 off, Sunday Jan 4 worked
        ("2025-12-31 10:00", NORMAL, None, None, "2026-01-05 23:59", RULE_NORMAL, False),
        ("2025-12-31 10:00", NORMAL, INVALID, None, "2026-01-04 23:59", RULE_INVALID, False),
        # 23:30: urgent runs past midnight; non-urgent counts from the next days
        ("2026-11-18 23:30", URGENT, None, None, "2026-11-19 01:30", RULE_URGENT, False),
        ("2026-11-18 23:30", NORMAL, None, None, "2026-11-20 23:59", RULE_NORMAL, False),
        # midnight exactly belongs to the new day
        ("2026-11-19 00:00", NORMAL, None, None, "2026-11-23 23:59", RULE_NORMAL, False),
        ("2026-11-19 00:00", URGENT, None, None, "2026-11-19 02:00", RULE_URGENT, False),
        ("2026-11-19 00:00", NORMAL, INVALID, None, "2026-11-20 23:59", RULE_INVALID, False),
        # year end into 2027 (not in the official calendar): weekday estimate
        ("2026-12-31 10:00", NORMAL, None, None, "2027-01-04 23:59", RULE_NORMAL, True),
        ("2026-12-31 10:00", NORMAL, INVALID, None, "2027-01-01 23:59", RULE_INVALID, True),
        ("2026-12-31 23:00", URGENT, None, None, "2027-01-01 01:00", RULE_URGENT, False),
        ("2026-12-30 10:00", NORMAL, INVALID, None, "2026-12-31 23:59", RULE_INVALID, False),
        # a requested reply time wins for 有效 / not judged, whatever the urgency ...
        ("2026-11-18 10:00", NORMAL, None, "2026-11-27 17:00", "2026-11-27 17:00", REQ, False),
        ("2026-11-18 10:00", URGENT, VALID, "2026-11-18 18:00", "2026-11-18 18:00", REQ, False),
        ("2026-12-31 10:00", NORMAL, VALID, "2027-01-08 09:00", "2027-01-08 09:00", REQ, False),
        # ... but not for 无效
        ("2026-11-18 10:00", URGENT, INVALID, "2026-11-27 17:00", "2026-11-19 23:59", INV, False),
    ],
)
def test_reply_deadline(
    received: str,
    urgency: Urgency,
    validity: Validity | None,
    requested: str | None,
    due: str,
    rule: str,
    estimated: bool,
) -> None:
    requested_at = T(requested) if requested else None
    result = reply_deadline(T(received), urgency, validity, requested_at, CAL)
    assert result == Deadline(T(due), rule, estimated)


def test_rule_texts() -> None:
    assert RULE_INVALID == "无效投诉：受理日后第1个工作日23:59前说明"
    assert RULE_REQUESTED == "顾客要求的答复时间"
    assert RULE_URGENT == "紧急：受理后2小时内"
    assert RULE_NORMAL == "受理日后第2个工作日23:59前"


@pytest.mark.parametrize(
    ("overrides", "received", "validity", "due"),
    [
        # office works Saturday Nov 21: Friday's complaint is due Monday
        ({date(2026, 11, 21): True}, "2026-11-20 15:00", None, "2026-11-23 23:59"),
        ({date(2026, 11, 21): True}, "2026-11-20 15:00", INVALID, "2026-11-21 23:59"),
        # office closes Monday Nov 23: Friday's complaint is due Wednesday
        ({date(2026, 11, 23): False}, "2026-11-20 15:00", None, "2026-11-25 23:59"),
        ({date(2026, 11, 23): False}, "2026-11-20 15:00", INVALID, "2026-11-24 23:59"),
        # office marks 2027-01-01 as 元旦: the estimate still applies to the weekend after it
        ({date(2027, 1, 1): False}, "2026-12-31 10:00", INVALID, "2027-01-04 23:59"),
    ],
)
def test_office_overrides_move_the_deadline(
    overrides: dict[date, bool], received: str, validity: Validity | None, due: str
) -> None:
    cal = WorkCalendar(overrides, official=only_until_2026)
    result = reply_deadline(T(received), Urgency.NOT_URGENT, validity, None, cal)
    assert result.due_at == T(due)
    assert result.estimated is (T(due).year == 2027)


def test_due_time_is_2359_sharp() -> None:
    result = reply_deadline(T("2026-11-18 10:17:45"), NORMAL, None, None, CAL)
    assert (result.due_at.hour, result.due_at.minute, result.due_at.second) == (23, 59, 0)


DUE = T("2026-11-20 23:59")


@pytest.mark.parametrize(
    ("replied", "now", "on_time", "overdue"),
    [
        ("2026-11-19 10:00", "2026-11-25 09:00", True, False),
        ("2026-11-20 23:59", "2026-11-25 09:00", True, False),  # exactly at the deadline
        ("2026-11-21 00:00", "2026-11-25 09:00", False, False),  # late, but replied
        (None, "2026-11-20 12:00", None, False),  # not due yet
        (None, "2026-11-20 23:59", None, False),  # the deadline itself is not past it
        (None, "2026-11-21 00:00", False, True),
    ],
)
def test_reply_on_time_and_overdue(
    replied: str | None, now: str, on_time: bool | None, overdue: bool
) -> None:
    replied_at = T(replied) if replied else None
    assert reply_on_time(DUE, replied_at, T(now)) is on_time
    assert is_overdue(DUE, replied_at, T(now)) is overdue
