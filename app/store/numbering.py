"""Register numbers (编号): per register and year, increasing, never reused."""

from __future__ import annotations

import re

from app.db.connection import Database


def format_no(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}{year}-{seq:05d}"


def next_no(database: Database, prefix: str, year: int, table: str) -> str:
    """Take the next number; call inside the transaction that stores the record."""
    name = f"{prefix}{year}"
    while True:
        database.conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1",
            (name,),
        )
        seq = int(database.scalar("SELECT value FROM counters WHERE name = ?", (name,)))
        no = format_no(prefix, year, seq)
        if database.scalar(f"SELECT 1 FROM {table} WHERE no = ?", (no,)) is None:
            return no


def claim_no(database: Database, prefix: str, no: str) -> None:
    """An imported number in our own pattern moves its counter past it, so it is never reissued."""
    match = re.fullmatch(rf"{re.escape(prefix)}(\d{{4}})-(\d+)", no)
    if not match:
        return
    name, seq = f"{prefix}{match.group(1)}", int(match.group(2))
    database.conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)",
        (name, seq),
    )
