"""Long jobs behind a progress dialog: an export on a worker thread, an import on the UI thread;
both report progress, keep the window answering and can be cancelled without leaving anything
half-done."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from app.domain.access import Role
from app.services import progress as job_progress
from tests.accounts_support import signed_in
from tests.ui.sample_complaints import make_register
from ui import application, jobs
from ui.signals import ChangeBus

ROWS = 300


@pytest.fixture
def window(services, qtbot, monkeypatch):
    monkeypatch.setattr(jobs, "SHOW_AFTER_MS", 0)  # the dialog at once, however quick the job
    monkeypatch.setattr(job_progress, "EVERY", 10)
    w = application.build_main_window(services, ChangeBus())
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def seen(monkeypatch):
    """(done, total, dialog visible) for every report the dialog showed."""
    reports: list[tuple[int, int, bool]] = []
    show = jobs.JobDialog.show_progress

    def recording(dialog, done, total):
        show(dialog, done, total)
        reports.append((done, total, dialog.isVisible()))

    monkeypatch.setattr(jobs.JobDialog, "show_progress", recording)
    return reports


def cancel_at(monkeypatch, done_at: int, shot: str | None = None) -> None:
    """Press 取消 once the dialog shows `done_at` rows done (after a screenshot, if named)."""
    show = jobs.JobDialog.show_progress

    def cancelling(dialog, done, total):
        show(dialog, done, total)
        if done >= done_at and not dialog.wasCanceled():
            if shot:
                dialog.grab().save(shot)
            dialog.findChild(QPushButton).click()

    monkeypatch.setattr(jobs.JobDialog, "show_progress", cancelling)


def export_to(services, monkeypatch, path) -> None:
    """A 投诉处理人 (who takes masked phones only: the system's save dialog) exports to `path`."""
    signed_in(services, frozenset({Role.HANDLER}), name="李处理")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "Excel 工作簿 (*.xlsx)")
    )


def messages(window) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_an_export_runs_on_a_worker_with_progress_and_the_window_answers(
    window, services, tmp_path, monkeypatch, seen
):
    make_register(services, count=ROWS)
    target = tmp_path / "导出.xlsx"
    export_to(services, monkeypatch, target)
    ticks = []
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    threads = []
    export = services.exchange.export_file

    def on_worker(*args, **kwargs):
        import threading

        threads.append(threading.current_thread() is threading.main_thread())
        return export(*args, **kwargs)

    monkeypatch.setattr(services.exchange, "export_file", on_worker)
    monkeypatch.setattr(jobs._Worker, "progress", slowed(jobs._Worker.progress))
    assert window.export_complaints() is True
    timer.stop()
    assert threads == [False]  # not the UI thread
    assert ticks  # the window's own timers ran while the file was written
    assert seen[-1][:2] == (ROWS, ROWS)
    assert any(visible for _d, _t, visible in seen)
    assert target.is_file()
    assert "已导出 300 条记录" in window.statusBar().currentMessage()


def slowed(progress):
    def slow(worker, done, total):
        time.sleep(0.01)  # a large register, in miniature
        return progress(worker, done, total)

    return slow


def test_a_cancelled_export_leaves_no_file(window, services, tmp_path, monkeypatch):
    make_register(services, count=ROWS)
    folder = tmp_path / "exports"
    folder.mkdir()
    export_to(services, monkeypatch, folder / "导出.xlsx")
    monkeypatch.setattr(jobs._Worker, "progress", slowed(jobs._Worker.progress))
    cancel_at(monkeypatch, 100, shot="/tmp/shots/job_progress_export.png")
    assert window.export_complaints() is False
    assert list(folder.iterdir()) == []  # neither the file nor its temporary
    assert "已取消导出，没有写入文件。" in messages(window)


def complaints_csv(path, rows: int):
    lines = ["投诉人,房号,投诉内容,登记时间,紧急程度"]
    lines += [f"张先生,3-2-1201,电梯停运第{i}次,2026-11-18 09:00,不紧急" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_an_import_cancelled_while_writing_writes_nothing(window, services, tmp_path, monkeypatch):
    path = complaints_csv(tmp_path / "投诉.csv", ROWS)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    cancel_at(monkeypatch, ROWS + 100, shot="/tmp/shots/job_progress_import.png")  # writing
    assert window.import_complaints() is False
    assert services.complaints.store.count() == 0
    assert "已取消导入，没有写入任何记录。" in messages(window)


def test_an_import_reports_its_rows_and_then_its_records(
    window, services, tmp_path, monkeypatch, seen
):
    path = complaints_csv(tmp_path / "投诉.csv", ROWS)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    assert window.import_complaints() is True
    assert services.complaints.store.count() == ROWS
    assert (ROWS, 2 * ROWS) in [(d, t) for d, t, _v in seen]  # every row checked
    assert seen[-1][:2] == (2 * ROWS, 2 * ROWS)  # every record written
    assert all(visible for _d, _t, visible in seen[1:])


def test_the_dialog_says_how_far_the_job_has_got(qtbot):
    dialog = jobs.JobDialog(None, "导出投诉", "正在导出到 投诉登记.xlsx")
    qtbot.addWidget(dialog)
    dialog.show_progress(1200, 200000)
    assert dialog.labelText() == "正在导出到 投诉登记.xlsx\n已处理 1200 / 共 200000 条"
    assert (dialog.value(), dialog.maximum()) == (1200, 200000)
    dialog.show_progress(7, 0)
    assert dialog.labelText().endswith("已处理 7 条")


def test_a_job_error_reaches_the_caller(qtbot):
    def failing(progress):
        progress(1, 2)
        raise OSError("磁盘已满")

    for off_thread in (True, False):
        with pytest.raises(OSError, match="磁盘已满"):
            jobs.run_job(None, "导出", "正在导出", failing, off_thread=off_thread)


def slow_backup(monkeypatch, seconds: float) -> list[bool]:
    """The before-import backup takes `seconds` (a large estate's 20 s, in miniature); the
    list says, per backup, whether it ran on the UI thread."""
    import threading

    from app.services import backups as backup_service

    on_ui_thread: list[bool] = []
    make = backup_service.make_backup

    def slow(*args, **kwargs):
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        time.sleep(seconds)
        return make(*args, **kwargs)

    monkeypatch.setattr(backup_service, "make_backup", slow)
    return on_ui_thread


def test_the_backup_before_an_import_leaves_the_window_answering(
    window, services, tmp_path, monkeypatch, seen
):
    path = complaints_csv(tmp_path / "投诉.csv", ROWS)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    on_ui_thread = slow_backup(monkeypatch, 0.5)
    ticks = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    assert window.import_complaints() is True
    timer.stop()
    assert on_ui_thread == [False]
    assert len(ticks) >= 10  # the window's timers kept running through the half second
    waiting = [(d, t) for d, t, _v in seen if (d, t) == (0, 0)]
    assert len(waiting) >= 5  # "still working" while the backup ran
    assert services.complaints.store.count() == ROWS
    assert any(p.name.endswith("-before-import.db") for p in services.data_dir.backups.iterdir())


def test_cancelling_during_the_backup_before_an_import_writes_nothing(
    window, services, tmp_path, monkeypatch
):
    path = complaints_csv(tmp_path / "投诉.csv", ROWS)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    slow_backup(monkeypatch, 0.3)
    show = jobs.JobDialog.show_progress

    def cancel_while_backing_up(dialog, done, total):
        show(dialog, done, total)
        if (done, total) == (0, 0) and not dialog.wasCanceled():
            dialog.findChild(QPushButton).click()

    monkeypatch.setattr(jobs.JobDialog, "show_progress", cancel_while_backing_up)
    assert window.import_complaints() is False
    assert services.complaints.store.count() == 0
    assert "已取消导入，没有写入任何记录。" in messages(window)
