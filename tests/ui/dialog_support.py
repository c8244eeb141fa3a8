"""Helpers for the dialog tests: Chinese input as an IME delivers it, and message boxes that
never wait for a click."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QWidget


def commit(widget: QWidget, text: str) -> None:
    """Type ``text`` the way a Chinese IME hands it over: one commit string.

    (qtbot.keyClicks with Chinese characters aborts the process.)
    """
    target = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(target, event)


def show_active(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Show a dialog as the active window, so keys and focus behave as on a desk PC."""
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(widget.isActiveWindow)


def focused() -> QWidget:
    return QApplication.focusWidget()


@dataclass
class MessageBoxes:
    """What the code under test tried to show; ``answer`` is the reply to a question."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)
    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.No

    def texts(self, kind: str = "") -> list[str]:
        return [text for k, _title, text in self.shown if not kind or k == kind]


def patch_message_boxes(monkeypatch: pytest.MonkeyPatch) -> MessageBoxes:
    boxes = MessageBoxes()

    def record(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent, title, text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
            boxes.shown.append((kind, title, text))
            return boxes.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return show

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))
    return boxes
