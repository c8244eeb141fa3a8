"""`check` verifies the audit trail (审计日志); restoring a backup whose trail is broken is allowed,
with a warning before and after."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

import app.services
from app.cli import main
from app.db import audit
from app.paths import DataDir
from app.services import Services
from app.services import restore as restore_module
from app.services.backups import BackupService, check_database, restore_file
from tests.accounts_support import FAST_HASHER
from tests.conftest import NOW, FakeClock
from tests.unit.test_backups import register

ROW_CHANGED = "complaints 第 2 行与审计日志不符（在程序之外改动）"


def tamper(database: Path) -> None:
    """What someone with a SQLite tool might do: silence the trigger, change a complaint."""
    with closing(sqlite3.connect(database, isolation_level=None)) as conn:
        conn.execute("DROP TRIGGER audit_complaints_update")
        conn.execute("UPDATE complaints SET content = '已处理（改过）' WHERE rowid = 2")


def entries(database: Path) -> tuple[int, int]:
    """The trail's entries, and the rows of every table it covers."""
    with closing(sqlite3.connect(database)) as conn:
        count = int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])
        tables = audit.audited_tables(conn)
        rows = sum(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
    return count, rows


@pytest.fixture
def backups(services: Services) -> BackupService:
    return services.backups


def test_an_untouched_database_reports_the_trail_ok_with_its_entry_count(
    services: Services, backups: BackupService
) -> None:
    register(services, 3)
    backups.backup_now()
    report = backups.check()
    count, rows = entries(services.data_dir.database)
    assert report.ok, report.lines()
    assert count > 3 and rows > 3
    assert f"审计日志完整：{count} 条记录，{rows} 行数据与日志一致" in report.lines()


def test_a_row_changed_outside_the_app_fails_the_check_and_is_named(
    services: Services, backups: BackupService
) -> None:
    register(services, 3)
    backups.backup_now()
    tamper(services.data_dir.database)
    report = backups.check()
    assert not report.ok
    lines = report.lines()
    assert f"问题：审计日志：{ROW_CHANGED}" in lines
    assert "问题：审计日志：触发器 audit_complaints_update 不见了" in lines
    assert any("可能有人在程序之外改动了数据库" in line for line in lines)
    assert lines[-1] == "发现 2 个问题"


def test_the_check_of_a_closed_database_verifies_the_trail_too(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    register(services, 3)
    backups.backup_now()
    services.close()
    tamper(services.data_dir.database)
    report = check_database(services.data_dir, clock.now)
    assert not report.ok and f"审计日志：{ROW_CHANGED}" in report.problems


def test_a_database_from_before_the_trail_is_checked_without_one(
    data_dir: DataDir, tmp_path: Path
) -> None:
    old = tmp_path / "estate-20240101-120000-manual.db"
    old.write_bytes((Path(__file__).parents[1] / "fixtures" / "schema_v1.db").read_bytes())
    restore_file(data_dir, old, NOW)
    report = check_database(data_dir, NOW)
    assert "审计日志：数据库版本 1 尚无审计日志，升级后开始记录" in report.facts
    assert not any("审计日志" in p for p in report.problems)


# ----- restoring a backup whose trail is broken


def tampered_backup(services: Services, backups: BackupService, clock: FakeClock) -> Path:
    """A backup taken after someone changed a complaint behind the app's back."""
    register(services, 3)
    tamper(services.data_dir.database)
    clock.now += timedelta(minutes=1)
    return backups.backup_now().path  # a copy is verified by integrity and counts: it passes


def test_the_restore_page_is_warned_before_restoring_a_backup_with_a_broken_trail(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    path = tampered_backup(services, backups, clock)
    info = backups.verify(path)
    assert info.notes[0] == ("警告：此备份的审计日志发现问题（可能有人在程序之外改动了数据库）：")
    assert f"  - {ROW_CHANGED}" in info.notes
    assert info.notes[-1] == "恢复后这些问题仍在数据库中，“检查”会继续报告它们；请查明原因。"


def test_a_backup_with_a_broken_trail_is_restored_with_the_warning_and_check_still_fails(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    path = tampered_backup(services, backups, clock)
    register(services)  # the live trail is broken as well, so make the files differ
    services.close()
    result = backups.restore(path)
    lines = result.lines()
    assert lines[0].startswith("已从备份恢复")
    assert lines[1].startswith("警告：此备份的审计日志发现问题")
    assert f"  - {ROW_CHANGED}" in lines
    assert counts_of_complaints(services.data_dir.database) == 3
    report = check_database(services.data_dir, clock.now)
    assert not report.ok and f"审计日志：{ROW_CHANGED}" in report.problems


def test_a_backup_with_a_sound_trail_restores_without_a_warning(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    register(services, 2)
    path = backups.backup_now().path
    assert backups.verify(path).notes == ()
    services.close()
    result = backups.restore(path)
    assert not any("审计日志" in line for line in result.lines())
    # who restored which backup is the restored trail's last entry, and the trail still holds
    with closing(sqlite3.connect(result.database)) as conn:
        last = conn.execute(
            "SELECT actor, action, changes FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    assert last[0] == services.session.name and last[1] == "restore" and path.name in last[2]
    assert check_database(services.data_dir, clock.now).ok


def counts_of_complaints(database: Path) -> int:
    with closing(sqlite3.connect(database)) as conn:
        return int(conn.execute("SELECT count(*) FROM complaints").fetchone()[0])


def test_a_trail_checked_before_restoring_is_not_read_again(
    services: Services, backups: BackupService, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tampered_backup(services, backups, clock)
    warned = backups.verify(path).notes  # the trail's lines only: no other notes here
    register(services)
    services.close()

    def read_again(path: Path) -> tuple[str, ...]:
        raise AssertionError(f"the trail of {path} was read twice")

    monkeypatch.setattr(restore_module, "trail_warnings", read_again)
    result = backups.restore(path)
    assert result.trail == warned and warned[0].startswith("警告")


def test_the_check_command_exits_non_zero_naming_the_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str) -> int:
        return main(["--data-dir", str(tmp_path / "data"), *args])

    monkeypatch.setattr(app.services, "PasswordHasher", lambda: FAST_HASHER)
    monkeypatch.setenv("ESTATE_OFFICE_PASSWORD", "office-pass-1")
    assert run("setup", "--admin", "王主任", "--role", "manager") == 0
    monkeypatch.setenv("ESTATE_OFFICE_USER", "王主任")
    rows = tmp_path / "in.csv"
    rows.write_text(
        "登记时间,投诉人,房号,投诉内容,紧急程度\n"
        "2026-11-20 09:30,张三,3-2-1201,电梯漏水,紧急\n"
        "2026-11-20 09:40,李四,3-2-1202,楼道灯不亮,不紧急\n",
        encoding="utf-8-sig",
    )
    assert run("import", "complaints", str(rows)) == 0
    capsys.readouterr()
    assert run("check") == 0
    assert "审计日志完整：" in capsys.readouterr().out
    tamper(tmp_path / "data" / "estate.db")
    assert run("check") == 1
    out = capsys.readouterr().out
    assert f"问题：审计日志：{ROW_CHANGED}" in out.splitlines()


def test_a_trail_deleted_as_a_whole_fails_the_check(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    register(services, 2)
    backups.backup_now()
    services.close()
    with closing(sqlite3.connect(services.data_dir.database, isolation_level=None)) as conn:
        conn.execute("DROP TABLE audit_log")
    report = check_database(services.data_dir, clock.now)
    assert not report.ok
    assert "审计日志：整个审计日志（audit_log 表）不见了" in report.problems
