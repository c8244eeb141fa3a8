"""The start-up quick_check runs after the window shows (a clean last exit) and still finds
damage; after an unclean exit the full check runs before the window, as before."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from app.db.startup_check import CleanShutdownMarker, check_now, startup_check
from app.paths import DataDir
from tests.unit.test_backups import corrupt_middle
from tests.unit.test_guard import make_database
from ui.deferred_check import DeferredCheck, tell_damaged


def damaged_database(tmp_path: Path) -> Path:
    database = make_database(DataDir(tmp_path / "data"))
    corrupt_middle(database)
    return database


def test_a_start_after_a_clean_exit_leaves_quick_check_for_the_window(tmp_path: Path) -> None:
    database = damaged_database(tmp_path)
    report = startup_check(database, defer_quick=True)
    assert report.ok and report.deferred and not report.full_check
    later = check_now(database)
    assert not later.ok and later.damage


def test_a_start_after_an_unclean_exit_checks_in_full_before_the_window(tmp_path: Path) -> None:
    database = damaged_database(tmp_path)
    CleanShutdownMarker(database.parent).write()
    report = startup_check(database, defer_quick=True)
    assert not report.deferred and report.full_check and report.unclean
    assert not report.ok and report.damage


def test_the_deferred_check_reports_damage_on_the_ui_thread(qtbot, tmp_path, monkeypatch):
    database = damaged_database(tmp_path)
    check = DeferredCheck(database)
    with qtbot.waitSignal(check.done, timeout=10_000) as blocker:
        check.start()
    report = blocker.args[0]
    assert report.damage
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: shown.append(text))
    tell_damaged(None, report)
    assert "数据文件已损坏" in shown[0] and "提供从最新的完好备份恢复" in shown[0]


def test_a_sound_file_checked_later_is_ok(qtbot, tmp_path) -> None:
    database = make_database(DataDir(tmp_path / "data"))
    check = DeferredCheck(database)
    with qtbot.waitSignal(check.done, timeout=10_000) as blocker:
        check.start()
    assert blocker.args[0].ok and not blocker.args[0].damage
