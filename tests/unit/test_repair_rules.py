"""Repair rules: money and quantities, the 维修时限表, due times against the real 2026 calendar
(2027 treated as not yet published), timeliness and 返修 (rework)."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import repair_workflow as wf
from app.domain.repair import (
    DEFAULT_REPAIR_CATEGORIES,
    ChargeLine,
    NotHomeAction,
    NotHomeVisit,
    RepairTicket,
    RepairUrgency,
    TimeLimit,
)
from app.domain.repair_rules import (
    MAX_MONEY,
    REWORK_DAYS,
    EarlierRepair,
    RepairDeadlines,
    find_rework,
    format_money,
    is_late,
    limit_for,
    load_time_limits_csv,
    parse_money,
    parse_quantity,
    place_key,
    repair_deadlines,
    timeliness,
)
from app.domain.workdays import WorkCalendar, official_workday

T = datetime.fromisoformat
URGENT, NORMAL, PLANNED = RepairUrgency.URGENT, RepairUrgency.NORMAL, RepairUrgency.PLANNED
LIMITS_FILE = Path(__file__).resolve().parents[2] / "data" / "repair_time_limits.csv"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def only_until_2026(d: date) -> bool | None:
    return official_workday(d) if d.year <= 2026 else None


CAL = WorkCalendar(official=only_until_2026)


# --- 金额 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (12, 1200),
        (0, 0),
        (12.5, 1250),
        ("12.50", 1250),
        ("１２.５", 1250),
        ("１２．５０元", 1250),  # full-width point too
        ("￥12", 1200),
        ("¥ 12", 1200),
        ("12元", 1200),
        ("12.5 元", 1250),
        ("  0.01 ", 1),
        (".5", 50),
        ("12.", 1200),
        ("1,234.50", 123450),
        ("+3", 300),
        ("-0", 0),
        ("99999999.99", 9999999999),
        # number cells from Excel are rounded half up to the 分, via str() for floats
        (12.345, 1235),  # binary 12.3449999... would round down
        (2.675, 268),
        (0.1 + 0.2, 30),
        (-0.0, 0),
        (Decimal("12.345"), 1235),
        (Decimal("0.005"), 1),
        (Decimal("0.004"), 0),
        (Decimal("1E+2"), 10000),
    ],
)
def test_parse_money(value: object, fen: int) -> None:
    assert parse_money(value) == fen


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-12", "金额格式不对：-12（不能为负数；示例：12.50）"),
        ("－5元", "不能为负数"),
        (-1, "不能为负数"),
        (-0.01, "不能为负数"),
        (Decimal("-0.001"), "不能为负数"),
        ("12.345", "金额格式不对：12.345（最多两位小数；示例：12.50）"),
        ("0.001", "最多两位小数"),
        ("100000000", "金额过大"),
        (10**12, "金额过大"),
        (1e300, "金额过大"),
        ("abc", "金额格式不对：abc（示例：12.50）"),
        ("12元5角", "金额格式不对"),
        ("12,5", "金额格式不对"),  # a decimal comma is not read as thousands
        ("1e3", "金额格式不对"),
        ("1 2", "金额格式不对"),
        ("１２ 元 整", "金额格式不对"),
        ("$12", "金额格式不对"),
        ("٣", "金额格式不对"),  # Arabic-Indic digit: Decimal() would take it, we do not
        ("", "金额未填写"),
        ("   ", "金额未填写"),
        (None, "金额未填写"),
        (float("nan"), "金额格式不对"),
        (float("inf"), "金额格式不对"),
        (Decimal("NaN"), "金额格式不对"),
        (Decimal("-Infinity"), "金额格式不对"),
        (True, "金额格式不对"),
        ([12], "金额格式不对"),
    ],
)
def test_parse_money_refuses(value: object, message: str) -> None:
    with pytest.raises(ValueError) as e:
        parse_money(value)
    assert message in str(e.value)


def test_money_error_shows_a_long_value_cut_short() -> None:
    with pytest.raises(ValueError, match="金额格式不对：x{40}…（示例：12.50）"):
        parse_money("x" * 500)


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "0.00"), (1, "0.01"), (10, "0.10"), (1250, "12.50"), (123450, "1234.50"), (-5, "-0.05")],
)
def test_format_money(fen: int, text: str) -> None:
    assert format_money(fen) == text


@given(st.integers(min_value=0, max_value=int(MAX_MONEY * 100)))
def test_format_then_parse_money_round_trips(fen: int) -> None:
    assert parse_money(format_money(fen)) == fen


@given(st.text(max_size=60))
def test_parse_money_on_any_text_gives_fen_or_a_chinese_value_error(text: str) -> None:
    try:
        fen = parse_money(text)
    except ValueError as e:
        assert CHINESE.search(str(e))
    else:
        assert 0 <= fen <= MAX_MONEY * 100


money_like = st.from_regex(r"[ ￥¥]?[-+０-９0-9.,．]{0,12}[ 元]?", fullmatch=True)
any_cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=30),
    money_like,
)


@given(any_cell)
def test_parse_money_on_any_cell_raises_nothing_but_value_error(value: object) -> None:
    try:
        fen = parse_money(value)
    except ValueError as e:
        assert CHINESE.search(str(e))
    else:
        assert isinstance(fen, int) and fen >= 0


# --- 数量 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quantity"),
    [
        ("1", Decimal(1)),
        ("0.5", Decimal("0.5")),
        ("１.２５", Decimal("1.25")),
        ("０．３３３", Decimal("0.333")),
        (" 2 ", Decimal(2)),
        ("0.001", Decimal("0.001")),
        (2, Decimal(2)),
        (0.5, Decimal("0.5")),
        (0.1 + 0.2, Decimal("0.300")),  # Excel's float noise rounded to 3 decimals
        (Decimal("1.0005"), Decimal("1.001")),
        (Decimal("0.0005"), Decimal("0.001")),
    ],
)
def test_parse_quantity(value: object, quantity: Decimal) -> None:
    result = parse_quantity(value)
    assert result == quantity
    assert isinstance(result, Decimal)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "数量格式不对：0（须大于0；示例：1.5）"),
        ("0.000", "须大于0"),
        ("-1", "须大于0"),
        (0, "须大于0"),
        (-0.5, "须大于0"),
        (0.0004, "须大于0"),  # rounds to 0.000
        ("1.2345", "数量格式不对：1.2345（最多三位小数；示例：1.5）"),
        ("1000000", "数量过大"),
        ("abc", "数量格式不对：abc（示例：1.5）"),
        ("2个", "数量格式不对"),
        ("", "数量格式不对"),
        (None, "数量格式不对"),
        (True, "数量格式不对"),
        (float("nan"), "数量格式不对"),
        (Decimal("sNaN"), "数量格式不对"),
    ],
)
def test_parse_quantity_refuses(value: object, message: str) -> None:
    with pytest.raises(ValueError) as e:
        parse_quantity(value)
    assert message in str(e.value)


@given(st.one_of(any_cell, st.from_regex(r"[-+０-９0-9.．]{1,10}", fullmatch=True)))
def test_parse_quantity_raises_nothing_but_value_error(value: object) -> None:
    try:
        quantity = parse_quantity(value)
    except ValueError as e:
        assert CHINESE.search(str(e))
    else:
        assert quantity > 0
        exponent = quantity.as_tuple().exponent
        assert isinstance(exponent, int) and exponent >= -3


@pytest.mark.parametrize(
    ("quantity", "price", "total"),
    [
        ("0.333", "1.50", 50),  # 49.95 分 rounds half up to 50
        ("0.01", "1.50", 2),  # 1.5 分 → 2
        ("0.003", "1.50", 0),  # 0.45 分 → 0
        ("2.5", "12.80", 3200),
        ("1", "0", 0),
    ],
)
def test_charge_line_rounds_half_up_to_the_fen(quantity: str, price: str, total: int) -> None:
    line = ChargeLine("PPR水管", parse_quantity(quantity), parse_money(price), "米")
    assert line.total_fen == total


# --- 维修时限表 ------------------------------------------------------------------


def test_shipped_time_limits_cover_every_category_and_urgency() -> None:
    raw = LIMITS_FILE.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel opens it"
    limits = load_time_limits_csv(raw.decode("utf-8"))
    keys = [(x.category, x.urgency) for x in limits]
    expected = [(c, u) for c in DEFAULT_REPAIR_CATEGORIES for u in RepairUrgency]
    assert sorted(keys) == sorted(expected)
    for limit in limits:
        assert 0 < limit.arrive_hours <= limit.complete_hours
    assert limit_for(limits, "电梯", URGENT) == TimeLimit("电梯", URGENT, 0.5, 2)
    assert limit_for(limits, "给排水", URGENT) == TimeLimit("给排水", URGENT, 0.5, 4)
    by_urgency = {u: [x for x in limits if x.urgency == u] for u in RepairUrgency}
    # more urgent rows are never slower than less urgent ones of the same category
    for urgent, normal, planned in zip(*by_urgency.values(), strict=True):
        assert urgent.category == normal.category == planned.category
        assert urgent.arrive_hours <= normal.arrive_hours <= planned.arrive_hours


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "类别,紧急程度,到场时限(小时),完成时限(小时)\n给排水,紧急,0.5,4\n",
            [("给排水", URGENT, 0.5, 4)],
        ),
        ("给排水,一般,24,72", [("给排水", NORMAL, 24, 72)]),  # no header
        ("\ufeff\n\n 门窗 , 计划性 , 72 , 168 \n,,,\n", [("门窗", PLANNED, 72, 168)]),
        ("电梯,紧急,０.５,2小时", [("电梯", URGENT, 0.5, 2)]),
        ("电梯,紧急,.5,2h,井道进水先停梯", [("电梯", URGENT, 0.5, 2)]),  # extra 备注 column
        (
            "土建,一般,24,24\r\n其他,一般,24,72\r\n",
            [("土建", NORMAL, 24, 24), ("其他", NORMAL, 24, 72)],
        ),
        ("", []),
        ("类别,紧急程度,到场时限(小时),完成时限(小时)\n", []),
    ],
)
def test_load_time_limits(
    text: str, expected: list[tuple[str, RepairUrgency, float, float]]
) -> None:
    assert load_time_limits_csv(text) == [TimeLimit(*row) for row in expected]


HEADER = "类别,紧急程度,到场时限(小时),完成时限(小时)\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("给排水,特急,0.5,4", "第2行：紧急程度应为“紧急”、“一般”、“计划性”之一：特急"),
        ("给排水,紧急,半小时,4", "第2行：到场时限应为大于0、不超过8784的小时数：半小时"),
        ("给排水,紧急,0,4", "第2行：到场时限"),
        ("给排水,紧急,-1,4", "第2行：到场时限"),
        ("给排水,紧急,0.5,", "第2行：完成时限"),
        ("给排水,紧急,0.5,99999", "第2行：完成时限"),
        ("给排水,紧急,0.5,nan", "第2行：完成时限"),
        ("给排水,紧急,4,0.5", "第2行：完成时限（0.5小时）短于到场时限（4小时）"),
        ("给排水,紧急,0.5", "第2行：应有4列"),
        (",紧急,0.5,4", "第2行：缺少类别"),
        ("给\x00排水,紧急,0.5,4", "第2行：类别含有不可见的控制字符"),
        ("给排水,紧急,0.5,4\n\n给排水,紧急,1,4", "第4行：“给排水/紧急”与第2行重复"),
    ],
)
def test_time_limit_errors_name_the_line(body: str, message: str) -> None:
    with pytest.raises(ValueError) as e:
        load_time_limits_csv(HEADER + body)
    assert message in str(e.value)


TABLE = [
    TimeLimit("电梯", URGENT, 0.5, 2),
    TimeLimit("其他", URGENT, 1, 8),
    TimeLimit("给排水", NORMAL, 24, 48),
]


@pytest.mark.parametrize(
    ("category", "urgency", "expected"),
    [
        ("电梯", URGENT, TABLE[0]),
        (" 电梯 ", URGENT, TABLE[0]),
        ("门窗", URGENT, TABLE[1]),  # falls back to 其他
        ("", URGENT, TABLE[1]),
        ("给排水", NORMAL, TABLE[2]),
    ],
)
def test_limit_for(category: str, urgency: RepairUrgency, expected: TimeLimit) -> None:
    assert limit_for(TABLE, category, urgency) == expected


@pytest.mark.parametrize(
    ("category", "urgency"), [("门窗", NORMAL), ("电梯", PLANNED), ("", NORMAL)]
)
def test_limit_for_missing_row(category: str, urgency: RepairUrgency) -> None:
    with pytest.raises(ValueError, match=f"维修时限表缺少.*其他/{urgency}"):
        limit_for(TABLE, category, urgency)


# --- 时限 ---------------------------------------------------------------------

URGENT_WATER = TimeLimit("给排水", URGENT, 0.5, 4)
NORMAL_WATER = TimeLimit("给排水", NORMAL, 24, 72)
URGENT_LIFT = TimeLimit("电梯", URGENT, 0.5, 2)
QUARTER = TimeLimit("其他", URGENT, 0.25, 1.5)


def ticket(reported: str, **changes: object) -> RepairTicket:
    t = RepairTicket(
        reported_at=T(reported), description="漏水", room="3-2-1201", category="给排水"
    )
    return dataclasses.replace(t, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reported", "appointment", "limit", "arrive_due", "complete_due"),
    [
        ("2026-11-18 10:00", None, URGENT_WATER, "2026-11-18 10:30", "2026-11-18 14:00"),
        ("2026-11-18 10:00", None, NORMAL_WATER, "2026-11-19 10:00", "2026-11-21 10:00"),
        ("2026-11-18 10:00", None, QUARTER, "2026-11-18 10:15", "2026-11-18 11:30"),
        # clock hours run past midnight ...
        ("2026-11-18 23:45", None, URGENT_WATER, "2026-11-19 00:15", "2026-11-19 03:45"),
        # ... and through 国庆 and weekends
        ("2026-09-30 10:00", None, NORMAL_WATER, "2026-10-01 10:00", "2026-10-03 10:00"),
        ("2026-10-01 08:00", None, URGENT_LIFT, "2026-10-01 08:30", "2026-10-01 10:00"),
        ("2026-12-31 22:00", None, URGENT_LIFT, "2026-12-31 22:30", "2027-01-01 00:00"),
        # an appointment later than the report moves both due times
        (
            "2026-11-18 10:00",
            "2026-11-19 14:00",
            NORMAL_WATER,
            "2026-11-19 14:00",
            "2026-11-22 14:00",
        ),
        (
            "2026-11-18 10:00",
            "2026-11-18 10:10",
            URGENT_WATER,
            "2026-11-18 10:10",
            "2026-11-18 14:10",
        ),
        # ... an appointment at or before the report (an import) does not
        (
            "2026-11-18 10:00",
            "2026-11-18 10:00",
            URGENT_WATER,
            "2026-11-18 10:30",
            "2026-11-18 14:00",
        ),
        (
            "2026-11-18 10:00",
            "2026-11-17 09:00",
            URGENT_WATER,
            "2026-11-18 10:30",
            "2026-11-18 14:00",
        ),
    ],
)
def test_arrive_and_complete_due(
    reported: str, appointment: str | None, limit: TimeLimit, arrive_due: str, complete_due: str
) -> None:
    t = ticket(reported, appointment_at=T(appointment) if appointment else None)
    assert repair_deadlines(t, limit, CAL) == RepairDeadlines(
        T(arrive_due), T(complete_due), None, False
    )


@pytest.mark.parametrize(
    ("completed", "visit_due", "estimated"),
    [
        ("2026-11-18 15:00", "2026-11-19 23:59", False),  # Wednesday → Thursday
        ("2026-11-20 15:00", "2026-11-23 23:59", False),  # Friday → Monday
        ("2026-11-21 10:00", "2026-11-23 23:59", False),  # Saturday → Monday
        ("2026-11-18 23:59:59", "2026-11-19 23:59", False),
        ("2026-11-19 00:00", "2026-11-20 23:59", False),  # midnight belongs to the new day
        ("2026-09-24 16:00", "2026-09-28 23:59", False),  # before 中秋 (Sep 25-27)
        ("2026-09-25 11:00", "2026-09-28 23:59", False),  # on 中秋 itself
        ("2026-09-30 17:00", "2026-10-08 23:59", False),  # before 国庆 (Oct 1-7)
        ("2026-10-03 09:00", "2026-10-08 23:59", False),  # during 国庆
        ("2026-10-09 17:00", "2026-10-10 23:59", False),  # 调休: Saturday Oct 10 is worked
        ("2026-12-30 10:00", "2026-12-31 23:59", False),
        ("2026-12-31 10:00", "2027-01-01 23:59", True),  # 2027 unknown: weekday estimate
    ],
)
def test_visit_due(completed: str, visit_due: str, estimated: bool) -> None:
    t = ticket("2026-09-01 08:00", completed_at=T(completed))
    d = repair_deadlines(t, URGENT_WATER, CAL)
    assert (d.visit_due, d.estimated) == (T(visit_due), estimated)


def test_visit_due_follows_the_office_calendar() -> None:
    cal = WorkCalendar({date(2026, 11, 19): False}, official=only_until_2026)
    t = ticket("2026-11-18 08:00", completed_at=T("2026-11-18 15:00"))
    assert repair_deadlines(t, URGENT_WATER, cal).visit_due == T("2026-11-20 23:59")


def test_a_reschedule_moves_the_due_times() -> None:
    t = wf.dispatch(
        wf.register(ticket("2026-11-18 10:00")),
        repairer="李师傅",
        at=T("2026-11-18 10:20"),
        appointment_at=T("2026-11-18 15:00"),
    )
    before = repair_deadlines(t, NORMAL_WATER, CAL)
    assert (before.arrive_due, before.complete_due) == (
        T("2026-11-18 15:00"),
        T("2026-11-21 15:00"),
    )
    t = wf.record_not_home(
        t,
        NotHomeVisit(T("2026-11-18 15:05"), NotHomeAction.RESCHEDULED, T("2026-11-20 09:00")),
    )
    after = repair_deadlines(t, NORMAL_WATER, CAL)
    assert (after.arrive_due, after.complete_due) == (T("2026-11-20 09:00"), T("2026-11-23 09:00"))
    t = wf.record_not_home(t, NotHomeVisit(T("2026-11-20 09:10"), NotHomeAction.NOTE_LEFT))
    assert repair_deadlines(t, NORMAL_WATER, CAL) == after


# --- 是否超时 -------------------------------------------------------------------

DUE = RepairDeadlines(T("2026-11-18 10:30"), T("2026-11-18 14:00"), None, False)


@pytest.mark.parametrize(
    ("arrived", "completed", "now", "expected"),
    [
        (None, None, "2026-11-18 10:00", (None, None)),
        (None, None, "2026-11-18 10:30", (None, None)),  # the due time itself is in time
        (None, None, "2026-11-18 10:31", (True, None)),
        (None, None, "2026-11-18 14:01", (True, True)),
        ("2026-11-18 10:30", None, "2026-11-18 12:00", (False, None)),
        ("2026-11-18 10:30", None, "2026-11-18 15:00", (False, True)),
        ("2026-11-18 10:31", "2026-11-18 13:00", "2026-11-18 15:00", (True, False)),
        ("2026-11-18 10:00", "2026-11-18 14:00", "2026-11-25 09:00", (False, False)),
        ("2026-11-18 10:00", "2026-11-18 14:00:01", "2026-11-25 09:00", (False, True)),
    ],
)
def test_timeliness(
    arrived: str | None,
    completed: str | None,
    now: str,
    expected: tuple[bool | None, bool | None],
) -> None:
    t = ticket(
        "2026-11-18 10:00",
        arrived_at=T(arrived) if arrived else None,
        completed_at=T(completed) if completed else None,
    )
    assert timeliness(t, DUE, T(now)) == expected
    assert is_late(t, DUE, T(now)) is (True in expected)


# --- 返修 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"facility_id": 7, "location": "3栋1号电梯"}, "设施#7"),
        ({"room": "3栋2单元1201"}, "房号:3-2-1201"),
        ({"room": " ３－２－１２０１ ", "location": "厨房"}, "房号:3-2-1201"),
        ({"room": "12"}, "房号:12"),
        ({"location": "  ３栋　地下  车库 "}, "位置:3栋 地下 车库"),
        ({}, ""),
    ],
)
def test_place_key(changes: dict[str, object], key: str) -> None:
    t = RepairTicket(reported_at=T("2026-11-20 10:00"), description="x")
    assert place_key(dataclasses.replace(t, **changes)) == key  # type: ignore[arg-type]


NOW_REPORTED = T("2026-11-20 10:00")
ROOM = "房号:3-2-1201"


def earlier(
    id_: int, completed: datetime, key: str = ROOM, category: str = "给排水"
) -> EarlierRepair:
    return EarlierRepair(id_, key, category, completed)


@pytest.mark.parametrize(
    ("earlier_repairs", "found"),
    [
        ([earlier(1, NOW_REPORTED - timedelta(days=REWORK_DAYS))], 1),  # exactly 30 days counts
        ([earlier(1, NOW_REPORTED - timedelta(days=30, seconds=1))], None),
        ([earlier(1, NOW_REPORTED - timedelta(days=31))], None),
        ([earlier(1, NOW_REPORTED - timedelta(days=29, hours=23))], 1),
        ([earlier(1, NOW_REPORTED)], 1),  # completed the moment it was reported again
        ([earlier(1, NOW_REPORTED + timedelta(minutes=1))], None),  # completed after it
        ([earlier(1, NOW_REPORTED - timedelta(days=3), category="电气")], None),
        ([earlier(1, NOW_REPORTED - timedelta(days=3), key="房号:3-2-1202")], None),
        ([earlier(1, NOW_REPORTED - timedelta(days=3), key="位置:3-2-1201")], None),
        (
            [
                earlier(1, NOW_REPORTED - timedelta(days=20)),
                earlier(2, NOW_REPORTED - timedelta(days=5)),
                earlier(3, NOW_REPORTED - timedelta(days=10)),
                earlier(4, NOW_REPORTED - timedelta(days=1), category="电气"),
            ],
            2,  # the most recent of the same category
        ),
        ([earlier(99, NOW_REPORTED - timedelta(days=3))], None),  # the ticket itself
        ([], None),
    ],
)
def test_find_rework(earlier_repairs: list[EarlierRepair], found: int | None) -> None:
    t = ticket("2026-11-20 10:00", room="3栋2单元1201", id=99)
    assert find_rework(t, earlier_repairs) == found


def test_rework_matches_the_place_however_the_room_was_typed() -> None:
    first = ticket("2026-11-01 09:00", room="3-2-1201", completed_at=T("2026-11-01 15:00"), id=5)
    again = ticket("2026-11-20 10:00", room="３栋２单元１２０１")
    record = EarlierRepair(5, place_key(first), first.category, T("2026-11-01 15:00"))
    assert find_rework(again, [record]) == 5


@pytest.mark.parametrize(
    "changes",
    [{"category": ""}, {"category": "  "}, {"room": "", "location": ""}],
)
def test_no_rework_without_a_category_or_a_place(changes: dict[str, object]) -> None:
    t = ticket("2026-11-20 10:00", **changes)
    records = [EarlierRepair(1, place_key(t), t.category, T("2026-11-19 10:00"))]
    assert find_rework(t, records) is None
