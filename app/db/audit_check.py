"""Verifying the audit trail (`estate-office check`): the chain is unbroken, every trigger is in
place as the app wrote it, and every row of every audited table is as its latest entry says."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from app.db import audit

SHOWN_PER_KIND = 20
"""How many problems of one kind are named before the rest are only counted."""


@dataclass
class AuditReport:
    entries: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    more: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, found: list[str]) -> None:
        self.problems += found[:SHOWN_PER_KIND]
        self.more += max(0, len(found) - SHOWN_PER_KIND)

    def lines(self) -> list[str]:
        if self.ok:
            return [f"审计日志完整：{self.entries} 条记录，{self.rows} 行数据与日志一致"]
        out = ["审计日志发现问题（可能有人在程序之外改动了数据库）："]
        out += [f"  - {p}" for p in self.problems]
        if self.more:
            out.append(f"  - 另有 {self.more} 处同类问题未列出")
        return out


def verify(conn: sqlite3.Connection) -> AuditReport:
    """Check the trail on a connection that has the trail's functions registered."""
    report = AuditReport()
    report.add(_trigger_problems(conn))
    entries, chain = _chain_problems(conn)
    report.entries = entries
    report.add(chain)
    for table in audit.audited_tables(conn):
        count, found = _row_problems(conn, table)
        report.rows += count
        report.add(found)
    return report


def _trigger_problems(conn: sqlite3.Connection) -> list[str]:
    present = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    found = []
    for name, sql in audit.expected_triggers(conn).items():
        if name not in present:
            found.append(f"触发器 {name} 不见了")
        elif present[name] != sql:
            found.append(f"触发器 {name} 被改动过")
    return found


def _chain_problems(conn: sqlite3.Connection) -> tuple[int, list[str]]:
    found = []
    prev = b""
    count = 0
    cur = conn.execute(
        "SELECT seq, at, actor, action, record_type, record_id, changes, row_hash, hash "
        "FROM audit_log ORDER BY seq"
    )
    while batch := cur.fetchmany(5000):
        for seq, at, actor, action, subject, record_id, changes, row, digest in batch:
            count += 1
            expected = audit.chain_hash(prev, at, actor, action, subject, record_id, changes, row)
            if digest != expected:
                found.append(f"审计日志第 {seq} 条与前后不符（被改动、删除或插入过）")
            prev = digest if isinstance(digest, bytes) else b""
    return count, found


def _row_problems(conn: sqlite3.Connection, table: str) -> tuple[int, list[str]]:
    """Rows that differ from their latest entry, and rows the trail says exist but do not."""
    actions = ", ".join(f"'{a}'" for a in audit.ROW_ACTIONS)
    latest: dict[int, tuple[str, bytes | None]] = {}
    for record_id, action, row in conn.execute(
        "SELECT record_id, action, row_hash FROM audit_log INDEXED BY audit_log_record "
        f"WHERE record_type = ? AND action IN ({actions}) ORDER BY record_id, seq",
        (table,),
    ):
        latest[record_id] = (action, row)
    expr = audit.row_json("t", audit.columns(conn, table))
    found = []
    count = 0
    cur = conn.execute(f'SELECT t.rowid, audit_row_hash({expr}) FROM "{table}" AS t')
    while batch := cur.fetchmany(5000):
        for rowid, now in batch:
            count += 1
            action, logged = latest.pop(rowid, (None, None))
            if action is None:
                found.append(f"{table} 第 {rowid} 行没有审计记录（在程序之外添加）")
            elif action == "delete" or now != logged:
                found.append(f"{table} 第 {rowid} 行与审计日志不符（在程序之外改动）")
    found += [
        f"{table} 第 {rowid} 行不见了（在程序之外删除）"
        for rowid, (action, _) in sorted(latest.items())
        if action != "delete"
    ]
    return count, found
