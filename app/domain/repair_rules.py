"""Repair rules (报修/维修, procedure §2): money and quantities as typed, the 维修时限表,
due times, timeliness and 返修 (rework).

Pure functions: nothing here touches the database, the files or the clock. Parsers raise
``ValueError`` with a Chinese message fit to show to the clerk as it is.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.domain.normalize import normalize_room, to_halfwidth
from app.domain.repair import RepairTicket, RepairUrgency, TimeLimit
from app.domain.text_checks import SHORT, check_text
from app.domain.workdays import WorkCalendar

# --- 金额 / 数量 ------------------------------------------------------------------

MONEY_EXAMPLE = "12.50"
QUANTITY_EXAMPLE = "1.5"
MAX_MONEY = Decimal("99999999.99")  # 元: well past any repair bill, still exact in 分
MAX_QUANTITY = Decimal("999999.999")
_CENT = Decimal("0.01")
_THOUSANDTH = Decimal("0.001")

_NUMBER = (
    r"(?P<sign>[-+]?) ?(?P<n>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
)
_MONEY_TEXT = re.compile(rf"(?:[¥￥] ?)?{_NUMBER}(?: ?元)?")
_QUANTITY_TEXT = re.compile(_NUMBER)


def _shown(value: object, limit: int = 40) -> str:
    text = str(value).strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _money_error(value: object, reason: str = "") -> ValueError:
    return ValueError(f"金额格式不对：{_shown(value)}（{reason}示例：{MONEY_EXAMPLE}）")


def _quantity_error(value: object, reason: str = "") -> ValueError:
    return ValueError(f"数量格式不对：{_shown(value)}（{reason}示例：{QUANTITY_EXAMPLE}）")


def _decimals(d: Decimal) -> int:
    exponent = d.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _cell_number(value: object) -> Decimal | None:
    """A number cell (int, float, Decimal) as a finite Decimal; None for anything else.

    Floats go through ``str`` so 12.3 is 12.3, not 12.2999999999999996447...
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def _text_number(text: str, pattern: re.Pattern[str]) -> tuple[Decimal, bool] | None:
    """(value, negative) of typed text matching ``pattern``, full-width folded; else None."""
    m = pattern.fullmatch(" ".join(to_halfwidth(text).split()))
    if m is None:
        return None
    return Decimal(m["n"].replace(",", "")), m["sign"] == "-"


def parse_money(value: object) -> int:
    """金额 in 分 from what a clerk typed or a file cell held.

    Accepts ``12``, ``12.5``, ``"12.50"``, ``"１２.５"``, ``"￥12"``, ``"12元"``, ``"12.5 元"``,
    ``"1,234.50"``. Number cells (float, Decimal, as Excel gives them) are rounded half up to
    the 分; typed text with more than two decimals is refused, as are negatives and other text.
    """
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(f"金额未填写（示例：{MONEY_EXAMPLE}）")
        parsed = _text_number(value, _MONEY_TEXT)
        if parsed is None:
            raise _money_error(value)
        amount, negative = parsed
        if negative and amount:
            raise _money_error(value, "不能为负数；")
        if _decimals(amount) > 2:
            raise _money_error(value, "最多两位小数；")
    elif value is None:
        raise ValueError(f"金额未填写（示例：{MONEY_EXAMPLE}）")
    else:
        number = _cell_number(value)
        if number is None:
            raise _money_error(value)
        if number < 0:
            raise _money_error(value, "不能为负数；")
        amount = number
    if amount > MAX_MONEY:
        raise _money_error(value, "金额过大；")
    return int(amount.quantize(_CENT, ROUND_HALF_UP).scaleb(2))


def format_money(fen: int) -> str:
    """分 → ``"12.50"`` (元, two decimals)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def parse_quantity(value: object) -> Decimal:
    """数量 (> 0, at most three decimals) from typed text (full-width ok) or a number cell.

    Number cells are rounded half up to three decimals (Excel's 0.30000000000000004 is 0.300).
    """
    if isinstance(value, str):
        parsed = _text_number(value, _QUANTITY_TEXT) if value.strip() else None
        if parsed is None:
            raise _quantity_error(value)
        quantity, negative = parsed
        if negative and quantity:
            raise _quantity_error(value, "须大于0；")
        if _decimals(quantity) > 3:
            raise _quantity_error(value, "最多三位小数；")
    else:
        number = _cell_number(value)
        if number is None:
            raise _quantity_error(value)
        quantity = number
        if MAX_QUANTITY >= quantity > 0 and _decimals(quantity) > 3:
            quantity = quantity.quantize(_THOUSANDTH, ROUND_HALF_UP)
    if quantity > MAX_QUANTITY:
        raise _quantity_error(value, "数量过大；")
    if quantity <= 0:
        raise _quantity_error(value, "须大于0；")
    return quantity


# --- 维修时限表 ----------------------------------------------------------------

TIME_LIMIT_COLUMNS = ("类别", "紧急程度", "到场时限(小时)", "完成时限(小时)")
OTHER_CATEGORY = "其他"
MAX_HOURS = 24 * 366
_HOURS = re.compile(r"(?P<n>[0-9]+(?:\.[0-9]+)?|\.[0-9]+) ?(?:小时|h|H)?")
_URGENCIES = "、".join(f"“{u}”" for u in RepairUrgency)


def _hours(cell: str, label: str, line: int) -> float:
    m = _HOURS.fullmatch(" ".join(to_halfwidth(cell).split()))
    hours = float(m["n"]) if m is not None else 0.0
    if not 0 < hours <= MAX_HOURS:
        raise ValueError(f"第{line}行：{label}应为大于0、不超过{MAX_HOURS}的小时数：{cell}")
    return hours


def _time_limit_row(cells: list[str], line: int) -> TimeLimit:
    if len(cells) < len(TIME_LIMIT_COLUMNS):
        raise ValueError(
            f"第{line}行：应有{len(TIME_LIMIT_COLUMNS)}列（{','.join(TIME_LIMIT_COLUMNS)}）"
        )
    category, urgency_text, arrive_text, complete_text = cells[:4]
    if not category:
        raise ValueError(f"第{line}行：缺少类别")
    problem = check_text("category", "类别", category, limit=SHORT)
    if problem is not None:
        raise ValueError(f"第{line}行：{problem.message}")
    try:
        urgency = RepairUrgency(urgency_text)
    except ValueError:
        raise ValueError(f"第{line}行：紧急程度应为{_URGENCIES}之一：{urgency_text}") from None
    arrive = _hours(arrive_text, "到场时限", line)
    complete = _hours(complete_text, "完成时限", line)
    if complete < arrive:
        raise ValueError(f"第{line}行：完成时限（{complete:g}小时）短于到场时限（{arrive:g}小时）")
    return TimeLimit(category, urgency, arrive, complete)


def load_time_limits_csv(text: str) -> list[TimeLimit]:
    """Read the office's 维修时限表 (``类别,紧急程度,到场时限(小时),完成时限(小时)``).

    A BOM and the header row are optional; blank lines are skipped; further columns (a 备注) are
    ignored. A bad or repeated row raises ``ValueError`` naming its line, e.g.
    ``第3行：紧急程度应为“紧急”、“一般”、“计划性”之一：特急``.
    """
    limits: list[TimeLimit] = []
    first_line: dict[tuple[str, RepairUrgency], int] = {}
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    seen_row = False
    try:
        for row in reader:
            line = reader.line_num
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            if not seen_row:
                seen_row = True
                if cells[0] == TIME_LIMIT_COLUMNS[0]:
                    continue
            limit = _time_limit_row(cells, line)
            key = (limit.category, limit.urgency)
            if key in first_line:
                raise ValueError(
                    f"第{line}行：“{limit.category}/{limit.urgency}”与第{first_line[key]}行重复"
                )
            first_line[key] = line
            limits.append(limit)
    except csv.Error as exc:
        raise ValueError(f"第{reader.line_num}行：无法读取（{exc}）") from None
    return limits


def limit_for(limits: Sequence[TimeLimit], category: str, urgency: RepairUrgency) -> TimeLimit:
    """The row for ``category`` × ``urgency``, else the 其他 row of that urgency."""
    category = category.strip()
    for wanted in (category, OTHER_CATEGORY):
        for limit in limits:
            if limit.category == wanted and limit.urgency == urgency:
                return limit
    raise ValueError(
        f"维修时限表缺少“{category or '（未分类）'}/{urgency}”，"
        f"也没有“{OTHER_CATEGORY}/{urgency}”一行，请补充维修时限表"
    )


# --- 时限 ---------------------------------------------------------------------

VISIT_DUE_TIME = time(23, 59)
VISIT_WORKDAYS = 1


@dataclass(frozen=True)
class RepairDeadlines:
    """When the repairer must arrive and finish, and when customer service must call back.

    ``visit_due`` is None until the repair is completed; ``estimated`` is True when counting the
    working day for it used the Monday–Friday estimate (a year without an official calendar).
    """

    arrive_due: datetime
    complete_due: datetime
    visit_due: datetime | None
    estimated: bool


def repair_deadlines(t: RepairTicket, limit: TimeLimit, calendar: WorkCalendar) -> RepairDeadlines:
    """Due times for a ticket under one row of the 维修时限表.

    The clock starts at the report and runs in clock hours through nights and holidays. An
    appointment later than the report (the latest one, after any 改约) moves both: arrival is
    due at the appointment and completion ``complete_hours`` after it. The 回访 is due by 23:59
    of the 1st working day after the day of completion (procedure §2).
    """
    start = t.reported_at
    if t.appointment_at is not None and t.appointment_at > start:
        arrive_due = t.appointment_at
        complete_due = t.appointment_at + timedelta(hours=limit.complete_hours)
    else:
        arrive_due = start + timedelta(hours=limit.arrive_hours)
        complete_due = start + timedelta(hours=limit.complete_hours)
    if t.completed_at is None:
        return RepairDeadlines(arrive_due, complete_due, None, False)
    day, estimated = calendar.next_workday_after(t.completed_at.date(), VISIT_WORKDAYS)
    visit_due = datetime.combine(day, VISIT_DUE_TIME, tzinfo=t.completed_at.tzinfo)
    return RepairDeadlines(arrive_due, complete_due, visit_due, estimated)


def _late(done_at: datetime | None, due: datetime, now: datetime) -> bool | None:
    if done_at is not None:
        return done_at > due
    return True if now > due else None


def timeliness(
    t: RepairTicket, d: RepairDeadlines, now: datetime
) -> tuple[bool | None, bool | None]:
    """(arrived late?, completed late?): True late (or not done and past due, the due time
    itself still in time), False done in time, None not done and not yet due."""
    return _late(t.arrived_at, d.arrive_due, now), _late(t.completed_at, d.complete_due, now)


def is_late(t: RepairTicket, d: RepairDeadlines, now: datetime) -> bool:
    """是否超时 (for the export): late, or not done and past due, for arrival or completion."""
    return True in timeliness(t, d, now)


# --- 返修 ---------------------------------------------------------------------

REWORK_DAYS = 30


@dataclass(frozen=True)
class EarlierRepair:
    """What rework detection needs of an earlier, completed ticket."""

    id: int
    place_key: str
    category: str
    completed_at: datetime


def place_key(t: RepairTicket) -> str:
    """Which thing was repaired, for telling a repeat: the ledger's facility when set, else the
    normalised room, else the location (full-width folded, spaces collapsed); "" when none.

    The kinds are tagged so room ``12`` and facility 12 never meet.
    """
    if t.facility_id is not None:
        return f"设施#{t.facility_id}"
    if t.room.strip():
        return f"房号:{normalize_room(t.room)}"
    location = " ".join(to_halfwidth(t.location).split())
    return f"位置:{location}" if location else ""


def find_rework(t: RepairTicket, earlier: Sequence[EarlierRepair]) -> int | None:
    """返修: the id of the most recent earlier ticket for the same place and category that was
    completed within REWORK_DAYS before ``t`` was reported (exactly 30 days still counts).

    A ticket without a place or a category is never rework: nothing says it is the same fault.
    """
    key, category = place_key(t), t.category.strip()
    if not key or not category:
        return None
    since = t.reported_at - timedelta(days=REWORK_DAYS)
    matches = [
        e
        for e in earlier
        if e.place_key == key
        and e.category.strip() == category
        and e.id != t.id
        and since <= e.completed_at <= t.reported_at
    ]
    if not matches:
        return None
    return max(matches, key=lambda e: (e.completed_at, e.id)).id
