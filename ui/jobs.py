"""Long jobs behind a progress dialog with 取消, the window still answering: imports, exports,
anonymising, checking a backup and restoring one.

``run_job(parent, title, label, work, off_thread=...)`` calls ``work(progress)`` and returns
what it returns; a cancelled job raises JobCancelled (app/services/progress.py), a failed one
its own error. The dialog
appears only when the job takes longer than SHOW_AFTER_MS.

- ``off_thread=True``: the work runs on the thread pool while a local event loop keeps the
  window painting. Only for jobs that do not touch the window's database connection (an
  export reads through the worker's own read-only connection, a backup is checked through
  its own, a restore runs with every connection closed).
- ``off_thread=False``: for jobs that write (an import): the database takes writes only on
  the thread that opened it, so the work stays on the UI thread and each progress report
  lets the window repaint and the 取消 button be pressed. Cancelling raises JobCancelled
  inside the job's transaction, so nothing is written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.services.progress import Progress

T = TypeVar("T")
SHOW_AFTER_MS = 500  # a quick job shows no dialog at all


def _tr(text: str) -> str:
    return QCoreApplication.translate("jobs", text)


class JobDialog(QProgressDialog):
    """标题, what is being done, 已处理 n / 共 m 条 (when `counts` are rows), a bar and 取消."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        label: str,
        *,
        counts: bool = True,
        cancellable: bool = True,
    ) -> None:
        super().__init__(label, _tr("取消"), 0, 0, parent)
        if not cancellable:
            self.setCancelButton(None)  # type: ignore[arg-type]
        self.setObjectName("jobProgress")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(SHOW_AFTER_MS)
        self.setMinimumWidth(420)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.label, self.counts = label, counts
        self.setValue(0)  # starts the clock that shows the dialog after SHOW_AFTER_MS

    def show_progress(self, done: int, total: int) -> None:
        if self.wasCanceled():
            return
        if total > 0:
            self.setMaximum(max(total, done))
            self.setValue(done)
        if not self.counts:
            return
        if total > 0:
            counted = _tr("已处理 {done} / 共 {total} 条").format(done=done, total=total)
        else:
            counted = _tr("已处理 {done} 条").format(done=done)
        self.setLabelText(f"{self.label}\n{counted}")


def run_job(
    parent: QWidget | None,
    title: str,
    label: str,
    work: Callable[[Progress], T],
    *,
    off_thread: bool,
    counts: bool = True,
    cancellable: bool = True,
) -> T:
    """`work(progress)` behind a progress dialog; its result, or its error, or JobCancelled.
    `counts`: the reports count rows (else only the bar moves). `cancellable=False`: no 取消
    (a restore, which must not stop half-way)."""
    dialog = JobDialog(parent, title, label, counts=counts, cancellable=cancellable)
    try:
        if off_thread:
            return _on_worker(dialog, work)
        return _on_ui_thread(dialog, work)
    finally:
        dialog.close()
        dialog.deleteLater()


def _on_ui_thread(dialog: JobDialog, work: Callable[[Progress], T]) -> T:
    def progress(done: int, total: int) -> bool:
        dialog.show_progress(done, total)
        QCoreApplication.processEvents()  # repaint; the 取消 button can be pressed
        return not dialog.wasCanceled()

    return work(progress)


class _Relay(QObject):
    """Carries the worker's reports to the UI thread (queued signals)."""

    progressed = Signal(int, int)
    finished = Signal()


class _Worker(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)  # kept by run_job until its result is read
        self.work, self.relay = work, relay
        self.cancelled = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def progress(self, done: int, total: int) -> bool:
        self.relay.progressed.emit(done, total)
        return not self.cancelled.is_set()

    def run(self) -> None:
        try:
            self.result = self.work(self.progress)
        except BaseException as e:  # handed to the UI thread, raised there
            self.error = e
        finally:
            self.relay.finished.emit()


def _on_worker(dialog: JobDialog, work: Callable[[Progress], T]) -> T:
    relay = _Relay()
    worker = _Worker(work, relay)
    loop = QEventLoop()

    def progressed(done: int, total: int) -> None:
        dialog.show_progress(done, total)
        if dialog.wasCanceled():  # 取消, Esc or the dialog's ×
            worker.cancelled.set()

    relay.progressed.connect(progressed)
    relay.finished.connect(loop.quit)
    dialog.canceled.connect(worker.cancelled.set)
    QThreadPool.globalInstance().start(worker)
    loop.exec()
    relay.progressed.disconnect(progressed)
    if worker.error is not None:
        raise worker.error  # JobCancelled too: the job stopped where it was
    return worker.result  # type: ignore[no-any-return]
