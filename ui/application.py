"""Starting the window: the Qt application, font, style sheet, services, signing in and the
main window; then 注销/切换用户 and 从备份恢复, which each end one signed-in window and begin
another."""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.paths import APP_NAME, DataDir, resource_path
from app.services import (
    AlreadyRunningError,
    HealthReport,
    LocationRefusedError,
    Services,
    open_guard,
    open_services,
)
from ui import startup
from ui.deferred_check import DeferredCheck, tell_damaged
from ui.fonts import install_app_font
from ui.jobs import run_job
from ui.preload import Preload
from ui.signals import ChangeBus
from ui.startup import ScheduledBackups, recover_if_damaged

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

STYLE_SHEET = "style.qss"
DISPLAY_NAME = "物业管理处办公系统"


def build_main_window(services, bus: ChangeBus) -> MainWindow:
    from ui.main_window import MainWindow

    return MainWindow(services, bus)


def load_style_sheet() -> str:
    try:
        return resource_path(STYLE_SHEET).read_text(encoding="utf-8")
    except OSError:
        return ""


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(QCoreApplication.translate("application", DISPLAY_NAME))
    _install_qt_translation(app)
    install_app_font(app)
    app.setStyleSheet(load_style_sheet())
    app.setWindowIcon(QIcon(str(resource_path("icons/estate-office.png"))))
    return app


def _install_qt_translation(app: QApplication) -> None:
    """Qt's own buttons and dialogs (确定, 取消, file dialogs) in Simplified Chinese: from
    resources/translations if shipped there, else from Qt's folder (PySide6-Essentials has only
    an empty catalogue there, so the app names its own dialog buttons too)."""
    locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    for folder in (
        str(resource_path("translations")),
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        translator = QTranslator(app)
        if translator.load(locale, "qtbase", "_", folder):
            app.installTranslator(translator)
            return


def _tell_cannot_open(data_dir: DataDir, error: Exception) -> None:
    tr = QCoreApplication.translate
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        tr("application", "无法打开数据"),
        tr("application", "无法打开数据文件夹 {folder}：\n{error}").format(
            folder=data_dir.root, error=error
        ),
    )
    box.addButton(tr("application", "退出"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def run(data_dir: DataDir) -> int:
    app = make_application()
    try:  # one copy per data folder, on this PC's own disk (not a network share)
        data_dir.ensure()
        guard = open_guard(data_dir.root, data_dir.database, defer_quick_check=True)
    except (AlreadyRunningError, LocationRefusedError, OSError) as e:
        _tell_cannot_open(data_dir, e)
        return 1
    try:
        if guard.location.warn:
            QMessageBox.warning(
                None,
                QCoreApplication.translate("application", "数据文件夹"),
                guard.location.message,
            )
        damaged: list[HealthReport] = []
        return _run_guarded(app, data_dir, guard.health, damaged)
    finally:
        if damaged:  # keep the marker: the next start checks in full and offers a backup
            guard.abandon()
        else:
            guard.close()


def _run_guarded(
    app: QApplication, data_dir: DataDir, health: HealthReport, damaged: list[HealthReport]
) -> int:
    # the guard has just checked the file: recovery reuses its result instead of reading again
    if not recover_if_damaged(data_dir, datetime.now(), health):
        return 1
    services = _open_services(data_dir)
    if services is None:
        return 1
    desk = Desk(app, data_dir, services)
    quits_by_itself = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # the desk decides: 注销 closes a window, not the app
    try:
        if not desk.start():
            return 0  # 退出 at sign-in
        if health.deferred:
            check = DeferredCheck(data_dir.database, desk)
            check.done.connect(lambda report: desk.found_damage(report, damaged))
            QTimer.singleShot(0, check.start)
        return int(app.exec())
    finally:
        app.setQuitOnLastWindowClosed(quits_by_itself)
        desk.close_window()
        QThreadPool.globalInstance().waitForDone()  # a backup in progress finishes first
        desk.services.close()


def open_window(services: Services, *, show: bool = True) -> MainWindow:
    """The signed-in user's main window with its change bus and the scheduled backups."""
    bus = ChangeBus()
    window = build_main_window(services, bus)
    bus.setParent(window)
    ScheduledBackups(services.backups, window)
    if show:
        window.show()
    return window


def startup_probe(data_dir: DataDir, *, bare: bool = False) -> int:
    """`estate-office --startup-probe [--bare]` (ui/startup_probe.py)."""
    from ui import startup_probe as probe

    return probe.bare() if bare else probe.full(data_dir)


def _open_services(data_dir: DataDir) -> Services | None:
    try:
        return open_services(data_dir)
    except Exception as e:  # DatabaseTooNewError, OSError, a damaged file: say so
        log.exception("cannot open %s", data_dir.root)
        _tell_cannot_open(data_dir, e)
        return None


class Desk(QObject):
    """One run of the program, a signed-in window at a time.

    注销/切换用户 signs the user out, closes their window and, after the next sign-in, opens a
    new one with that user's tabs and menus. 恢复 closes the database, restores the backup,
    reopens it and asks for a sign-in (the restored file has its own users). Closing the
    window ends the program; so does 退出 at the sign-in.
    """

    def __init__(self, app: QApplication, data_dir: DataDir, services: Services) -> None:
        super().__init__()
        self.app, self.data_dir, self.services = app, data_dir, services
        self.window: MainWindow | None = None

    def start(self) -> bool:
        """Sign in and show the window; False when the user chose to quit."""
        preload = Preload().start()  # while the user types and the password is checked
        signed_in = startup.sign_in(self.services.accounts)
        preload.wait()
        if not signed_in:
            return False
        window = open_window(self.services, show=False)
        # Queued: the window that asked is deleted by the slot, so the slot runs after its
        # menu action or button has returned.
        queued = Qt.ConnectionType.QueuedConnection
        window.sign_out_requested.connect(self.sign_out, queued)
        window.restore_requested.connect(self.restore, queued)
        window.closed.connect(lambda: self._closed(window))
        self.window = window
        window.show()
        window.tab_widgets.build_rest_later()
        return True

    def found_damage(self, report: HealthReport, damaged: list[HealthReport]) -> None:
        """The deferred quick_check's verdict: on damage, tell the clerk and close."""
        if report.damage:
            damaged.append(report)
            tell_damaged(self.window, report)
            self.app.quit()

    def sign_out(self) -> None:
        self.close_window()
        self.services.accounts.sign_out()
        self._sign_in_again()

    def restore(self, backup: Path) -> None:
        self.close_window()
        QThreadPool.globalInstance().waitForDone()
        backups = self.services.backups  # made while the database is open (it reads a setting)
        self.services.close()
        try:
            result = run_job(
                None,
                _tr("恢复"),
                _tr("正在从备份 {name} 恢复数据库，请稍候…").format(name=backup.name),
                lambda _progress: backups.restore(backup),
                off_thread=True,  # every connection is closed: it works on files alone
                counts=False,
                cancellable=False,
            )
        except Exception as e:  # BackupError, OSError: the database was left as it was
            log.exception("restore from %s failed", backup)
            _tell(
                QMessageBox.Icon.Warning,
                _tr("恢复失败"),
                _tr("恢复没有完成，数据库没有改动。\n\n原因：{error}").format(error=e),
            )
        else:
            _tell(
                QMessageBox.Icon.Information,
                _tr("恢复完成"),
                "\n".join(result.lines()) + "\n\n" + _tr("请重新登录。"),
            )
        services = _open_services(self.data_dir)
        if services is None:
            self.app.quit()
            return
        self.services = services
        self._sign_in_again()

    def _sign_in_again(self) -> None:
        if not self.start():
            self.app.quit()

    def close_window(self) -> None:
        """Close and delete the window now: its tabs' timers must not query a closed database."""
        window, self.window = self.window, None
        if window is not None:
            window.close()
            window.deleteLater()
            QCoreApplication.sendPostedEvents(window, QEvent.Type.DeferredDelete)

    def _closed(self, window: MainWindow) -> None:
        if window is self.window:  # closed by the user (×, 文件 → 退出), not by the desk
            self.app.quit()


def _tr(text: str) -> str:
    return QCoreApplication.translate("application", text)


def _tell(icon: QMessageBox.Icon, title: str, text: str) -> None:
    box = QMessageBox(icon, title, text)
    box.addButton(_tr("确定"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
