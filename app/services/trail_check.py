"""The audit trail (审计日志) of a database file, verified for `check` and before a restore.

`app.db.audit_check.verify` does the checking; this opens the file read-only, gives the
connection the trail's SQL functions and reads in one transaction, so a database the office
is writing to is judged on one snapshot. About 20 s for the 470,000 records of the
benchmark estate (bench/make_estate.py, 760 MB).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from app.db import audit, audit_check
from app.db.audit_check import AuditReport
from app.db.backup_files import Stop, open_read_only, stoppable
from app.db.schema_v4 import TRAIL_SINCE


def trail_report(conn: sqlite3.Connection) -> AuditReport | None:
    """The audit trail verified in one read transaction; None for a database from before the
    trail (schema 3 and older). Registers the trail's SQL functions on `conn`."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version < TRAIL_SINCE:
        return None
    if not audit.has_trail(conn):
        return AuditReport(problems=["整个审计日志（audit_log 表）不见了"])
    audit.register_functions(conn)
    conn.execute("BEGIN")
    try:
        return audit_check.verify(conn)
    finally:
        conn.execute("COMMIT")


def trail_warnings(path: Path, stop: Stop | None = None) -> tuple[str, ...]:
    """Lines warning that the audit trail of the backup `path` does not verify; none when it
    does, or when the backup is from before the trail. (`stop` ends the reading early: the
    caller, who asked for it, ignores the lines.)"""
    try:
        with closing(open_read_only(path)) as conn:
            stoppable(conn, stop)
            report = trail_report(conn)
    except sqlite3.Error as e:
        return (f"警告：此备份的审计日志无法检查（{e}）",)
    if report is None or report.ok:
        return ()
    head, *rest = report.lines()
    return (
        f"警告：此备份的{head}",
        *rest,
        "恢复后这些问题仍在数据库中，“检查”会继续报告它们；请查明原因。",
    )
