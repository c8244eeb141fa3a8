"""Starting the window: the Qt application, font, style sheet, services and main window."""

from __future__ import annotations

import logging
import sys
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QThreadPool, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app.paths import APP_NAME, DataDir, resource_path
from app.services import (
    AlreadyRunningError,
    LocationRefusedError,
    open_guard,
    open_services,
)
from ui.fonts import install_app_font
from ui.main_window import MainWindow
from ui.signals import ChangeBus
from ui.startup import ScheduledBackups, recover_if_damaged

STYLE_SHEET = "style.qss"
DISPLAY_NAME = "物业管理处办公系统"


def build_main_window(services, bus: ChangeBus) -> MainWindow:
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
        guard = open_guard(data_dir.root, data_dir.database)
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
        return _run_guarded(app, data_dir)
    finally:
        guard.close()


def _run_guarded(app: QApplication, data_dir: DataDir) -> int:
    if not recover_if_damaged(data_dir, datetime.now()):
        return 1
    try:
        services = open_services(data_dir)
    except Exception as e:  # DatabaseTooNewError, OSError, a damaged file: say so, exit 1
        logging.getLogger(__name__).exception("cannot open %s", data_dir.root)
        _tell_cannot_open(data_dir, e)
        return 1
    try:
        bus = ChangeBus()
        window = build_main_window(services, bus)
        ScheduledBackups(services.backups, window)
        window.show()
        return int(app.exec())
    finally:
        QThreadPool.globalInstance().waitForDone()  # a backup in progress finishes first
        services.close()
