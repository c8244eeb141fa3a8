"""Backups through the backup API: verified copies, a second folder, thinning, restore that
keeps the replaced file, `check`, and recovery from a corrupt database at start-up."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.db import backup as backup_module
from app.db.backup import (
    BackupError,
    backup_to,
    integrity_problems,
    list_backups,
    record_counts,
    scan_backups,
)
from app.db.migrations import SCHEMA_VERSION
from app.domain.complaint import Complaint, Urgency
from app.paths import DataDir
from app.services import Services, open_services
from app.services.backups import (
    IN_USE,
    BackupService,
    check_database,
    recover_corrupt,
    restore_file,
)
from tests.conftest import NOW, FakeClock

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def register(services: Services, n: int = 1) -> None:
    for i in range(n):
        services.complaints.register(
            Complaint(
                received_at=datetime(2026, 11, 20, 9, 30),
                content=f"3栋电梯漏水 {i}",
                urgency=Urgency.NOT_URGENT,
                complainant="张三",
                room="3-2-1201",
            )
        )


def counts_of(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        assert integrity_problems(conn) == []
        return record_counts(conn)


@pytest.fixture
def backups(services: Services, clock: FakeClock) -> BackupService:
    return BackupService(services.database, services.data_dir, clock, session=services.session)


# ----- taking a backup


def test_a_backup_is_verified_named_and_self_contained(
    services: Services, backups: BackupService
) -> None:
    register(services, 3)
    result = backups.backup_now()
    info = result.info
    assert info.path == services.data_dir.backups / "estate-20261120-100000-manual.db"
    assert (info.taken_at, info.reason, info.schema_version) == (NOW, "manual", SCHEMA_VERSION)
    assert info.counts["complaints"] == 3
    assert info.counts == counts_of(info.path)
    assert info.size == info.path.stat().st_size
    assert sorted(p.name for p in info.path.parent.iterdir()) == [info.path.name]  # no -wal
    with closing(sqlite3.connect(info.path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert list_backups(services.data_dir.backups) == [info]
    assert "投诉 3" in info.summary() and "手动备份" in info.summary()


def test_two_backups_in_the_same_second_get_two_names(backups: BackupService) -> None:
    first, second = backups.backup_now().info, backups.backup_now().info
    assert first.path.name == "estate-20261120-100000-manual.db"
    assert second.path.name == "estate-20261120-100001-manual.db"


def test_a_copy_that_fails_verification_is_deleted_and_refused(
    services: Services, backups: BackupService, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(services)
    real = backup_module.record_counts
    calls = iter(range(100))

    def miscount(conn: sqlite3.Connection) -> dict[str, int]:
        counts = real(conn)
        if next(calls) == 1:  # the copy's count, read after the source's
            counts["complaints"] -= 1
        return counts

    monkeypatch.setattr(backup_module, "record_counts", miscount)
    with pytest.raises(BackupError, match="记录数不符"):
        backups.backup_now()
    assert list(services.data_dir.backups.iterdir()) == []


def test_a_copy_failing_the_integrity_check_is_refused(
    backups: BackupService, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_module, "integrity_problems", lambda conn: ["*** page 3 ***"])
    with pytest.raises(BackupError, match="完整性检查"):
        backups.backup_now()
    assert list(services.data_dir.backups.iterdir()) == []


def test_backup_to_a_named_file_never_overwrites(backups: BackupService, tmp_path: Path) -> None:
    target = tmp_path / "usb" / "拷贝 #1.db"
    result = backups.backup_now(target=target)
    assert result.path == target and counts_of(target) == result.info.counts
    with pytest.raises(BackupError, match="不会覆盖"):
        backups.backup_now(target=target)
    with pytest.raises(BackupError, match="不会覆盖"):
        backups.backup_now(target=backups.database.path)


def test_the_migration_backup_takes_the_next_free_name(services: Services, tmp_path: Path) -> None:
    target = tmp_path / "backups" / "estate-20261120-100000-before-v4.db"
    assert backup_to(services.database.conn, target) == target
    again = backup_to(services.database.conn, target)
    assert again.name == "estate-20261120-100001-before-v4.db"


def _writer_thread_backups(services: Services, backups: BackupService) -> list[object]:
    """Backups on a worker thread while the owner thread registers complaints."""
    results: list[object] = []

    def work() -> None:
        for _ in range(3):
            try:
                results.append(backups.backup_now())
            except BaseException as e:  # noqa: BLE001 - reported to the test thread
                results.append(e)

    worker = threading.Thread(target=work)
    worker.start()
    while worker.is_alive():
        register(services)
    worker.join()
    return results


def test_a_backup_on_a_worker_thread_while_the_office_writes_is_consistent(
    services: Services, backups: BackupService, tmp_path: Path
) -> None:
    register(services, 5)
    events_before = record_counts(services.database.conn)["record_events"] - 5
    results = _writer_thread_backups(services, backups)
    assert all(not isinstance(r, BaseException) for r in results), results
    for n, result in enumerate(results):
        info = result.info  # type: ignore[attr-defined]
        # one 登记 event per complaint: a torn copy would show them out of step
        assert info.counts["record_events"] - events_before == info.counts["complaints"]
        fresh = DataDir(tmp_path / f"fresh{n}")
        restore_file(fresh, info.path, NOW)
        assert counts_of(fresh.database) == info.counts


WRITER = """
import sys
from datetime import datetime
from pathlib import Path
from app.domain.complaint import Complaint, Urgency
from app.paths import DataDir
from tests.accounts_support import open_signed_in

services = open_signed_in(DataDir(Path(sys.argv[1])))
stop = Path(sys.argv[2])
n = 0
while not stop.exists():
    services.complaints.register(Complaint(
        received_at=datetime(2026, 11, 20, 9, 30), content=f"楼道灯不亮 {n}",
        urgency=Urgency.NOT_URGENT, complainant="李四", room="5-1-302"))
    n += 1
    if n == 20:
        print("writing", flush=True)
services.close()
print(n, flush=True)
"""


@pytest.mark.slow
def test_a_backup_while_another_process_writes_restores_to_matching_counts(
    services: Services, backups: BackupService, tmp_path: Path
) -> None:
    register(services, 50)
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(services.data_dir.root), str(stop)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing"
        taken = []
        for _ in range(4):
            taken.append(backups.backup_now().info)
            time.sleep(0.05)
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=60)
    assert writer.returncode == 0
    written = int(out.split()[-1])
    complaints = [info.counts["complaints"] for info in taken]
    assert complaints == sorted(complaints) and complaints[0] < complaints[-1] <= 50 + written
    for n, info in enumerate(taken):
        assert info.counts["record_events"] == info.counts["complaints"]
        fresh = DataDir(tmp_path / f"fresh{n}")
        result = restore_file(fresh, info.path, NOW)
        assert result.set_aside is None
        assert counts_of(fresh.database) == info.counts
        reopened = open_services(fresh)
        assert reopened.database.scalar("SELECT count(*) FROM complaints") == complaints[n]
        reopened.close()


# ----- a second folder (USB drive)


def test_a_second_folder_gets_a_verified_copy(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    service = BackupService(
        services.database, services.data_dir, clock, session=services.session, second_folder=usb
    )
    result = service.backup_now()
    assert result.second_copy == usb / result.path.name
    assert result.second_copy.read_bytes() == result.path.read_bytes()
    assert result.warnings == ()
    assert [b.path.parent for b in service.backups()] == [services.data_dir.backups, usb]


def test_a_second_folder_that_is_the_first_is_ignored(services: Services, clock: FakeClock) -> None:
    same = services.data_dir.backups / "."
    service = BackupService(
        services.database, services.data_dir, clock, session=services.session, second_folder=same
    )
    result = service.backup_now()
    assert (result.second_copy, result.warnings) == (None, ())
    assert len(service.backups()) == 1
    assert len({result.info, *service.backups()}) == 1  # hashable, equal when read back


def test_a_missing_usb_drive_is_a_warning_not_a_failure(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    usb = tmp_path / "usb-not-plugged-in"
    service = BackupService(
        services.database, services.data_dir, clock, session=services.session, second_folder=usb
    )
    result = service.backup_now()
    assert result.path.exists() and result.second_copy is None
    assert "U盘未插入" in result.warnings[0]
    assert not usb.exists()  # never created on the local disk instead
    assert "U盘未插入" in service.check().warnings[0]


# ----- schedule and thinning


def test_the_scheduled_backup_runs_once_a_day(
    backups: BackupService, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert backups.due(clock.now)
    first = backups.run_scheduled()
    assert first is not None and first.info.reason == "daily"
    assert backups.run_scheduled() is None
    backups.backup_now()  # a manual backup does not count as the day's
    clock.now += timedelta(hours=14)
    assert backups.due(clock.now) and backups.run_scheduled() is not None


def test_a_failed_scheduled_backup_waits_an_hour_before_trying_again(
    backups: BackupService, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_module, "integrity_problems", lambda conn: ["broken"])
    with pytest.raises(BackupError):
        backups.run_scheduled()
    assert not backups.due(clock.now + timedelta(minutes=59))
    assert backups.due(clock.now + timedelta(minutes=61))


@pytest.mark.slow
def test_daily_backups_are_thinned_in_both_folders(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    service = BackupService(
        services.database, services.data_dir, clock, session=services.session, second_folder=usb
    )
    service.backup_now("before-import")
    for _ in range(40):
        assert service.run_scheduled() is not None
        clock.now += timedelta(days=1)
    for folder in (services.data_dir.backups, usb):
        names = sorted(p.name for p in folder.iterdir())
        days = [n[11:15] for n in names if n.endswith("-daily.db")]
        # the last run was on 29 Dec: 14 days (16-29 Dec), the newest of each week back to
        # 16-22 Nov (22 Nov, 29 Nov, 6 Dec, 13 Dec) and November's newest (30 Nov)
        expected = ["1122", "1129", "1130", "1206", "1213", *(f"12{d}" for d in range(16, 30))]
        assert days == expected
        assert "estate-20261120-100000-before-import.db" in names


# ----- restore


def test_restore_brings_back_the_backup_and_keeps_the_replaced_file(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    register(services, 2)
    backup = backups.backup_now().info
    register(services, 3)
    services.close()
    clock.now += timedelta(hours=1)
    result = backups.restore(backup.path)
    data_dir = services.data_dir
    assert result.set_aside == data_dir.backups / "estate-20261120-110000-replaced.db"
    assert counts_of(data_dir.database)["complaints"] == 2
    assert counts_of(result.set_aside)["complaints"] == 5
    assert not data_dir.database.with_name("estate.db-wal").exists()
    replaced = [b for b in list_backups(data_dir.backups) if b.reason == "replaced"]
    assert [b.counts["complaints"] for b in replaced] == [5]
    # the replaced file is a backup like any other: restoring it undoes the restore
    undo = restore_file(data_dir, replaced[0].path, clock.now)
    assert counts_of(data_dir.database)["complaints"] == 5
    assert undo.set_aside is not None and undo.set_aside != replaced[0].path
    reopened = open_services(data_dir, clock=clock)
    assert reopened.database.scalar("SELECT count(*) FROM complaints") == 5
    reopened.close()


def test_restore_refuses_while_the_database_is_open(
    services: Services, backups: BackupService
) -> None:
    register(services, 2)
    backup = backups.backup_now().info
    register(services)
    with pytest.raises(BackupError, match="仍在使用中"):
        backups.restore(backup.path)
    # the module-level function finds the open connection itself
    with pytest.raises(BackupError) as caught:
        restore_file(services.data_dir, backup.path, NOW)
    assert str(caught.value) == IN_USE
    # nothing changed (at most a checkpoint of the WAL, which every connection does)
    assert services.database.scalar("SELECT count(*) FROM complaints") == 3
    assert services.database.scalar("PRAGMA journal_mode") == "wal"
    register(services)
    assert [b.reason for b in list_backups(services.data_dir.backups)] == ["manual"]
    assert not services.data_dir.database.with_name("estate.db.restoring").exists()


def test_an_older_schema_backup_is_restored_and_migrated_on_open(
    data_dir: DataDir, tmp_path: Path
) -> None:
    old = tmp_path / "estate-20240101-120000-manual.db"
    shutil.copy(FIXTURES / "schema_v1.db", old)
    result = restore_file(data_dir, old, NOW)
    assert result.restored.schema_version == 1 and result.set_aside is None
    services = open_services(data_dir)
    assert services.database.scalar("PRAGMA user_version") == SCHEMA_VERSION
    restored = result.restored.counts["complaints"]
    assert services.database.scalar("SELECT count(*) FROM complaints") == restored
    services.close()


def test_a_backup_from_a_newer_app_is_refused(data_dir: DataDir, tmp_path: Path) -> None:
    newer = tmp_path / "estate-20270101-120000-manual.db"
    shutil.copy(FIXTURES / "schema_v1.db", newer)
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(BackupError, match="更新版本"):
        restore_file(data_dir, newer, NOW)
    assert not data_dir.database.exists()


# ----- damaged files


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_truncated_backup_is_skipped_by_the_list_and_reported(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    good = backups.backup_now().info
    clock.now += timedelta(minutes=1)
    bad = backups.backup_now().path
    truncate(bad)
    assert list_backups(services.data_dir.backups) == [good]
    scan = scan_backups(services.data_dir.backups)
    assert [path for path, _ in scan.unreadable] == [bad]
    assert "截断" in scan.unreadable[0][1]
    report = backups.check()
    assert not report.ok and any(bad.name in p for p in report.problems)


def corrupt_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    third = len(data) // 3
    data[third : 2 * third] = bytes([0x5A]) * (2 * third - third)
    path.write_bytes(bytes(data))


def corrupt_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = b"\x00" * 100
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [corrupt_middle, corrupt_header], ids=["middle", "header"])
def test_a_corrupt_database_is_set_aside_and_the_newest_good_backup_offered(
    services: Services, backups: BackupService, clock: FakeClock, damage: object
) -> None:
    data_dir = services.data_dir
    register(services, 40)
    backups.backup_now()
    register(services, 2)
    clock.now += timedelta(hours=1)
    newest_good = backups.backup_now().info
    clock.now += timedelta(hours=1)
    truncate(backups.backup_now().path)  # newer still, but cut short
    services.close()
    damage(data_dir.database)  # type: ignore[operator]
    damaged = data_dir.database.read_bytes()

    report = recover_corrupt(data_dir, clock.now)

    assert report.state == "corrupt" and report.needs_attention
    assert report.set_aside == data_dir.backups / "corrupt" / "estate-20261120-120000-corrupt.db"
    assert report.set_aside.read_bytes() == damaged
    assert not data_dir.database.exists()
    assert report.offer == newest_good
    assert [p.name for p, _ in report.rejected] == ["estate-20261120-120000-manual.db"]
    assert any("已损坏" in line for line in report.lines())
    assert not check_database(data_dir, clock.now).ok  # no database file: not ok

    result = restore_file(data_dir, report.offer.path, clock.now)
    assert result.set_aside is None
    assert counts_of(data_dir.database) == newest_good.counts
    reopened = open_services(data_dir, clock=clock)
    assert reopened.database.scalar("SELECT count(*) FROM complaints") == 42
    reopened.close()
    assert report.set_aside.read_bytes() == damaged  # still there, untouched


def test_a_sound_database_is_left_alone(services: Services, clock: FakeClock) -> None:
    register(services)
    services.close()
    report = recover_corrupt(services.data_dir, clock.now)
    assert (report.state, report.needs_attention) == ("ok", False)
    assert services.data_dir.database.exists()


def test_an_empty_file_where_backups_exist_is_corrupt(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    backup = backups.backup_now().info
    services.close()
    services.data_dir.database.write_bytes(b"")
    report = recover_corrupt(services.data_dir, clock.now)
    assert report.state == "corrupt" and report.offer == backup
    assert "0 字节" in report.problem


def test_a_missing_database_with_backups_offers_one(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    backup = backups.backup_now().info
    services.close()
    services.data_dir.database.unlink()
    report = recover_corrupt(services.data_dir, clock.now)
    assert (report.state, report.offer, report.set_aside) == ("missing", backup, None)


def test_the_first_start_needs_nothing(data_dir: DataDir) -> None:
    report = recover_corrupt(data_dir, NOW)
    assert (report.state, report.needs_attention) == ("missing", False)


CRASHING_WRITER = """
import os, sys
from datetime import datetime
from pathlib import Path
from app.domain.complaint import Complaint, Urgency
from app.paths import DataDir
from tests.accounts_support import open_signed_in

services = open_signed_in(DataDir(Path(sys.argv[1])))
services.database.conn.execute("PRAGMA wal_autocheckpoint = 0")
for n in range(30):
    services.complaints.register(Complaint(
        received_at=datetime(2026, 11, 20, 9, 30), content=f"停电 {n}",
        urgency=Urgency.NOT_URGENT, complainant="王五", room="1-1-101"))
os._exit(0)  # the power goes: no close, no checkpoint
"""


@pytest.mark.slow
def test_a_wal_left_by_a_power_cut_is_sound_and_read_without_changing_it(
    data_dir: DataDir,
) -> None:
    subprocess.run(
        [sys.executable, "-c", CRASHING_WRITER, str(data_dir.root)], cwd=ROOT, check=True
    )
    wal = data_dir.database.with_name("estate.db-wal")
    assert wal.stat().st_size > 0
    before = data_dir.database.read_bytes(), wal.read_bytes()
    assert recover_corrupt(data_dir, NOW).state == "ok"
    assert (data_dir.database.read_bytes(), wal.read_bytes()) == before
    report = check_database(data_dir, NOW)
    assert report.counts["complaints"] == 30


# ----- check


def test_check_passes_with_a_sound_database_and_a_good_backup(
    services: Services, backups: BackupService
) -> None:
    register(services, 2)
    backups.backup_now()
    report = backups.check()
    assert report.ok, report.lines()
    assert report.schema_version == SCHEMA_VERSION and report.counts["complaints"] == 2
    assert report.lines()[-1] == "检查通过"


def test_check_fails_without_backups_or_with_a_damaged_one(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    assert any("没有任何备份" in p for p in backups.check().problems)
    path = backups.backup_now().path
    corrupt_middle(path)
    report = backups.check()
    assert not report.ok
    assert report.lines()[-1].startswith("发现")


def test_check_reports_a_corrupt_database(
    services: Services, backups: BackupService, clock: FakeClock
) -> None:
    register(services, 40)
    backups.backup_now()
    services.close()
    corrupt_middle(services.data_dir.database)
    report = check_database(services.data_dir, clock.now)
    assert not report.ok
    assert any("完整性" in p or "损坏" in p for p in report.problems)


def test_checking_a_backup_can_be_stopped(services: Services, monkeypatch) -> None:
    """The check before a restore runs behind a progress dialog whose 取消 stops it."""
    from app.db import backup_files
    from app.services.progress import JobCancelled

    register(services, 30)
    path = services.backups.backup_now().info.path
    monkeypatch.setattr(backup_files, "STOP_STEPS", 100)  # asked often, even on a small file
    asked: list[tuple[int, int]] = []
    info = services.backups.verify(path, lambda done, total: asked.append((done, total)) or True)
    assert info.counts["complaints"] == 30 and len(asked) > 10 and set(asked) == {(0, 0)}
    asked.clear()
    with pytest.raises(JobCancelled):
        services.backups.verify(path, lambda done, total: asked.append((done, total)) and False)
    assert len(asked) == 1  # stopped at the first question, not after reading it all
