"""Schema migrations: numbered, transactional, refusing a newer database."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from app.db import migrations
from app.db.connection import Database, open_database
from app.db.migrations import SCHEMA_VERSION, DatabaseTooNewError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_new_database_is_at_the_current_version_with_wal_and_foreign_keys(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "estate.db")
    assert migrations.current_version(db) == SCHEMA_VERSION
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA foreign_keys") == 1
    assert db.scalar("PRAGMA synchronous") == 2  # FULL
    db.close()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_v*.db")), ids=lambda p: p.name)
def test_every_old_schema_upgrades_with_its_records(tmp_path: Path, fixture: Path) -> None:
    path = tmp_path / "estate.db"
    shutil.copy(fixture, path)
    before = sqlite3.connect(path)
    counts = {
        t: before.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("complaints", "transfer_sheets", "work_notices", "households")
    }
    before.close()
    db = open_database(path)
    assert migrations.current_version(db) == SCHEMA_VERSION
    for table, count in counts.items():
        assert db.scalar(f"SELECT count(*) FROM {table}") == count
    assert db.scalar("PRAGMA integrity_check") == "ok"
    db.close()


def test_a_failing_migration_leaves_the_old_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "estate.db"
    open_database(path).close()
    broken = ("CREATE TABLE half_done (id INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError):
        open_database(path)
    db = Database(path)
    assert migrations.current_version(db) == SCHEMA_VERSION
    assert db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'") == 0
    db.close()
    backups = list((tmp_path / "backups").glob("*.db"))
    assert len(backups) == 1  # the copy taken before migrating


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "estate.db"
    db = Database(path)
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(DatabaseTooNewError, match="请安装新版程序"):
        open_database(path)
