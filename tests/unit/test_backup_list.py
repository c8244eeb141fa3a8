"""The backups list the restore page shows: date, kind, record counts, size, and the file a
restore set aside among them."""

from __future__ import annotations

from datetime import timedelta

from app.services import Services
from tests.conftest import FakeClock
from tests.unit.test_backups import register


def test_the_list_names_each_backup_in_the_offices_words(
    services: Services, clock: FakeClock
) -> None:
    register(services, 2)
    services.backups.backup_now("before-import")
    clock.now += timedelta(hours=1)
    services.backups.run_scheduled()
    newest, older = services.backups.backups()
    assert (newest.taken_at, newest.kind) == (clock.now, "每日自动备份")
    assert older.kind == "导入前备份"
    assert newest.counts["complaints"] == 2
    assert newest.counts_text.startswith("住户 0，投诉 2，")
    assert newest.size == newest.path.stat().st_size
    assert newest.size_text == f"{newest.size / 1_048_576:.1f} MB"
    assert newest.summary() == (
        f"2026-11-20 11:00:00  每日自动备份  {newest.counts_text}  {newest.size_text}"
    )


def test_the_file_a_restore_set_aside_is_listed_to_undo_it(
    services: Services, clock: FakeClock
) -> None:
    register(services, 2)
    backup = services.backups.backup_now().info
    register(services, 3)
    services.close()
    clock.now += timedelta(hours=1)
    result = services.backups.restore(backup.path)
    listed = {info.path: info for info in services.backups.backups()}
    assert result.set_aside is not None
    replaced = listed[result.set_aside]
    assert (replaced.kind, replaced.taken_at) == ("恢复前的数据库", clock.now)
    assert replaced.counts["complaints"] == 5
    assert listed[backup.path].counts["complaints"] == 2
