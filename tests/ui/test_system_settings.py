"""系统设置: the second backup folder (kept in the database, used by the running backups), the
retention period (never under 2 years) and 立即执行匿名化, and 从备份恢复 from the list of
backups through to a fresh sign-in on the restored database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton
from shiboken6 import Shiboken

from app.domain.access import PermissionDeniedError, Role
from app.domain.complaint import Complaint, ReplyMethod, Urgency, Validity
from app.domain.errors import ValidationError
from app.domain.retention import ANONYMISED_NAME
from tests.accounts_support import PASSWORD, TESTER, open_signed_in, signed_in
from tests.ui.dialog_support import patch_message_boxes
from ui import application, jobs, startup
from ui.signals import ChangeBus
from ui.tabs.system import SystemPage


@pytest.fixture
def page(services, qtbot):
    p = SystemPage(services.settings, services.retention, services.backups, ChangeBus())
    qtbot.addWidget(p)
    return p


def choose_folder(monkeypatch, folder) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))


def press(monkeypatch, button: str, seen: list[str]) -> None:
    """Answer the next custom message box by clicking `button`; remember its text."""

    def exec_(box: QMessageBox) -> int:
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def complaint(services, received_at: datetime, name: str = "张三丰") -> int:
    c = services.complaints.register(
        Complaint(
            received_at=received_at,
            content="楼上漏水",
            urgency=Urgency.NOT_URGENT,
            complainant=name,
            phone="13812345678",
            room="3-2-1201",
        )
    )
    return c.id


# ----- 第二备份位置
def test_the_second_folder_is_kept_in_the_database_and_used(
    page, services, data_dir, clock, tmp_path, monkeypatch
):
    usb = tmp_path / "U盘" / "备份"
    usb.mkdir(parents=True)
    box = page.second_folder
    assert box.folder.text() == "未设置：备份只保存在本机的数据文件夹中"
    assert not box.clear_button.isEnabled()
    choose_folder(monkeypatch, usb)
    assert box.choose() is True
    assert box.folder.text() == f"文件夹：{usb}" and box.state.text() == "现在可以访问"
    assert services.backups.second_folder == usb
    copy = services.backups.backup_now().second_copy
    assert copy is not None and copy.parent == usb
    again = open_signed_in(data_dir, clock)  # the next start reads it from the database
    try:
        assert again.settings.second_backup_folder() == usb
        assert again.backups.second_folder == usb
    finally:
        again.close()
    assert box.clear() is True
    assert services.settings.second_backup_folder() is None
    assert services.backups.second_folder is None


def test_an_unplugged_drive_is_shown(page, services, tmp_path, monkeypatch):
    usb = tmp_path / "U盘"
    usb.mkdir()
    choose_folder(monkeypatch, usb)
    page.second_folder.choose()
    usb.rmdir()
    page.second_folder.reload()
    assert page.second_folder.state.text() == "现在无法访问（U盘未插入？）"


def test_a_folder_inside_the_data_folder_is_refused(page, services, monkeypatch):
    inside = services.data_dir.root / "副本"
    inside.mkdir()
    choose_folder(monkeypatch, inside)
    assert page.second_folder.choose() is False
    label = page.second_folder.errors.labels["second_backup_folder"]
    assert label.text() == "第二备份位置不能在数据文件夹里面：请选U盘或另一块硬盘上的文件夹"
    assert services.settings.second_backup_folder() is None


def test_cancelling_the_folder_dialog_changes_nothing(page, services, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    assert page.second_folder.choose() is False
    assert services.settings.second_backup_folder() is None


# ----- 保存期限 and 匿名化
def test_a_retention_period_under_two_years_is_refused(page, services, data_dir, clock):
    box = page.retention
    assert box.years.value() == 2
    box.years.setValue(1)
    assert box.save() is False
    label = box.errors.labels["retention_years"]
    assert label.text() == "保存期限至少 2 年（管理规程第 8 条要求保存 2 年）"
    assert label.isVisibleTo(box) and box.years.value() == 1  # what was typed stays
    assert services.settings.retention_years() == 2
    box.years.setValue(5)
    assert box.save() is True and label.isHidden()
    again = open_signed_in(data_dir, clock)
    try:
        assert again.settings.retention_years() == 5
        assert again.retention.years() == 5
    finally:
        again.close()


def test_settings_need_the_settings_permission(services):
    signed_in(services, frozenset({Role.MANAGER}), name="刘主任")
    with pytest.raises(PermissionDeniedError):
        services.settings.set_retention_years(3)
    with pytest.raises(PermissionDeniedError):
        services.settings.set_second_backup_folder(None)
    assert services.settings.retention_years() == 2


def test_a_relative_folder_is_refused(services):
    with pytest.raises(ValidationError, match="完整的文件夹位置"):
        services.settings.set_second_backup_folder("备份")


def closed_in_2023(services) -> int:
    """A complaint closed (invalid, replied) long enough ago for the retention job."""
    old = complaint(services, datetime(2023, 5, 10, 9, 0))
    services.complaints.judge(old, Validity.INVALID, handler="王主管")
    services.complaints.reply(
        old, at=datetime(2023, 5, 10, 15, 0), method=ReplyMethod.ORAL, content="已告知"
    )
    return old


def test_anonymise_now_says_how_many_then_does_it(page, services, monkeypatch):
    old = closed_in_2023(services)
    recent = complaint(services, datetime(2026, 11, 19, 9, 0), name="李四")
    seen: list[str] = []
    press(monkeypatch, "执行匿名化", seen)
    boxes = patch_message_boxes(monkeypatch)
    assert page.retention.anonymise() is True
    assert "2024-11-20 10:00 之前办结的记录" in seen[0] and "投诉 1 条，报修 0 条" in seen[0]
    assert boxes.texts("information") == ["已匿名化投诉 1 条、报修 0 条"]
    assert services.complaints.get(old).complainant == ANONYMISED_NAME
    assert services.complaints.get(recent).complainant == "李四"
    assert page.retention.anonymise() is False  # nothing left
    assert boxes.texts("information")[-1] == (
        "保存期限 2 年：没有 2024-11-20 10:00 之前办结而尚未匿名化的记录，无需处理。"
    )


def test_declining_the_anonymisation_changes_nothing(page, services, monkeypatch):
    old = closed_in_2023(services)
    seen: list[str] = []
    press(monkeypatch, "取消", seen)
    assert page.retention.anonymise() is False
    assert "投诉 1 条" in seen[0]
    assert services.complaints.get(old).complainant == "张三丰"


# ----- 从备份恢复
def backups_with_counts(services, clock) -> None:
    complaint(services, datetime(2026, 11, 19, 9, 0))
    services.backups.backup_now()
    clock.now += timedelta(hours=1)
    complaint(services, datetime(2026, 11, 20, 9, 0), name="李四")


def test_the_restore_list_shows_each_backup_with_its_counts(services, clock, qtbot):
    backups_with_counts(services, clock)
    services.backups.backup_now()
    page = SystemPage(services.settings, services.retention, services.backups, ChangeBus())
    qtbot.addWidget(page)
    table = page.restore.table
    assert table.rowCount() == 2
    texts = [table.item(r, 0).text() for r in range(2)]
    assert texts[0].startswith("2026-11-20 11:00:00  手动备份") and "投诉 2" in texts[0]
    assert texts[1].startswith("2026-11-20 10:00:00  手动备份") and "投诉 1" in texts[1]
    assert table.item(0, 1).text() == "本机备份文件夹"
    assert not page.restore.restore_button.isEnabled()


def test_restore_asks_naming_the_backup_then_hands_it_over(page, services, clock, monkeypatch):
    backups_with_counts(services, clock)
    page.restore.reload()
    page.restore.table.selectRow(0)
    wanted = []
    page.restore_requested.connect(wanted.append)
    seen: list[str] = []
    press(monkeypatch, "取消", seen)
    assert page.restore.restore_selected() is False and wanted == []
    press(monkeypatch, "恢复", seen)
    assert page.restore.restore_selected() is True
    assert wanted == [page.restore.found[0].path]
    assert "用 2026年11月20日 10:00 的备份恢复数据库吗？" in seen[0]
    assert "投诉 1" in seen[0] and "原样另存到备份文件夹（不删除）" in seen[0]


def test_restoring_reopens_the_database_and_asks_for_a_sign_in(services, clock, qtbot, monkeypatch):
    backups_with_counts(services, clock)
    backup = services.backups.backups()[0].path
    monkeypatch.setattr(
        startup, "sign_in", lambda accounts: bool(accounts.sign_in(TESTER, PASSWORD))
    )
    desk = application.Desk(QApplication.instance(), services.data_dir, services)
    desk.start()
    first = desk.window
    told: list[str] = []
    press(monkeypatch, "确定", told)
    first.restore_requested.emit(backup)
    qtbot.waitUntil(lambda: desk.services is not services)
    restored = desk.services
    try:
        assert not Shiboken.isValid(first)
        assert restored.complaints.store.count() == 1  # the backup's, not today's 2
        assert "已从备份恢复" in told[0] and "原数据库已另存为" in told[0]
        assert "请重新登录" in told[0]
        assert any(b.reason == "replaced" for b in restored.backups.backups())
        assert desk.window is not None and desk.window.isVisible()
    finally:
        desk.close_window()
        restored.close()


def test_a_failed_restore_leaves_the_database_and_signs_in_again(
    services, clock, tmp_path, qtbot, monkeypatch
):
    backups_with_counts(services, clock)
    not_a_backup = tmp_path / "estate-20261120-100000-manual.db"
    not_a_backup.write_bytes(b"not a database")
    monkeypatch.setattr(
        startup, "sign_in", lambda accounts: bool(accounts.sign_in(TESTER, PASSWORD))
    )
    desk = application.Desk(QApplication.instance(), services.data_dir, services)
    desk.start()
    told: list[str] = []
    press(monkeypatch, "确定", told)
    desk.window.restore_requested.emit(not_a_backup)
    qtbot.waitUntil(lambda: desk.services is not services)
    reopened = desk.services
    try:
        assert "恢复没有完成，数据库没有改动" in told[0]
        assert reopened.complaints.store.count() == 2
        assert desk.window is not None and desk.window.isVisible()
    finally:
        desk.close_window()
        reopened.close()


def test_anonymising_shows_progress_and_stopping_keeps_what_was_done(page, services, monkeypatch):
    old = closed_in_2023(services)
    seen: list[str] = []
    press(monkeypatch, "执行匿名化", seen)
    boxes = patch_message_boxes(monkeypatch)
    reports: list[tuple[int, int]] = []
    show = jobs.JobDialog.show_progress

    def stop_at_once(dialog, done, total):  # 停止 pressed as soon as the dialog reports
        show(dialog, done, total)
        reports.append((done, total))
        if not dialog.wasCanceled():
            dialog.resize(460, 140)
            dialog.grab().save("/tmp/shots/job_progress_retention.png")
            dialog.findChild(QPushButton).click()

    monkeypatch.setattr(jobs.JobDialog, "show_progress", stop_at_once)
    assert page.retention.anonymise() is False
    assert reports == [(0, 1)]  # the dialog knew the total before the first batch
    assert boxes.texts("information") == [
        "已停止：已匿名化投诉 0 条、报修 0 条，其余的下次执行时处理"
    ]
    assert services.complaints.get(old).complainant == "张三丰"
    monkeypatch.setattr(jobs.JobDialog, "show_progress", show)
    assert page.retention.anonymise() is True
    assert services.complaints.get(old).complainant == ANONYMISED_NAME
