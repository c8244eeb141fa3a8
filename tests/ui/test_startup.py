"""Before the window opens: a damaged database is set aside and the newest good backup offered."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QMessageBox

from app.domain.complaint import Complaint, Urgency
from tests.accounts_support import open_signed_in
from ui.startup import ScheduledBackups, recover_if_damaged

NOW = datetime(2026, 11, 22, 9, 0)


def damage(path) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))


def press(monkeypatch, text: str, seen: list[str]) -> None:  # type: ignore[no-untyped-def]
    def exec_(box: QMessageBox) -> int:
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == text).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def make_register(data_dir, clock) -> int:  # type: ignore[no-untyped-def]
    s = open_signed_in(data_dir, clock=clock)
    s.complaints.register(
        Complaint(received_at=NOW, content="电梯漏水", urgency=Urgency.URGENT, complainant="张三")
    )
    s.backups.backup_now()
    count = s.complaints.store.count()
    s.close()
    return count


def test_a_healthy_database_opens_without_asking(qapp, data_dir, clock, monkeypatch):
    make_register(data_dir, clock)
    seen: list[str] = []
    press(monkeypatch, "退出", seen)
    assert recover_if_damaged(data_dir, NOW) is True and seen == []


def test_a_damaged_database_is_set_aside_and_the_backup_restored(
    qapp, data_dir, clock, monkeypatch
):
    count = make_register(data_dir, clock)
    damage(data_dir.database)
    seen: list[str] = []
    press(monkeypatch, "从该备份恢复", seen)
    assert recover_if_damaged(data_dir, NOW) is True
    assert "数据库文件已损坏" in seen[0] and "可以从最新的完好备份恢复" in seen[0]
    s = open_signed_in(data_dir, clock=clock)
    try:
        assert s.complaints.store.count() == count
    finally:
        s.close()


def test_declining_the_restore_does_not_open_the_app(qapp, data_dir, clock, monkeypatch):
    make_register(data_dir, clock)
    damage(data_dir.database)
    press(monkeypatch, "退出", [])
    assert recover_if_damaged(data_dir, NOW) is False
    assert not data_dir.database.exists()  # set aside, and no empty database made in its place


def test_the_daily_backup_runs_off_the_ui_thread(qtbot, services):
    from PySide6.QtCore import QThreadPool

    scheduled = ScheduledBackups(services.backups)
    scheduled.tick()
    QThreadPool.globalInstance().waitForDone()
    assert [b.reason for b in services.backups.backups()] == ["daily"]
    scheduled.tick()  # once a day at most
    QThreadPool.globalInstance().waitForDone()
    assert len(services.backups.backups()) == 1
