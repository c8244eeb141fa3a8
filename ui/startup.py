"""What happens before the window opens: a damaged database is set aside and the newest good
backup offered, and someone signs in (on a new data folder, after creating the administrator);
while the window runs, the daily backup is taken off the UI thread."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox

from app.paths import DataDir
from app.services.backups import BackupService, HealthReport, recover_corrupt, restore_file

BACKUP_CHECK_MS = 30 * 60 * 1000  # the service itself decides whether one is due (daily)


def _tr(text: str) -> str:
    return QCoreApplication.translate("startup", text)


def recover_if_damaged(
    data_dir: DataDir, now: datetime, health: HealthReport | None = None
) -> bool:
    """True when the app may go on. A damaged file is already set aside (kept, not deleted);
    the user chooses whether to restore the newest backup that verified. `health` is the
    guard's start-up check, when it has just run."""
    report = recover_corrupt(data_dir, now, health=health)
    if not report.needs_attention:
        return True
    text = "\n".join(report.lines())
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("数据库需要恢复"), text)
    restore = None
    if report.offer is not None:
        restore = box.addButton(_tr("从该备份恢复"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("退出"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if restore is None or box.clickedButton() is not restore or report.offer is None:
        return False
    restore_file(data_dir, report.offer.path, now)
    return True


def sign_in(accounts) -> bool:
    """Someone signs in: on a new data folder by creating the first administrator, else in
    the sign-in dialog. False when they chose to quit instead."""
    if accounts.needs_setup():
        from ui.dialogs.first_admin import FirstAdminDialog  # once, on a new data folder

        dialog: QDialog = FirstAdminDialog(accounts)
    else:
        from ui.dialogs.sign_in import SignInDialog

        dialog = SignInDialog(accounts)
    return dialog.exec() == QDialog.DialogCode.Accepted


class _BackupJob(QRunnable):
    def __init__(self, backups: BackupService) -> None:
        super().__init__()
        self.backups = backups

    def run(self) -> None:
        try:
            self.backups.run_scheduled()
        except Exception:  # reported by the next manual backup or `check`; never crash the UI
            logging.getLogger(__name__).exception("scheduled backup failed")


class ScheduledBackups(QObject):
    """Every half hour, ask the backup service whether a backup is due; it runs on a worker."""

    def __init__(self, backups: BackupService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backups = backups
        self.timer = QTimer(self, interval=BACKUP_CHECK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        QThreadPool.globalInstance().start(_BackupJob(self.backups))
