"""Tampering with the database outside the app, and what the audit check finds.

A tamperer here uses a plain sqlite3 connection to the file. The triggers call functions such a
connection lacks, so they either drop the triggers first or register look-alike functions: the
first is reported by the check, the second writes its change into the trail like any other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db import audit
from app.db.audit_check import AuditReport, verify
from app.db.connection import Database
from app.services import Services
from app.store.audit_trail import AuditTrail
from tests.unit.test_audit_trail import drop_triggers, raw, register_correct_judge


@pytest.fixture
def office(services: Services) -> Iterator[tuple[Path, int]]:
    """A closed data folder's database holding one judged complaint, and that complaint's id."""
    complaint_id = register_correct_judge(services)
    services.close()
    yield services.data_dir.database, complaint_id


def check(path: Path) -> AuditReport:
    db = Database(path)  # the app's connection, without migrating
    try:
        return verify(db.conn)
    finally:
        db.close()


def test_without_the_apps_functions_a_plain_connection_cannot_change_a_row(
    office: tuple[Path, int],
) -> None:
    path, complaint_id = office
    conn = raw(path)
    with pytest.raises(sqlite3.OperationalError, match="no such function: audit_"):
        conn.execute("UPDATE complaints SET content = '改' WHERE id = ?", (complaint_id,))
    conn.close()
    assert check(path).ok


def test_a_row_changed_with_the_triggers_dropped_is_reported(office: tuple[Path, int]) -> None:
    path, complaint_id = office
    conn = raw(path)
    dropped = drop_triggers(conn, "audit_complaints_%")
    conn.execute("UPDATE complaints SET content = '没有漏水' WHERE id = ?", (complaint_id,))
    conn.close()
    report = check(path)
    assert f"complaints 第 {complaint_id} 行与审计日志不符（在程序之外改动）" in report.problems
    assert sorted(dropped) == [f"audit_complaints_{e}" for e in ("delete", "insert", "update")]
    for name in dropped:
        assert f"触发器 {name} 不见了" in report.problems
    assert not report.ok and "可能有人在程序之外改动了数据库" in report.lines()[0]


def test_putting_the_triggers_back_afterwards_does_not_hide_the_change(
    office: tuple[Path, int],
) -> None:
    path, complaint_id = office
    conn = raw(path)
    drop_triggers(conn, "audit_complaints_%")
    conn.execute("UPDATE complaints SET content = '没有漏水' WHERE id = ?", (complaint_id,))
    for sql in audit.trigger_sql(conn, "complaints").values():
        conn.execute(sql)
    conn.close()
    assert check(path).problems == [
        f"complaints 第 {complaint_id} 行与审计日志不符（在程序之外改动）"
    ]


def test_a_change_through_look_alike_functions_is_written_into_the_trail(
    office: tuple[Path, int],
) -> None:
    path, complaint_id = office
    conn = raw(path)
    audit.register_functions(conn, actor=lambda: "x")
    conn.execute("UPDATE complaints SET content = '没有漏水' WHERE id = ?", (complaint_id,))
    conn.close()
    assert check(path).ok  # nothing hidden: the trail holds the change and who made it
    db = Database(path)
    last = AuditTrail(db).history("complaints", complaint_id)[-1]
    db.close()
    assert (last.actor, last.action) == ("x", "update")
    assert [(c.column, c.old, c.new) for c in last.changes] == [
        ("content", "厨房漏水，楼下也湿", "没有漏水")
    ]


@pytest.mark.parametrize("verb", ["UPDATE", "DELETE"])
def test_the_trail_refuses_changes_and_deletions(office: tuple[Path, int], verb: str) -> None:
    path, _ = office
    conn = raw(path)
    sql = {"UPDATE": "UPDATE audit_log SET actor = '别人'", "DELETE": "DELETE FROM audit_log"}
    what = {"UPDATE": "修改", "DELETE": "删除"}[verb]
    with pytest.raises(sqlite3.DatabaseError, match=f"审计日志只能追加，不能{what}"):
        conn.execute(sql[verb] + " WHERE seq = (SELECT max(seq) FROM audit_log)")
    conn.close()
    assert check(path).ok


def test_an_edited_entry_breaks_the_chain_at_its_number(office: tuple[Path, int]) -> None:
    path, complaint_id = office
    conn = raw(path)
    drop_triggers(conn, "audit_log_no_%")
    seq = conn.execute(
        "SELECT min(seq) FROM audit_log WHERE record_type = 'complaints' AND action = 'update'"
    ).fetchone()[0]
    conn.execute(
        "UPDATE audit_log SET changes = json_set(changes, '$.content[1]', '厨房漏水') "
        "WHERE seq = ?",
        (seq,),
    )
    conn.close()
    report = check(path)
    assert f"审计日志第 {seq} 条与前后不符（被改动、删除或插入过）" in report.problems
    assert "触发器 audit_log_no_update 不见了" in report.problems


def test_deleting_the_last_entry_leaves_the_row_it_vouched_for_unmatched(
    office: tuple[Path, int],
) -> None:
    path, complaint_id = office
    conn = raw(path)
    drop_triggers(conn, "audit_log_no_%")
    last = conn.execute(
        "SELECT record_type, record_id FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert last == ("complaints", complaint_id)  # the judgement
    conn.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    for name, sql in audit.GUARD_TRIGGERS.items():
        if name.startswith("audit_log"):
            conn.execute(sql)  # and the guards put back, to hide it
    conn.close()
    assert check(path).problems == [
        f"complaints 第 {complaint_id} 行与审计日志不符（在程序之外改动）"
    ]


def test_a_row_deleted_with_the_triggers_dropped_is_reported_gone(
    office: tuple[Path, int],
) -> None:
    path, complaint_id = office
    conn = raw(path)
    drop_triggers(conn, "audit_complaints_%")
    drop_triggers(conn, "complaints_no_delete")
    conn.execute("DELETE FROM complaints WHERE id = ?", (complaint_id,))
    conn.close()
    assert f"complaints 第 {complaint_id} 行不见了（在程序之外删除）" in check(path).problems


def test_a_register_refuses_to_delete_a_record(office: tuple[Path, int]) -> None:
    """Nothing inside its retention period is deleted: a record is voided instead, even by
    a connection that has the trail's functions."""
    path, complaint_id = office
    conn = raw(path)
    audit.register_functions(conn)
    with pytest.raises(sqlite3.IntegrityError, match="登记的记录不能删除，只能作废"):
        conn.execute("DELETE FROM complaints WHERE id = ?", (complaint_id,))
    conn.close()
    assert check(path).ok
    for table in ("complaints", "repairs", "transfer_sheets", "work_notices"):
        assert f"{table}_no_delete" in audit.GUARD_TRIGGERS


def test_a_row_added_with_the_triggers_dropped_is_reported(office: tuple[Path, int]) -> None:
    path, _ = office
    conn = raw(path)
    drop_triggers(conn, "audit_departments_%")
    conn.execute("INSERT INTO departments (name) VALUES ('影子部门')")
    rowid = conn.execute("SELECT max(rowid) FROM departments").fetchone()[0]
    conn.close()
    assert f"departments 第 {rowid} 行没有审计记录（在程序之外添加）" in check(path).problems
