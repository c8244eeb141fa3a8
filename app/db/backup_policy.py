"""Which backups to keep (保留规则): a pure rule on (time taken, reason), no I/O.

Kept, each for the reason named in `KEEP_LABELS`:

- every backup of the last 24 hours;
- the newest of each calendar day, for today and the 13 days before;
- the newest of each ISO week, for this week and the 7 before (a week runs Monday-Sunday, so
  28 Dec 2026 - 3 Jan 2027 is one week, 2026-W53);
- the newest of each calendar month, for this month and the 23 before;
- a backup taken before a migration (`before-vN`), before an import (`before-import`), or the
  file a restore set aside (`replaced`), until the same date two years on (a 29 February
  backup is kept until 1 March): these mark the moments the whole file changed, and the office
  keeps its records two years (procedure §8). They are rare (an upgrade, an import, a restore);
- the newest backup, whatever its age, so there is always one to go back to;
- a backup dated in the future (the PC's clock was set back): its age cannot be judged.

Everything else is deleted. Windows are counted from `now` in whole calendar days, weeks and
months, so a year end or a leap day shifts nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

DAILY_DAYS = 14
WEEKLY_WEEKS = 8
MONTHLY_MONTHS = 24
PROTECTED_YEARS = 2
PROTECTED_PREFIXES = ("before-v", "before-import", "replaced")

KEEP_LABELS = {
    "recent": "24小时内",
    "daily": "每日",
    "weekly": "每周",
    "monthly": "每月",
    "protected": "迁移/导入/恢复前（保留两年）",
    "newest": "最新一份",
    "future": "日期晚于当前时间",
}


class Dated(Protocol):
    """What the rule needs of a backup (BackupInfo has these)."""

    @property
    def path(self) -> Path: ...

    @property
    def taken_at(self) -> datetime: ...

    @property
    def reason(self) -> str: ...


def is_protected(reason: str) -> bool:
    return reason.startswith(PROTECTED_PREFIXES)


def two_years_after(day: date) -> date:
    """The same date `PROTECTED_YEARS` on; 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + PROTECTED_YEARS)
    except ValueError:
        return date(day.year + PROTECTED_YEARS, 3, 1)


def keep_reasons(backups: Sequence[Dated], now: datetime) -> dict[Path, list[str]]:
    """For each backup, the rules that keep it (an empty list: delete it)."""
    reasons: dict[Path, list[str]] = {b.path: [] for b in backups}
    newest_first = sorted(backups, key=lambda b: (b.taken_at, b.path.name), reverse=True)
    if newest_first:
        reasons[newest_first[0].path].append("newest")
    today = now.date()
    this_week = today - timedelta(days=today.weekday())
    this_month = _month_index(today)
    seen: set[tuple[str, object]] = set()
    for b in newest_first:
        day = b.taken_at.date()
        why = reasons[b.path]
        if b.taken_at > now:
            why.append("future")
            continue
        if now - b.taken_at < timedelta(hours=24):
            why.append("recent")
        if is_protected(b.reason) and today < two_years_after(day):
            why.append("protected")
        week = day - timedelta(days=day.weekday())
        buckets = (
            ("daily", day, (today - day).days < DAILY_DAYS),
            ("weekly", week, (this_week - week).days < 7 * WEEKLY_WEEKS),
            ("monthly", _month_index(day), this_month - _month_index(day) < MONTHLY_MONTHS),
        )
        for tier, bucket, in_window in buckets:
            if in_window and (tier, bucket) not in seen:
                seen.add((tier, bucket))
                why.append(tier)
    return reasons


def thin(backups: Sequence[Dated], now: datetime) -> list[Path]:
    """The backups to delete, oldest first."""
    reasons = keep_reasons(backups, now)
    doomed = [b for b in backups if not reasons[b.path]]
    return [b.path for b in sorted(doomed, key=lambda b: (b.taken_at, b.path.name))]


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1
