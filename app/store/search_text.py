"""Substring search for Chinese text through an FTS5 index of overlapping character pairs.

Chinese has no spaces, and a clerk searches for two-character words (电梯, 漏水) as often as
longer ones. Each run of letters/digits is indexed as its overlapping bigrams followed by its
last character ("电梯漏水" → "电梯 梯漏 漏水 水"). A query of n ≥ 2 characters becomes the FTS5
phrase of its n−1 bigrams, which matches exactly the texts containing it as a substring; a
single character becomes a prefix query. The trailing single character keeps runs apart, so a
phrase never matches across a gap.
"""

from __future__ import annotations

import re
from datetime import datetime

_RUN = re.compile(r"[^\W_]+")

# The index's rowid is the record's search key: its receipt minute (since 1900) in the high
# bits and its id in the low 32, so the index hands back hits already in the list's default
# order (newest first) with no lookup or sort, and a date range is a rowid range.
ID_BITS = 32
ID_MASK = (1 << ID_BITS) - 1
_EPOCH = datetime(1900, 1, 1)


def search_key(received_at: datetime, record_id: int) -> int:
    minutes = int((received_at - _EPOCH).total_seconds()) // 60
    return (minutes << ID_BITS) | record_id


def _runs(text: str) -> list[str]:
    return _RUN.findall(text.casefold())


def index_text(*parts: str) -> str:
    """The text stored in the FTS5 body column for a record made of these parts."""
    tokens: list[str] = []
    for part in parts:
        for run in _runs(part or ""):
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
            tokens.append(run[-1])
    return " ".join(tokens)


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what the user typed; None when it has nothing to find.

    Words separated by spaces must all occur (AND).
    """
    clauses: list[str] = []
    for run in _runs(query):
        if len(run) == 1:
            clauses.append(f'"{run}"*')
        else:
            bigrams = " ".join(run[i : i + 2] for i in range(len(run) - 1))
            clauses.append(f'"{bigrams}"')
    return " AND ".join(clauses) if clauses else None
