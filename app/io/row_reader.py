"""Reading one row of an imported file, collecting every problem instead of stopping at the
first (every register's columns module uses it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from app.domain.normalize import normalize_phone, parse_optional_datetime

Problem = tuple[str, str]  # (column, message)
Cell = Callable[[str], object]
E = TypeVar("E", bound=StrEnum)


def text(value: object) -> str:
    """A cell as trimmed text (numbers from Excel without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class RowReader:
    def __init__(self, cell: Cell) -> None:
        self.cell = cell
        self.problems: list[Problem] = []

    def text(self, column: str) -> str:
        return text(self.cell(column))

    def when(self, column: str) -> datetime | None:
        try:
            return parse_optional_datetime(self.cell(column))
        except ValueError as e:
            self.problems.append((column, str(e)))
            return None

    def choice(self, column: str, kind: type[E], default: E | None = None) -> E | None:
        value = self.text(column)
        if not value:
            return default
        try:
            return kind(value)
        except ValueError:
            allowed = "/".join(m.value for m in kind)
            self.problems.append((column, f"“{value}”不是可选值（{allowed}）"))
            return default

    def phone(self, column: str) -> str:
        """A phone number, normalised ("138 1234 5678" → "13812345678"); "" when empty."""
        value = self.text(column)
        if not value:
            return ""
        try:
            return normalize_phone(value)
        except ValueError as e:
            self.problems.append((column, str(e)))
            return value

    def listed(self, column: str, allowed: Sequence[str], list_name: str) -> str:
        """A value that must come from one of the office's editable lists (or be empty)."""
        value = self.text(column)
        if value and value not in allowed:
            self.problems.append((column, f"“{value}”不在{list_name}中（{'、'.join(allowed)}）"))
        return value

    def need(self, column: str) -> None:
        if not self.text(column):
            self.problems.append((column, "必填，不能为空"))
