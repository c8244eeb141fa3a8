"""WorkCalendar: official 2026 data (as chinese_calendar has it), overrides, fallback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.domain.workdays import WorkCalendar, official_workday, parse_overrides_csv

D = date.fromisoformat
REAL = WorkCalendar()
OVERRIDES_FILE = Path(__file__).resolve().parents[2] / "data" / "calendar_overrides.csv"


def only_until_2026(d: date) -> bool | None:
    """The real calendar with every year after 2026 unknown, whatever the installed version."""
    return official_workday(d) if d.year <= 2026 else None


@pytest.mark.parametrize(
    ("day", "workday", "why"),
    [
        ("2026-01-01", False, "元旦"),
        ("2026-01-03", False, "元旦 (Saturday)"),
        ("2026-01-04", True, "元旦调休: Sunday worked"),
        ("2026-02-13", True, "Friday before 春节"),
        ("2026-02-14", True, "春节调休: Saturday worked"),
        ("2026-02-15", False, "春节 first day"),
        ("2026-02-23", False, "春节 last day (Monday)"),
        ("2026-02-24", True, "first day back"),
        ("2026-02-28", True, "春节调休: Saturday worked"),
        ("2026-03-01", False, "ordinary Sunday"),
        ("2026-09-19", False, "ordinary Saturday"),
        ("2026-09-20", True, "国庆调休: Sunday worked"),
        ("2026-09-25", False, "中秋 (its own holiday in 2026, Sep 25-27)"),
        ("2026-09-27", False, "中秋 (Sunday)"),
        ("2026-09-28", True, "after 中秋"),
        ("2026-10-01", False, "国庆"),
        ("2026-10-07", False, "国庆 last day (Wednesday)"),
        ("2026-10-08", True, "first day back"),
        ("2026-10-10", True, "国庆调休: Saturday worked"),
        ("2026-10-11", False, "ordinary Sunday"),
        ("2026-11-20", True, "ordinary Friday"),
        ("2026-11-21", False, "ordinary Saturday"),
        ("2026-12-31", True, "ordinary Thursday"),
    ],
)
def test_official_2026(day: str, workday: bool, why: str) -> None:
    assert REAL.day_info(D(day)) == (workday, False), why


@pytest.mark.parametrize(
    ("year", "known"), [(2003, False), (2004, True), (2025, True), (2026, True)]
)
def test_known_year_of_installed_calendar(year: int, known: bool) -> None:
    assert WorkCalendar().known_year(year) is known


@pytest.mark.parametrize(
    ("start", "n", "expected", "estimated"),
    [
        ("2026-11-18", 1, "2026-11-19", False),  # Wednesday
        ("2026-11-18", 2, "2026-11-20", False),
        ("2026-11-20", 1, "2026-11-23", False),  # Friday → Monday
        ("2026-11-21", 2, "2026-11-24", False),  # Saturday
        ("2026-09-30", 1, "2026-10-08", False),  # before 国庆
        ("2026-10-09", 1, "2026-10-10", False),  # 调休 Saturday counts
        ("2026-10-09", 2, "2026-10-12", False),
        ("2026-02-13", 2, "2026-02-24", False),  # across 春节
        ("2025-12-31", 1, "2026-01-04", False),  # across 元旦 into a 调休 Sunday
        ("2026-12-31", 1, "2027-01-01", True),  # unknown 2027: Friday by the weekday estimate
        ("2026-12-31", 2, "2027-01-04", True),
        ("2026-12-30", 1, "2026-12-31", False),  # nothing of 2027 examined
    ],
)
def test_next_workday_after(start: str, n: int, expected: str, estimated: bool) -> None:
    cal = WorkCalendar(official=only_until_2026)
    assert cal.next_workday_after(D(start), n) == (D(expected), estimated)


@pytest.mark.parametrize(
    ("overrides", "day", "workday", "estimated"),
    [
        ({"2026-11-21": True}, "2026-11-21", True, False),  # office works a Saturday
        ({"2026-11-23": False}, "2026-11-23", False, False),  # office closes a Monday
        ({"2026-10-01": True}, "2026-10-01", True, False),  # override beats an official holiday
        ({"2026-10-10": False}, "2026-10-10", False, False),  # ... and an official 调休 day
        ({"2027-01-01": False}, "2027-01-01", False, False),  # override in an unknown year
        ({}, "2027-01-01", True, True),  # weekday estimate (really 元旦, hence the warning)
        ({}, "2027-01-02", False, True),
    ],
)
def test_overrides_and_fallback(
    overrides: dict[str, bool], day: str, workday: bool, estimated: bool
) -> None:
    cal = WorkCalendar({D(k): v for k, v in overrides.items()}, official=only_until_2026)
    assert cal.day_info(D(day)) == (workday, estimated)
    assert cal.is_workday(D(day)) is workday
    assert cal.estimated_years == ((2027,) if estimated else ())


def test_fake_official_source_and_memory_of_unknown_years() -> None:
    holidays = {D("2030-05-01")}

    def fake(d: date) -> bool | None:
        if d.year == 2031:
            return None
        return d not in holidays and d.weekday() < 5

    cal = WorkCalendar(official=fake)
    assert cal.known_year(2030) and not cal.known_year(2031)
    assert cal.next_workday_after(D("2030-04-30"), 1) == (D("2030-05-02"), False)
    assert cal.unknown_years_between(D("2031-03-01"), D("2029-01-01")) == [2031]
    assert cal.estimated_years == ()
    assert cal.next_workday_after(D("2030-12-31"), 1) == (D("2031-01-01"), True)
    assert cal.estimated_years == (2031,)


@pytest.mark.parametrize(
    ("d1", "d2", "expected"),
    [
        ("2026-11-20", "2026-11-24", []),
        ("2026-12-31", "2027-01-04", [2027]),
        ("2028-01-04", "2026-12-31", [2027, 2028]),
    ],
)
def test_unknown_years_between(d1: str, d2: str, expected: list[int]) -> None:
    cal = WorkCalendar(official=only_until_2026)
    assert cal.unknown_years_between(D(d1), D(d2)) == expected


@pytest.mark.parametrize("n", [0, -1])
def test_next_workday_after_needs_positive_n(n: int) -> None:
    with pytest.raises(ValueError, match="至少为1"):
        REAL.next_workday_after(D("2026-11-20"), n)


def test_calendar_without_working_days_fails_loudly() -> None:
    cal = WorkCalendar(official=lambda d: False)
    with pytest.raises(ValueError, match="找不到足够的工作日"):
        cal.next_workday_after(D("2026-11-20"), 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("日期,类型,说明\n", {}),
        ("", {}),
        ("\ufeff日期,类型,说明\r\n2026-11-21,上班,消防演练补班\r\n", {D("2026-11-21"): True}),
        (
            "日期,类型,说明\n2026/11/23,休息,\n\n２０２６－１１－２４,上班\n",
            {D("2026-11-23"): False, D("2026-11-24"): True},
        ),
        ("2026年12月26日,上班,年终盘点\n", {D("2026-12-26"): True}),  # no header
        (
            '日期,类型,说明\n2026-11-21, 上班 ,"备注,含逗号"\n2026-11-21,上班,重复\n',
            {D("2026-11-21"): True},
        ),
    ],
)
def test_parse_overrides_csv(text: str, expected: dict[date, bool]) -> None:
    assert parse_overrides_csv(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("日期,类型,说明\n2026-11-21,加班,\n", "第2行：类型应为“上班”或“休息”：加班"),
        ("日期,类型,说明\n2026-11-21,上班\n2026-02-30,休息\n", "第3行：日期不存在：2026-02-30"),
        ("日期,类型,说明\n明天,上班\n", "第2行：无法识别的日期时间：明天"),
        ("日期,类型,说明\n2026-11-21\n", "第2行：缺少类型"),
        ("日期,类型,说明\n2026-11-21 08:00,上班\n", "第2行：日期只填年月日"),
        ("日期,类型,说明\n2026-11-21,上班\n\n2026-11-21,休息\n", "第4行：2026-11-21 与第2行矛盾"),
    ],
)
def test_parse_overrides_csv_rejects_bad_lines(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_overrides_csv(text)
    assert str(info.value).startswith(message)


def test_shipped_overrides_file_is_header_only() -> None:
    text = OVERRIDES_FILE.read_text(encoding="utf-8")
    assert text.splitlines() == ["日期,类型,说明"]
    assert parse_overrides_csv(text) == {}
