"""Account rules without I/O: what makes a user name or password acceptable, and how long a
user is locked out after repeated wrong passwords."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from app.domain.errors import FieldError
from app.domain.normalize import to_halfwidth

MIN_PASSWORD = 8
MAX_PASSWORD = 128
MAX_NAME = 20

FREE_ATTEMPTS = 4
"""Wrong passwords allowed in a row before the account locks."""
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=24)


def normalize_name(name: str) -> str:
    """A user name as stored and looked up: trimmed, full-width letters and digits made
    half-width (a name typed with the input method in full-width mode still signs in)."""
    return to_halfwidth(name).strip()


def name_problem(name: str) -> FieldError | None:
    """Why a user name (登录名) cannot be used, or None."""
    n = normalize_name(name)
    if not n:
        return FieldError("name", "请填写用户名")
    if len(n) > MAX_NAME:
        return FieldError("name", f"用户名最多 {MAX_NAME} 个字")
    if _has_any(n, _INVISIBLE) or any(ch.isspace() for ch in n) or "," in n:
        return FieldError("name", "用户名不能含空格、逗号或控制字符")
    return None


def password_problem(password: str, name: str = "") -> FieldError | None:
    """Why a new password is too weak, or None."""
    if len(password) < MIN_PASSWORD:
        return FieldError("password", f"密码至少 {MIN_PASSWORD} 位")
    if len(password) > MAX_PASSWORD:
        return FieldError("password", f"密码最多 {MAX_PASSWORD} 位")
    if _has_any(password, _UNUSABLE):
        return FieldError("password", "密码不能含控制字符")
    if len(set(password)) < 3:
        return FieldError("password", "密码太简单：至少要有 3 个不同的字符")
    if name and password.strip().lower() == normalize_name(name).lower():
        return FieldError("password", "密码不能与用户名相同")
    return None


def lock_delay(failures: int) -> timedelta | None:
    """How long the account stays locked after `failures` wrong passwords in a row.

    The first FREE_ATTEMPTS cost nothing; then 1 minute, doubling with each further failure,
    at most 24 hours.
    """
    if failures <= FREE_ATTEMPTS:
        return None
    doublings = failures - FREE_ATTEMPTS - 1
    if doublings >= 20:  # far past the cap; avoid a huge multiplication
        return LONGEST_LOCK
    delay: timedelta = FIRST_LOCK * (2**doublings)
    return min(delay, LONGEST_LOCK)


def locked_until(failures: int, failed_at: datetime) -> datetime | None:
    """When the lock ends, rounded up to the minute: it is stored and shown to the minute, and
    must last at least the delay (a failure at 10:00:59 locks until 10:02, not 10:01)."""
    delay = lock_delay(failures)
    if delay is None:
        return None
    until = failed_at + delay
    whole = until.replace(second=0, microsecond=0)
    return whole if whole == until else whole + timedelta(minutes=1)


_UNUSABLE = frozenset({"Cc", "Cs"})
"""Control characters, and lone surrogates (they cannot be encoded to be hashed)."""
_INVISIBLE = _UNUSABLE | {"Cf", "Co", "Cn"}
"""… and format (zero-width, direction marks), private-use and unassigned characters: a name
holding one would look like another user's name."""


def _has_any(text: str, categories: frozenset[str]) -> bool:
    return any(unicodedata.category(ch) in categories for ch in text)
