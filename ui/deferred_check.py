"""The start-up quick_check, run once the window shows instead of before it (issue 5: the
window is interactive quickly on a large file). After an unclean exit the full check still
runs before the window (app.db.startup_check). If the deferred check finds the file damaged,
the clerk is told to stop, and the program closes keeping its clean-shutdown marker, so the
next start runs the full check, sets the file aside and offers the newest good backup."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services import HealthReport, check_now

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("deferred_check", text)


class DeferredCheck(QObject):
    """Runs `check_now` on a worker; `done(report)` arrives on the UI thread."""

    done = Signal(object)

    def __init__(self, database: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database

    def start(self) -> None:
        QThreadPool.globalInstance().start(_Job(self.database, self.done.emit))


class _Job(QRunnable):
    def __init__(self, database: Path, report: Callable[[HealthReport], None]) -> None:
        super().__init__()
        self.database, self.report = database, report

    def run(self) -> None:
        try:
            self.report(check_now(self.database))
        except Exception:  # unreadable: the next start's check says so; never crash the UI
            log.exception("deferred quick_check of %s failed", self.database)


def tell_damaged(parent: QWidget | None, report: HealthReport) -> None:
    """The deferred check found damage: say what and what happens next."""
    text = "\n".join(
        [
            *report.lines,
            "",
            _tr("程序将关闭。下次启动时会把损坏的文件另存（不删除），并提供从最新的完好备份恢复。"),
        ]
    )
    QMessageBox.critical(parent, _tr("数据文件损坏"), text)
