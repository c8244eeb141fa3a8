"""The working-day calendar (工作日历): official PRC holidays and 调休, plus office overrides.

Precedence for a day: the office's override (上班 / 休息) first, then the official calendar,
and for a year the official calendar does not know yet, Monday–Friday as an estimate
(按周一至周五估算).
Callers are told when an answer rests on that estimate so the screen can warn about it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from datetime import date, timedelta

import chinese_calendar

from app.domain.normalize import parse_datetime

OfficialSource = Callable[[date], bool | None]
"""Official calendar: True = working day, False = day off, None = year not known."""

OVERRIDE_COLUMNS = ("日期", "类型", "说明")
WORK = "上班"
REST = "休息"
_KINDS = {WORK: True, "工作日": True, "班": True, REST: False, "休息日": False, "放假": False}
_MAX_SCAN_DAYS = 3660  # ten years without a working day means the calendar is broken


def official_workday(d: date) -> bool | None:
    """国务院 holiday arrangement as shipped in ``chinese_calendar``; None for a year it lacks."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


class WorkCalendar:
    """Which days are working days (工作日).

    ``overrides`` are the office's own entries (True = 上班, False = 休息) and win over everything.
    ``official`` is the official source; None means :func:`official_workday` (chinese_calendar).
    Pass ``lambda d: None`` for a calendar with no official data at all.
    """

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        official: OfficialSource | None = None,
    ) -> None:
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._official: OfficialSource = official if official is not None else official_workday
        self._known: dict[int, bool] = {}
        self._estimated_years: set[int] = set()

    @property
    def overrides(self) -> Mapping[date, bool]:
        return dict(self._overrides)

    @property
    def estimated_years(self) -> tuple[int, ...]:
        """Years for which some answer so far used the Monday–Friday estimate."""
        return tuple(sorted(self._estimated_years))

    def known_year(self, year: int) -> bool:
        """Whether the official calendar covers ``year`` (its holidays are published)."""
        if year not in self._known:
            self._known[year] = self._official(date(year, 1, 1)) is not None
        return self._known[year]

    def day_info(self, d: date) -> tuple[bool, bool]:
        """``(is_workday, estimated)``; estimated is True when the weekday fallback decided it."""
        if d in self._overrides:
            return self._overrides[d], False
        official = self._official(d)
        if official is not None:
            return official, False
        self._known[d.year] = False
        self._estimated_years.add(d.year)
        return d.weekday() < 5, True

    def is_workday(self, d: date) -> bool:
        """是否工作日."""
        return self.day_info(d)[0]

    def next_workday_after(self, d: date, n: int = 1) -> tuple[date, bool]:
        """The n-th working day strictly after day ``d`` (n ≥ 1), and whether any day examined
        on the way was decided by the weekday estimate."""
        if n < 1:
            raise ValueError(f"工作日数必须至少为1：{n}")
        estimated = False
        day = d
        for _ in range(_MAX_SCAN_DAYS):
            day += timedelta(days=1)
            workday, guessed = self.day_info(day)
            estimated = estimated or guessed
            if workday:
                n -= 1
                if n == 0:
                    return day, estimated
        raise ValueError(
            f"{d.isoformat()} 之后{_MAX_SCAN_DAYS}天内找不到足够的工作日，请检查工作日历"
        )

    def unknown_years_between(self, d1: date, d2: date) -> list[int]:
        """Years from d1 to d2 (either order, inclusive) the official calendar does not cover."""
        low, high = sorted((d1.year, d2.year))
        return [year for year in range(low, high + 1) if not self.known_year(year)]


def parse_overrides_csv(text: str) -> dict[date, bool]:
    """Read the office's overrides (``日期,类型,说明``; 类型 is 上班 or 休息).

    The header row is optional; blank lines are skipped; 说明 is free text. A bad row raises
    ``ValueError`` naming its line, e.g. ``第3行：类型应为“上班”或“休息”：加班``.
    """
    result: dict[date, bool] = {}
    first_line: dict[date, int] = {}
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    seen_row = False
    for row in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if not seen_row:
            seen_row = True
            if cells[0] == OVERRIDE_COLUMNS[0]:
                continue
        if len(cells) < 2 or not cells[1]:
            raise ValueError(f"第{line}行：缺少类型（应为“{WORK}”或“{REST}”）")
        try:
            when = parse_datetime(cells[0])
        except ValueError as exc:
            raise ValueError(f"第{line}行：{exc}") from None
        if when.time() != when.min.time():
            raise ValueError(f"第{line}行：日期只填年月日，不带时间：{cells[0]}")
        kind = _KINDS.get(cells[1])
        if kind is None:
            raise ValueError(f"第{line}行：类型应为“{WORK}”或“{REST}”：{cells[1]}")
        day = when.date()
        if day in result and result[day] != kind:
            raise ValueError(f"第{line}行：{day.isoformat()} 与第{first_line[day]}行矛盾")
        result[day] = kind
        first_line.setdefault(day, line)
    return result
