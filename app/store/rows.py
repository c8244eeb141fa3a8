"""Converting between Python values and what the database stores (local ISO-8601 text)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

E = TypeVar("E", bound=Enum)


def dt_out(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(sep=" ", timespec="minutes")


def dt_in(value: str | None) -> datetime | None:
    return None if not value else datetime.fromisoformat(value)


def dt_in_required(value: str) -> datetime:
    return datetime.fromisoformat(value)


def day_out(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def day_in(value: str | None) -> date | None:
    return None if not value else date.fromisoformat(value)


def enum_in(kind: type[E], value: Any) -> E | None:
    return None if value is None or value == "" else kind(value)


def enum_out(value: Enum | None) -> str | None:
    return None if value is None else str(value.value)
