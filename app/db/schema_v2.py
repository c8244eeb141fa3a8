"""Schema 2: an index per column the complaint list sorts by, so any sort of a large register
walks an index instead of sorting every row."""

from __future__ import annotations

SORTED_COLUMNS = (
    "complainant",
    "room",
    "category",
    "urgency",
    "validity",
    "status",
    "reply_due_at",
)

STATEMENTS: tuple[str, ...] = (
    *(f"CREATE INDEX complaints_by_{c} ON complaints ({c})" for c in SORTED_COLUMNS),
    "ANALYZE",
)
