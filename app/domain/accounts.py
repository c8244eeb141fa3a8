"""Account rules without I/O: what makes a user name or password acceptable, and how long a
user is locked out after repeated wrong passwords."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from app.domain.errors import FieldError

MIN_PASSWORD = 8
MAX_PASSWORD = 128
MAX_NAME = 20

FREE_ATTEMPTS = 4
"""Wrong passwords allowed in a row before the account locks."""
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=24)


def name_problem(name: str) -> FieldError | None:
    """Why a user name (登录名) cannot be used, or None."""
    n = name.strip()
    if not n:
        return FieldError("name", "请填写用户名")
    if len(n) > MAX_NAME:
        return FieldError("name", f"用户名最多 {MAX_NAME} 个字")
    if _has_control(n) or any(ch.isspace() for ch in n) or "," in n:
        return FieldError("name", "用户名不能含空格、逗号或控制字符")
    return None


def password_problem(password: str, name: str = "") -> FieldError | None:
    """Why a new password is too weak, or None."""
    if len(password) < MIN_PASSWORD:
        return FieldError("password", f"密码至少 {MIN_PASSWORD} 位")
    if len(password) > MAX_PASSWORD:
        return FieldError("password", f"密码最多 {MAX_PASSWORD} 位")
    if _has_control(password):
        return FieldError("password", "密码不能含控制字符")
    if len(set(password)) < 3:
        return FieldError("password", "密码太简单：至少要有 3 个不同的字符")
    if name and password.strip().lower() == name.strip().lower():
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
    delay = lock_delay(failures)
    return None if delay is None else failed_at + delay


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)
