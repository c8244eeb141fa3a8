"""The audit trail: who changed what, personal values kept apart, the step log append-only, a
baseline for the rows from before the trail, and `estate-office check` failing after tampering
(tests/unit/test_audit_tampering.py covers each kind of tampering)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

import app.services
from app.cli import main
from app.db import audit
from app.db.audit_check import verify
from app.db.connection import open_database
from app.domain.access import Role
from app.domain.complaint import Complaint, Urgency, Validity
from app.paths import DataDir
from app.services import Services
from app.store.audit_trail import AuditTrail
from tests.accounts_support import FAST_HASHER, PASSWORD, TESTER, open_signed_in, signed_in

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RECEIVED = datetime(2026, 11, 20, 9, 30)
PHONE, NEW_PHONE = "13812345678", "13900001111"


def register_correct_judge(s: Services) -> int:
    """前台甲 registers and corrects a complaint, 王主管 judges it; its id."""
    signed_in(s, frozenset({Role.CLERK}), name="前台甲")
    c = s.complaints.register(
        Complaint(
            received_at=RECEIVED,
            content="厨房漏水",
            urgency=Urgency.URGENT,
            complainant="张三丰",
            phone=PHONE,
        )
    )
    s.complaints.correct_intake(
        dataclasses.replace(c, content="厨房漏水，楼下也湿", phone=NEW_PHONE)
    )
    signed_in(s, frozenset({Role.HANDLER}), name="王主管")
    s.complaints.judge(c.id or 0, Validity.VALID, handler="王主管")
    return c.id or 0


def raw(path: Path) -> sqlite3.Connection:
    """The tamperer's connection: plain sqlite3, none of the app's functions."""
    return sqlite3.connect(path, isolation_level=None)


def drop_triggers(conn: sqlite3.Connection, like: str) -> list[str]:
    names = [
        n
        for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?", (like,)
        )
    ]
    for name in names:
        conn.execute(f"DROP TRIGGER {name}")
    return names


# ----- what the trail records


def test_each_change_is_recorded_with_its_user_and_old_and_new_values(services: Services) -> None:
    complaint_id = register_correct_judge(services)
    history = AuditTrail(services.database).history("complaints", complaint_id)
    assert [(h.action, h.actor) for h in history] == [
        ("insert", "前台甲"),
        ("update", "前台甲"),
        ("update", "王主管"),
    ]
    corrected = {c.column: (c.old, c.new) for c in history[1].changes}
    assert corrected == {  # only what changed; the personal value read from audit_personal
        "content": ("厨房漏水", "厨房漏水，楼下也湿"),
        "phone": (PHONE, NEW_PHONE),
    }
    judged = {c.column: c.new for c in history[2].changes}
    assert judged["validity"] == Validity.VALID.value and judged["handler"] == "王主管"
    assert services.complaints.trail.creator("complaints", complaint_id) == "前台甲"
    assert verify(services.database.conn).ok


def test_personal_values_are_kept_only_in_the_erasable_table(services: Services) -> None:
    complaint_id = register_correct_judge(services)
    conn = services.database.conn
    logged = " ".join(
        str(v) for row in conn.execute("SELECT * FROM audit_log").fetchall() for v in row
    )
    for personal in ("张三丰", PHONE, NEW_PHONE):
        assert personal not in logged
    entries = conn.execute(
        "SELECT changes FROM audit_log WHERE record_type = 'complaints' AND record_id = ? "
        "ORDER BY seq",
        (complaint_id,),
    ).fetchall()
    inserted, corrected = json.loads(entries[0][0]), json.loads(entries[1][0])
    assert inserted["complainant"] is None and corrected["phone"] is None  # changed, value apart
    kept = conn.execute(
        "SELECT field, old, new FROM audit_personal WHERE record_id = ? ORDER BY id",
        (complaint_id,),
    ).fetchall()
    assert kept == [
        ("complainant", None, "张三丰"),
        ("phone", None, PHONE),
        ("phone", PHONE, NEW_PHONE),
    ]


def test_a_password_hash_never_reaches_the_trail(services: Services) -> None:
    stored = services.accounts.store.password_hash(services.session.user.id)  # type: ignore[union-attr]
    conn = services.database.conn
    dump = " ".join(str(v) for t in ("audit_log", "audit_personal")
                    for row in conn.execute(f"SELECT * FROM {t}") for v in row)  # fmt: skip
    assert stored.startswith("$argon2id$") and stored not in dump and "$argon2" not in dump


def test_insert_or_replace_is_logged_as_delete_and_insert(services: Services) -> None:
    db = services.database
    with db.transaction() as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('office_name', '甲')")
    with db.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('office_name', '乙')")
    actions = db.query(
        "SELECT action, changes FROM audit_log WHERE record_type = 'settings' "
        "ORDER BY seq DESC LIMIT 2"
    )
    assert [a["action"] for a in actions] == ["insert", "delete"]
    assert json.loads(actions[0]["changes"])["value"] == [None, "乙"]
    assert verify(db.conn).ok


def test_the_step_log_refuses_changes_and_deletions(services: Services) -> None:
    register_correct_judge(services)
    conn = services.database.conn
    with pytest.raises(sqlite3.DatabaseError, match="处理记录只能追加，不能修改"):
        conn.execute("UPDATE record_events SET actor = '别人'")
    with pytest.raises(sqlite3.DatabaseError, match="处理记录只能追加，不能删除"):
        conn.execute("DELETE FROM record_events")
    assert conn.execute("SELECT count(*) FROM record_events").fetchone()[0] >= 3


# ----- rows from before the trail


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_v*.db")), ids=lambda p: p.stem)
def test_upgrading_an_old_database_vouches_for_every_existing_row(
    tmp_path: Path, fixture: Path
) -> None:
    path = tmp_path / "estate.db"
    shutil.copy(fixture, path)
    db = open_database(path)
    try:
        conn = db.conn
        tables = audit.audited_tables(conn)
        rows = sum(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
        baseline = conn.execute(
            "SELECT count(*), count(DISTINCT record_type || record_id), min(actor), max(actor) "
            "FROM audit_log WHERE action = 'baseline'"
        ).fetchone()
        assert rows > 100 and baseline == (rows, rows, "系统升级", "系统升级")
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == rows
        report = verify(conn)
        assert report.ok and report.rows == rows and report.entries == rows
    finally:
        db.close()


def test_every_record_of_the_v3_fixture_opens_after_upgrading(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "schema_v3.db", tmp_path / "estate.db")
    s = open_signed_in(DataDir(tmp_path))
    try:
        ids = [r["id"] for r in s.database.query("SELECT id FROM repairs ORDER BY id")]
        tickets = [s.repairs.get(i) for i in ids]
        assert [t.status.value for t in tickets] == [
            "待派工",
            "已派工",
            "已派工",
            "待验收",
            "已关闭",
        ]
        assert tickets[2].not_home and tickets[4].past_visits and tickets[4].charges
        assert s.repair_reference.categories() == ["给排水", "电气", "门窗", "电梯", "其他"]
        complaints = s.database.query("SELECT id FROM complaints")
        assert all(s.complaints.get(r["id"]).no for r in complaints)
        assert verify(s.database.conn).ok
    finally:
        s.close()


# ----- the check command


def test_estate_office_check_fails_after_tampering(
    services: Services, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    complaint_id = register_correct_judge(services)
    services.accounts.sign_in(TESTER, PASSWORD)
    services.backups.backup_now()  # check also wants a backup
    services.close()
    monkeypatch.setattr(app.services, "PasswordHasher", lambda: FAST_HASHER)
    monkeypatch.setenv("ESTATE_OFFICE_USER", TESTER)
    monkeypatch.setenv("ESTATE_OFFICE_PASSWORD", PASSWORD)
    command = ["--data-dir", str(services.data_dir.root), "check"]
    assert main(command) == 0, capsys.readouterr()
    conn = raw(services.data_dir.database)
    drop_triggers(conn, "audit_complaints_%")
    conn.execute("UPDATE complaints SET content = '没有漏水' WHERE id = ?", (complaint_id,))
    conn.close()
    assert main(command) != 0
    assert f"complaints 第 {complaint_id} 行与审计日志不符" in capsys.readouterr().out
