"""What the 系统设置 sections share: the hourglass while a long call runs on the UI thread
(checking a backup, anonymising years of records), and the wide question asked before an
action that cannot simply be undone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

WIDE_TEXT = "QLabel#qt_msgbox_label { min-width: 520px; }"


@contextmanager
def busy() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def ask(parent: QWidget, title: str, text: str, go: str) -> bool:
    """True when the user clicks `go` (取消 is the other choice)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setStyleSheet(WIDE_TEXT)
    yes = box.addButton(go, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(
        QCoreApplication.translate("SystemPage", "取消"), QMessageBox.ButtonRole.RejectRole
    )
    box.exec()
    return box.clickedButton() is yes
