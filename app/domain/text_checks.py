"""Checks every free-text field gets: no control characters, a sensible length."""

from __future__ import annotations

import unicodedata

from app.domain.errors import FieldError

SHORT = 50  # names, rooms, departments
MEDIUM = 1_000  # requests, replies, measures
LONG = 5_000  # 投诉内容: a long letter fits (the printed form continues on a second page)
_ALLOWED_IN_MULTILINE = {"\n", "\t"}


def check_text(
    field: str, label: str, value: str, *, limit: int, multiline: bool = False
) -> FieldError | None:
    """A problem with one text field, or None."""
    allowed = _ALLOWED_IN_MULTILINE if multiline else set()
    bad = [ch for ch in value if unicodedata.category(ch) == "Cc" and ch not in allowed]
    if bad:
        shown = "、".join(sorted({f"U+{ord(ch):04X}" for ch in bad}))
        return FieldError(field, f"{label}含有不可见的控制字符（{shown}），请删除后再保存")
    if len(value) > limit:
        return FieldError(field, f"{label}过长（{len(value)}字，最多{limit}字），请精简")
    return None


def check_texts(checks: list[tuple[str, str, str, int, bool]]) -> list[FieldError]:
    """(field, label, value, limit, multiline) for each field; the problems found."""
    found = (check_text(f, label, v, limit=n, multiline=m) for f, label, v, n, m in checks)
    return [e for e in found if e is not None]


def missing(record: object, required: tuple[tuple[str, str], ...]) -> list[FieldError]:
    """(field, message) pairs whose text field on `record` is blank."""
    return [FieldError(f, message) for f, message in required if not getattr(record, f).strip()]
