"""The search indexes' tables carry no planner statistics: stale ones made saves stall."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from app.db.connection import open_database

STALE = [("complaint_search_data", None, "2"), ("repair_search_idx", "repair_search_idx", "9 9 1")]
KEPT = ("complaints", "complaints_by_status", "300 60")


def search_stats(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT tbl, stat FROM sqlite_stat1 ORDER BY tbl").fetchall()
    return [r for r in rows if "_search_" in r[0]]


def test_stale_search_statistics_from_an_older_file_are_dropped_at_open(tmp_path: Path) -> None:
    path = tmp_path / "estate.db"
    open_database(path).close()
    with closing(sqlite3.connect(path)) as conn:  # as an older version's ANALYZE left them
        conn.execute("ANALYZE")
        conn.executemany("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", [*STALE, KEPT])
        conn.commit()
    assert ("complaint_search_data", "2") in search_stats(path)
    database = open_database(path)
    try:
        planned = database.conn.execute(
            "SELECT count(*) FROM sqlite_stat1 WHERE tbl GLOB '*_search_*'"
        ).fetchone()[0]
        assert planned == 0
        kept = database.conn.execute("SELECT * FROM sqlite_stat1 WHERE tbl = 'complaints'")
        assert kept.fetchall() == [KEPT]  # the registers' own statistics stay
    finally:
        database.close()
    assert search_stats(path) == []


def test_closing_after_many_writes_leaves_the_search_tables_unanalysed(services) -> None:
    from datetime import datetime

    from app.domain.complaint import Complaint, Urgency

    for i in range(30):
        services.complaints.register(
            Complaint(
                complainant=f"业主{i}",
                room="3-2-1201",
                content="电梯停运，请尽快处理",
                received_at=datetime(2026, 11, 20, 9, i),
                urgency=Urgency.NOT_URGENT,
            )
        )
    path = services.data_dir.database
    services.database.conn.execute("ANALYZE")  # whatever analysed them while running
    services.close()
    assert search_stats(path) == []
