"""Which backups thinning keeps: table-driven, across a year end (ISO week 53) and a leap day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from app.db.backup_policy import keep_reasons, thin, two_years_after


@dataclass(frozen=True)
class Fake:
    path: Path
    taken_at: datetime
    reason: str


def fake(stamp: str, reason: str = "daily") -> Fake:
    at = datetime.strptime(stamp, "%Y-%m-%d %H:%M")
    return Fake(Path(f"estate-{at:%Y%m%d-%H%M%S}-{reason}.db"), at, reason)


def stamps(paths: list[Path]) -> list[str]:
    return [
        datetime.strptime(p.name[7:22], "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M") for p in paths
    ]


# (now, [(taken, reason)], [taken of those deleted, oldest first])
CASES = {
    "the last 24 hours are all kept, an older one of the same day is not": (
        "2026-11-20 10:00",
        [
            ("2026-11-20 09:00", "daily"),
            ("2026-11-20 08:00", "manual"),
            ("2026-11-19 10:01", "manual"),  # 23h59m old
            ("2026-11-19 09:59", "daily"),  # 24h01m old, its day already has a newer one
        ],
        ["2026-11-19 09:59"],
    ),
    "year end: ISO week 2026-W53 runs 28 Dec - 3 Jan; months and protection by the calendar": (
        "2027-01-04 09:00",  # a Monday, 2027-W01
        [
            ("2027-01-04 08:00", "daily"),
            ("2027-01-03 08:00", "daily"),  # Sunday of 2026-W53: daily
            ("2026-12-28 08:00", "daily"),  # Monday of 2026-W53, 7 days ago: daily
            ("2026-12-20 08:00", "daily"),  # 15 days ago: the newest of 2026-W51
            ("2026-12-19 08:00", "daily"),  # W51 and December already have newer ones
            ("2026-11-16 08:00", "daily"),  # 2026-W47, 7 weeks back: weekly and November
            ("2026-11-09 08:00", "daily"),  # W46 is 8 weeks back; November has a newer one
            ("2025-02-10 08:00", "daily"),  # 23 months back: monthly
            ("2025-01-31 08:00", "daily"),  # 24 months back: gone
            ("2025-01-05 08:00", "before-v3"),  # protected until 2027-01-05
            ("2024-12-31 08:00", "before-import"),  # protected until 2026-12-31: expired
        ],
        ["2024-12-31 08:00", "2025-01-31 08:00", "2026-11-09 08:00", "2026-12-19 08:00"],
    ),
    "leap day: a 29 February backup is protected until 1 March two years on": (
        "2030-02-28 12:00",
        [("2030-02-28 11:00", "daily"), ("2028-02-29 10:00", "before-v4")],
        [],
    ),
    "leap day: and no longer on 1 March": (
        "2030-03-01 09:00",
        [("2030-03-01 08:00", "daily"), ("2028-02-29 10:00", "before-v4")],
        ["2028-02-29 10:00"],
    ),
    "leap day: the days around 29 February each keep one": (
        "2028-03-01 09:00",  # a Wednesday; this week began Monday 28 February
        [
            ("2028-03-01 08:00", "daily"),
            ("2028-02-29 18:00", "daily"),
            ("2028-02-29 08:00", "manual"),
            ("2028-02-28 08:00", "daily"),
            ("2028-02-27 08:00", "daily"),
            ("2028-02-15 08:00", "daily"),  # 15 days ago: the newest of its week
            ("2028-02-14 08:00", "daily"),  # same week, older
        ],
        ["2028-02-14 08:00", "2028-02-29 08:00"],
    ),
    "the newest is kept however old": (
        "2030-01-01 09:00",
        [("2026-01-01 08:00", "manual"), ("2025-06-01 08:00", "manual")],
        ["2025-06-01 08:00"],
    ),
    "clock set back: backups dated in the future are kept, and so is today's": (
        "2000-01-01 10:00",
        [
            ("2026-11-20 08:00", "daily"),
            ("2026-11-19 08:00", "daily"),
            ("2000-01-01 09:00", "daily"),
        ],
        [],
    ),
    "a replaced database (set aside by a restore) is protected like a migration": (
        "2026-11-20 10:00",
        [
            ("2026-11-20 09:00", "daily"),
            ("2026-11-20 08:00", "replaced"),
            ("2025-12-01 08:00", "replaced"),
            ("2025-12-01 09:00", "daily"),
            ("2025-12-01 07:00", "daily"),
        ],
        ["2025-12-01 07:00"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_thinning(case: tuple[str, list[tuple[str, str]], list[str]]) -> None:
    now, taken, deleted = case
    backups = [fake(stamp, reason) for stamp, reason in taken]
    assert stamps(thin(backups, datetime.strptime(now, "%Y-%m-%d %H:%M"))) == deleted


def test_the_rules_that_keep_each_backup_are_named() -> None:
    backups = [fake("2026-11-20 09:00"), fake("2026-11-02 08:00", "before-import")]
    reasons = keep_reasons(backups, datetime(2026, 11, 20, 10, 0))
    assert reasons[backups[0].path] == ["newest", "recent", "daily", "weekly", "monthly"]
    assert reasons[backups[1].path] == ["protected", "weekly"]


@pytest.mark.parametrize(
    ("day", "until"),
    [
        (date(2026, 11, 20), date(2028, 11, 20)),
        (date(2028, 2, 29), date(2030, 3, 1)),
        (date(2026, 12, 31), date(2028, 12, 31)),
    ],
)
def test_two_years_after(day: date, until: date) -> None:
    assert two_years_after(day) == until


def test_three_years_of_daily_thinning_keep_a_bounded_set_with_every_month() -> None:
    """Thinning every day (as the scheduled backup does) never loses a month's survivor."""
    kept: list[Fake] = []
    start = datetime(2026, 1, 1, 9, 0)
    for n in range(3 * 365):
        now = start + timedelta(days=n)
        kept.append(Fake(Path(f"{n}.db"), now, "daily"))
        if n % 30 == 0:
            kept.append(Fake(Path(f"{n}i.db"), now - timedelta(minutes=5), "before-import"))
        doomed = set(thin(kept, now))
        kept = [b for b in kept if b.path not in doomed]
    daily_weekly_monthly = [b for b in kept if b.reason == "daily"]
    assert len(daily_weekly_monthly) <= 14 + 8 + 24
    months = {(b.taken_at.year, b.taken_at.month) for b in daily_weekly_monthly}
    assert len(months) == 24
    imports = sorted(b.taken_at for b in kept if b.reason == "before-import")
    every_import = [start + timedelta(days=n, minutes=-5) for n in range(0, 3 * 365, 30)]
    assert imports == [t for t in every_import if now.date() < two_years_after(t.date())]
