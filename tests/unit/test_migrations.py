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


def test_the_search_key_migration_matches_the_store(tmp_path: Path) -> None:
    from datetime import datetime

    from app.db.schema_v2 import SQL_KEY
    from app.store.search_text import search_key

    conn = sqlite3.connect(":memory:")
    for when, record_id in [
        (datetime(2026, 11, 22, 9, 30), 1),
        (datetime(1999, 12, 31, 23, 59), 4_000_000_000),
        (datetime(2000, 2, 29, 0, 0), 77),
        (datetime(2100, 1, 1, 0, 1), 5),
    ]:
        sql = SQL_KEY.format(received="?", id="?")
        stored = when.isoformat(sep=" ", timespec="minutes")
        assert conn.execute(f"SELECT {sql}", (stored, record_id)).fetchone()[0] == search_key(
            when, record_id
        )


def test_search_works_after_upgrading_the_v1_fixture(tmp_path: Path) -> None:
    from datetime import datetime

    from app.domain.listing import ComplaintFilter, Sort
    from app.store.complaints import ComplaintStore

    path = tmp_path / "estate.db"
    shutil.copy(FIXTURES / "schema_v1.db", path)
    db = open_database(path)
    store = ComplaintStore(db)
    now = datetime(2026, 11, 22, 10, 0)
    found = store.list_ids(ComplaintFilter(text="外墙渗水"), Sort(), now)
    assert [store.get(i).content for i in found] == ["外墙渗水，雨天更严重"]
    everything = list(store.list_ids(ComplaintFilter(text="栋"), Sort(), now))
    received = [store.get(i).received_at for i in everything]
    assert len(everything) > 5 and received == sorted(received, reverse=True)
    db.close()
