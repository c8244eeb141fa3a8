"""Keeping records for their retention period (保存期限, procedure §8), then anonymising them.

Complaint and repair records are kept whole for `years` (2 by default) after they are finished:
closed (已关闭), or voided. Once that period is over their personal fields are anonymised: the
name becomes ANONYMISED_NAME, the phone number is blanked, and in the free text the person's
name is replaced and mobile numbers are masked (138****5678). Everything the statistics count
stays as it was: category, department, status, the dates and the room (房号 names a flat, not a
person, and the per-building figures need it). Open records are never anonymised, however old.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime

from app.domain.normalize import mask_phone, to_halfwidth

DEFAULT_YEARS = 2
MIN_YEARS = 2  # §8: records are kept 2 years; a shorter setting would break the procedure
MAX_YEARS = 30
YEARS_SETTING = "retention_years"
"""The settings key holding the retention period in whole years."""

ANONYMISED_NAME = "（已匿名）"
"""What an anonymised 投诉人/报修人 reads; empty names stay empty."""

BATCH = 2000
"""Records anonymised per transaction: a large estate is done a slice at a time."""

_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[ -]?)?\d{3}[ -]?\d{4}[ -]?\d{4}(?!\d)")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_MIN_NAME = 2  # a one-character name (王) is too common a character to replace in free text


def parse_years(text: str) -> int:
    """The retention period from the setting's text; empty means the default (2 years).

    Raises ``ValueError`` with a Chinese message for anything but a whole number of years from
    MIN_YEARS to MAX_YEARS.
    """
    t = to_halfwidth(text).strip()
    if not t:
        return DEFAULT_YEARS
    if not (t.isascii() and t.isdigit()) or not MIN_YEARS <= int(t) <= MAX_YEARS:
        raise ValueError(f"保存期限应为 {MIN_YEARS} 到 {MAX_YEARS} 之间的整数年：{text}")
    return int(t)


def years_before(moment: datetime, years: int) -> datetime:
    """The same calendar date and time `years` earlier; 29 February falls back to the 28th."""
    year = moment.year - years
    day = moment.day
    if moment.month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return moment.replace(year=year, day=day)


def cutoff(now: datetime, years: int) -> datetime:
    """Records finished before this minute have had their retention period.

    Cut to the minute, the precision records are stored with, so a record closed exactly at
    the cutoff is still inside its period.
    """
    return years_before(now, years).replace(second=0, microsecond=0)


@dataclass(frozen=True)
class RetentionRecord:
    """What decides whether one record's retention period is over."""

    id: int
    received_at: datetime  # 受理/报修时间
    closed: bool  # status 已关闭
    closed_at: datetime | None
    voided_at: datetime | None
    anonymised_at: datetime | None


def finished_at(r: RetentionRecord) -> datetime | None:
    """When the record was finished: voided, or closed; None while it is open.

    A voided record counts from the latest of its receipt, closing and voiding, so a record
    voided yesterday keeps its period in full however long ago it came in.
    """
    if r.voided_at is not None:
        return max(r.received_at, r.voided_at, r.closed_at or r.received_at)
    if r.closed and r.closed_at is not None:
        return r.closed_at
    return None


def is_due(r: RetentionRecord, cut: datetime) -> bool:
    """Whether the record is to be anonymised now: finished before the cutoff, not yet done."""
    done = finished_at(r)
    return r.anonymised_at is None and done is not None and done < cut


def anonymised_name(name: str) -> str:
    return ANONYMISED_NAME if name.strip() else ""


def mask_mobiles(text: str) -> str:
    """Every mobile number written in free text masked as 138****5678 (spaces, dashes, +86 and
    full-width digits included); landlines and other long numbers are left as they are."""

    def mask(m: re.Match[str]) -> str:
        digits = re.sub(r"[^0-9]", "", to_halfwidth(m.group()))[-11:]
        return mask_phone(m.group()) if _MOBILE.fullmatch(digits) else m.group()

    return _MOBILE_IN_TEXT.sub(mask, text)


def scrub(text: str, name: str) -> str:
    """Free text of an anonymised record: the person's name replaced, mobile numbers masked."""
    name = name.strip()
    if len(name) >= _MIN_NAME and name != ANONYMISED_NAME:
        text = text.replace(name, ANONYMISED_NAME)
    return mask_mobiles(text)


@dataclass(frozen=True)
class RetentionPlan:
    """What the retention job would anonymise now: records finished before `cutoff`."""

    cutoff: datetime
    years: int
    complaints: int
    repairs: int

    @property
    def total(self) -> int:
        return self.complaints + self.repairs


@dataclass(frozen=True)
class RetentionResult(RetentionPlan):
    """What one run of the retention job anonymised."""
