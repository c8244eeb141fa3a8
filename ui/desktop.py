"""Small bridges to the desktop: opening a saved PDF, saving one under the prints folder, and
messages that do not block (so tests and the event loop keep running).

Tests patch `ui.desktop.open_pdf`; callers use it through the module (`desktop.open_pdf`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def open_pdf(path: Path) -> bool:
    """Show the PDF in the system's viewer (from which the clerk prints it)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def safe_file_name(text: str) -> str:
    """A file name from a record number or form title (Windows-safe)."""
    return "".join("_" if ch in '<>:"/\\|?*' else ch for ch in text).strip() or "form"


def save_and_open_pdf(printing, pdf: bytes, folder: Path, name: str) -> Path:
    """Save under `folder` as <name>.pdf (replacing an older copy) and open it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = printing.save(pdf, folder / f"{safe_file_name(name)}.pdf")
    open_pdf(path)
    return path


def show_message(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
) -> QMessageBox:
    """A window-modal message that returns at once (the user closes it)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    # Qt's own zh_CN catalogue is not in PySide6-Essentials: name the button ourselves.
    box.button(QMessageBox.StandardButton.Ok).setText(QCoreApplication.translate("desktop", "确定"))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def show_error(parent: QWidget | None, text: str) -> QMessageBox:
    title = QCoreApplication.translate("desktop", "无法完成")
    return show_message(parent, title, text, QMessageBox.Icon.Warning)
