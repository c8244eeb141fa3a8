"""A start reads the database file once: the guard's health check is handed to the recovery
(`recover_corrupt(..., health=guard.health)`) instead of a second quick_check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.db import audit
from app.db.guard import CleanShutdownMarker, open_guard
from app.paths import DataDir
from app.services import Services
from app.services.backups import recover_corrupt
from tests.conftest import NOW
from tests.unit.test_backups import register
from tests.unit.test_guard import hide_rows_from_index


@pytest.fixture
def checks_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every quick_check / integrity_check any connection runs from here on."""
    seen: list[str] = []
    real = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real(*args, **kwargs)  # type: ignore[arg-type]
        conn.set_trace_callback(lambda sql: seen.append(sql) if "_check" in sql else None)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return seen


def closed_with_a_backup(services: Services) -> DataDir:
    register(services, 2)
    services.backups.backup_now()
    services.close()
    return services.data_dir


def test_a_normal_start_checks_the_file_once(services: Services, checks_run: list[str]) -> None:
    data_dir = closed_with_a_backup(services)
    checks_run.clear()  # the backup's own checks
    guard = open_guard(data_dir.root, data_dir.database)
    try:
        report = recover_corrupt(data_dir, NOW, health=guard.health)
    finally:
        guard.close()
    assert report.state == "ok" and not report.needs_attention
    assert checks_run == ["PRAGMA quick_check"]


def test_without_the_guards_health_the_recovery_checks_again(
    services: Services, checks_run: list[str]
) -> None:
    data_dir = closed_with_a_backup(services)
    checks_run.clear()
    guard = open_guard(data_dir.root, data_dir.database)
    try:
        assert recover_corrupt(data_dir, NOW).state == "ok"  # the old call still works
    finally:
        guard.close()
    assert checks_run == ["PRAGMA quick_check", "PRAGMA quick_check"]


def test_damage_only_the_full_check_finds_is_recovered_from(services: Services) -> None:
    data_dir = closed_with_a_backup(services)
    hide_rows_from_index(data_dir.database)  # quick_check misses it, integrity_check does not
    CleanShutdownMarker(data_dir.root).write()  # the last run was cut short
    guard = open_guard(data_dir.root, data_dir.database)
    try:
        assert guard.health.full_check
        report = recover_corrupt(data_dir, NOW, health=guard.health)
    finally:
        guard.close()
    assert report.state == "corrupt" and report.needs_attention
    assert report.problem == (
        "完整性检查未通过：row 1 missing from index t_a；row 2 missing from index t_a"
    )
    assert report.set_aside is not None and report.set_aside.parent.name == "corrupt"
    assert report.offer is not None and report.offer.counts["complaints"] == 2


def test_records_pointing_at_missing_ones_are_not_damage(services: Services) -> None:
    data_dir = closed_with_a_backup(services)
    conn = sqlite3.connect(data_dir.database, isolation_level=None)
    audit.register_functions(conn)
    conn.execute(
        "INSERT INTO complaint_past_visits (complaint_id, visited_at, visitor, method, opinion) "
        "VALUES (999, '2026-11-20 10:00', '周敏', '电话', '满意')"
    )
    conn.close()
    CleanShutdownMarker(data_dir.root).write()
    guard = open_guard(data_dir.root, data_dir.database)
    try:
        assert not guard.health.ok and guard.health.damage == ""
        report = recover_corrupt(data_dir, NOW, health=guard.health)
    finally:
        guard.close()
    assert report.state == "ok" and data_dir.database.exists()


def test_a_file_that_is_not_a_database_is_set_aside_with_the_guards_words(
    services: Services,
) -> None:
    data_dir = closed_with_a_backup(services)
    data_dir.database.write_bytes(b"not a database, a spreadsheet" * 200)
    for side in ("-wal", "-shm"):
        Path(f"{data_dir.database}{side}").unlink(missing_ok=True)
    guard = open_guard(data_dir.root, data_dir.database)
    try:
        report = recover_corrupt(data_dir, NOW, health=guard.health)
    finally:
        guard.close()
    assert report.state == "corrupt"
    assert report.problem.startswith("无法作为数据库打开（file is not a database")
    assert report.problem == guard.health.damage


def test_an_empty_file_where_backups_exist_is_still_corrupt_with_a_sound_health(
    services: Services,
) -> None:
    data_dir = closed_with_a_backup(services)
    data_dir.database.write_bytes(b"")
    guard = open_guard(data_dir.root, data_dir.database)
    try:
        assert guard.health.ok  # SQLite reads an empty file as an empty database
        report = recover_corrupt(data_dir, NOW, health=guard.health)
    finally:
        guard.close()
    assert report.state == "corrupt" and "0 字节" in report.problem
