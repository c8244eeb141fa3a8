"""The rule every register applies to a 房号: once the office keeps a household register, a
room must be one of its rooms (a public place goes in the location field instead)."""

from __future__ import annotations

from app.domain.errors import FieldError
from app.store.reference import ReferenceStore


def room_error(households: ReferenceStore, room: str) -> FieldError | None:
    if not room or households.household_count() == 0:
        return None
    if households.household(room) is None:
        return FieldError("room", f"房号 {room} 不在住户登记中，请从列表中选择")
    return None
