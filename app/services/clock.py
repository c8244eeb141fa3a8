"""The time services act at; tests pass a fixed one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Local wall-clock time, to the minute (what clerks write on paper)."""
    return datetime.now().replace(second=0, microsecond=0)
