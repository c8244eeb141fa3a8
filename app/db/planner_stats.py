"""SQLite's planner statistics (sqlite_stat1), kept away from the full-text indexes' own tables.

The search indexes (complaint_search, repair_search) keep their data in ordinary tables that
FTS5 reads and writes with its own statements. Statistics taken while such a table was nearly
empty ("2 rows" for complaint_search_data, when the index had just been made) are never
renewed, because `PRAGMA optimize` only re-analyses tables that have indexes of their own. On
the benchmark's 10-year estate that one stale line made every 16th save wait 0.8–2 s while
FTS5 merged its segments; without it a save's p95 is under 2 ms. Without statistics SQLite
plans those statements from the tables' shape, which is what FTS5 expects.
"""

from __future__ import annotations

import sqlite3

SEARCH_TABLES = "*_search_*"  # the FTS5 shadow tables: *_search_data, *_search_idx, …


def forget_search_statistics(conn: sqlite3.Connection) -> int:
    """Delete sqlite_stat1's lines about the search indexes' tables and have the planner
    reread the statistics; how many lines there were."""
    has_stats = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).fetchone()
    if not has_stats:
        return 0
    where = "FROM sqlite_stat1 WHERE tbl GLOB ?"
    found = int(conn.execute(f"SELECT count(*) {where}", (SEARCH_TABLES,)).fetchone()[0])
    if found:  # usually none: then nothing is written at open or close
        conn.execute(f"DELETE {where}", (SEARCH_TABLES,))
        conn.execute("ANALYZE sqlite_schema")  # reread: the planner drops what it had loaded
    return found
