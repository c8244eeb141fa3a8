"""A full or failing disk while saving: a clear message, nothing half-written, and the next save
works once space is freed. SQLite's `max_page_count` stands in for the full disk: reaching it
raises the same SQLITE_FULL ("database or disk is full") a full disk does."""

from __future__ import annotations

import errno
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import pytest

from app.db.errors import (
    DISK_FULL_MESSAGE,
    IO_ERROR_MESSAGE,
    StorageError,
    translate_storage_error,
)
from app.domain.complaint import Complaint, Urgency
from app.services import Services

FRIDAY = datetime(2026, 11, 20, 9, 30)
NO_LIMIT = 1073741823
# The few lines in Database.transaction() that raise StorageError (see errors.py).


# ----------------------------------------------------------------------------- translation


def sqlite_error(code: int, message: str) -> sqlite3.OperationalError:
    e = sqlite3.OperationalError(message)
    e.sqlite_errorcode = code  # type: ignore[attr-defined]
    return e


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sqlite_error(13, "database or disk is full"), "full"),
        (sqlite_error(10, "disk I/O error"), "io"),
        (sqlite_error(10 | (3 << 8), "disk I/O error"), "io"),  # SQLITE_IOERR_WRITE
        (sqlite3.OperationalError("database or disk is full"), "full"),  # no code: by its words
        (sqlite3.OperationalError("disk I/O error"), "io"),
        (OSError(errno.ENOSPC, "No space left on device"), "full"),
        (OSError(errno.EIO, "Input/output error"), "io"),
        (sqlite_error(5, "database is locked"), None),
        (sqlite_error(19, "UNIQUE constraint failed: complaints.no"), None),
        (sqlite3.OperationalError("no such table: x"), None),
        (OSError(errno.EACCES, "Permission denied"), None),
        (FileNotFoundError(errno.ENOENT, "No such file"), None),
        (ValueError("database or disk is full"), None),
    ],
)
def test_translate_storage_error(error: BaseException, kind: str | None) -> None:
    storage = translate_storage_error(error)
    if kind is None:
        assert storage is None
        return
    assert storage is not None and storage.kind == kind
    assert str(storage) == (DISK_FULL_MESSAGE if kind == "full" else IO_ERROR_MESSAGE)
    assert storage.detail == str(error)
    assert translate_storage_error(storage) is storage


def test_messages_say_nothing_was_saved_and_the_form_keeps_its_input() -> None:
    assert DISK_FULL_MESSAGE == (
        "磁盘空间不足，记录未保存。请清理磁盘后再点保存，已填写的内容仍在窗口中。"
    )
    assert "记录未保存" in IO_ERROR_MESSAGE and "已填写的内容仍在窗口中" in IO_ERROR_MESSAGE


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_real_full_device_is_recognised() -> None:
    with pytest.raises(OSError) as e, open("/dev/full", "wb", buffering=0) as f:
        f.write(b"x")
    storage = translate_storage_error(e.value)
    assert storage is not None and storage.kind == "full"


@pytest.mark.skipif(sys.platform != "win32", reason="Windows error numbers")
def test_windows_disk_full_is_recognised() -> None:
    storage = translate_storage_error(OSError(None, "disk full", None, 112))
    assert storage is not None and storage.kind == "full"


# ----------------------------------------------------------------------------- through the services


def complaint(content: str) -> Complaint:
    return Complaint(
        received_at=FRIDAY, content=content, urgency=Urgency.NOT_URGENT, complainant="张三"
    )


def counts(services: Services) -> dict[str, int]:
    db = services.database
    return {
        "complaints": int(db.scalar("SELECT count(*) FROM complaints")),
        "events": int(db.scalar("SELECT count(*) FROM record_events WHERE register = 'complaint'")),
        "search": int(db.scalar("SELECT count(*) FROM complaint_search")),
        "counter": int(
            db.scalar("SELECT coalesce(sum(value), 0) FROM counters WHERE name = ?", ("TS2026",))
        ),
    }


def assert_sound(services: Services) -> None:
    conn = services.database.conn
    assert not conn.in_transaction
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def fill_disk(services: Services) -> int:
    """Leave a little room, then register complaints until the disk is 'full'; the saved count."""
    pages = int(services.database.scalar("PRAGMA page_count"))
    services.database.conn.execute(f"PRAGMA max_page_count = {pages + 8}")
    for saved in range(500):
        try:
            services.complaints.register(complaint(f"电梯漏水 {saved} " + "水" * 1500))
        except (StorageError, sqlite3.OperationalError):
            return saved
    raise AssertionError("the database never filled up")


def free_space(services: Services) -> None:
    services.database.conn.execute(f"PRAGMA max_page_count = {NO_LIMIT}")


def test_a_full_disk_leaves_nothing_half_written_and_the_next_save_works(
    services: Services,
) -> None:
    for _ in range(3):
        services.complaints.register(complaint("楼道堆物"))
    saved = 3 + fill_disk(services)
    expected = {"complaints": saved, "events": saved, "search": saved, "counter": saved}
    assert counts(services) == expected
    assert_sound(services)
    with pytest.raises((StorageError, sqlite3.OperationalError)):  # 再点保存, still full
        services.complaints.register(complaint("噪音扰民 " + "吵" * 1500))
    assert counts(services) == expected
    free_space(services)
    again = services.complaints.register(complaint("噪音扰民 " + "吵" * 1500))
    assert again.no == f"TS2026-{saved + 1:05d}"  # the failed saves took no number
    assert services.complaints.get(again.id or 0).content.startswith("噪音扰民")
    assert counts(services)["complaints"] == saved + 1
    assert_sound(services)


def test_a_full_disk_is_told_in_chinese(services: Services) -> None:
    fill_disk(services)
    with pytest.raises(StorageError) as e:
        services.complaints.register(complaint("噪音扰民 " + "吵" * 1500))
    assert e.value.kind == "full" and str(e.value) == DISK_FULL_MESSAGE
    assert isinstance(e.value.__cause__, sqlite3.OperationalError)
    assert not services.database.conn.in_transaction


def test_an_import_that_fills_the_disk_writes_none_of_its_rows(
    services: Services, tmp_path: Path
) -> None:
    rows = [
        f"2026-11-20 09:{i % 60:02d},住户{i},导入内容 {i} {'水' * 300},不紧急" for i in range(300)
    ]
    source = tmp_path / "in.csv"
    source.write_text("登记时间,投诉人,投诉内容,紧急程度\n" + "\n".join(rows) + "\n", "utf-8")
    pages = int(services.database.scalar("PRAGMA page_count"))
    services.database.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
    with pytest.raises((StorageError, sqlite3.OperationalError)):
        services.exchange.import_file(source)
    assert counts(services) == {"complaints": 0, "events": 0, "search": 0, "counter": 0}
    assert_sound(services)
    free_space(services)
    assert services.exchange.import_file(source).imported == 300
    assert counts(services)["complaints"] == 300
    assert_sound(services)
