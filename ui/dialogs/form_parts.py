"""The small pieces the dialogs are built from: choice lists, radio rows, long-text boxes,
the grey summary panel on top of a step dialog, and rich-text helpers."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

NOTE_STYLE = "QLabel { color: #555; }"
PANEL_STYLE = (
    "QFrame#summary { background: #f3f5f8; border: 1px solid #d5dbe3; border-radius: 3px; }"
)


def summary_panel(lines: list[str]) -> QFrame:
    """The grey box on top of a step dialog: which record this is about."""
    panel = QFrame()
    panel.setObjectName("summary")
    panel.setStyleSheet(PANEL_STYLE)
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(10, 8, 10, 8)
    for text in lines:
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
    return panel


def note(text: str) -> QLabel:
    """A grey explanatory line between fields."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


def fill(template: str, *values: object) -> str:
    """A translated rich-text template with %1, %2 … replaced by the values, HTML-escaped
    (a complainant may well type "<" or "&")."""
    for i in range(len(values), 0, -1):  # %10 before %1
        template = template.replace(f"%{i}", html.escape(str(values[i - 1])))
    return template


def shorten(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def combo(
    items: Iterable[str], current: str = "", *, editable: bool = False, blank: bool = False
) -> QComboBox:
    """A choice list; ``editable`` for names (a person not yet on the staff list)."""
    box = QComboBox()
    values = list(items)
    if blank:
        values.insert(0, "")
    if current and current not in values:
        values.append(current)
    box.addItems(values)
    box.setEditable(editable)
    if editable:
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        box.lineEdit().setPlaceholderText(box.tr("选择或输入"))
    if editable:
        box.setCurrentText(current)
    else:
        box.setCurrentIndex(values.index(current) if current in values else 0)
    return box


class ChoiceGroup(QWidget):
    """Radio buttons in a row (有效/无效, 口头/书面 ...): arrow keys move between them."""

    def __init__(
        self, choices: Sequence[str], current: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for i, text in enumerate(choices):
            button = QRadioButton(text)
            self.group.addButton(button, i)
            layout.addWidget(button)
            button.setChecked(text == current)
            button.installEventFilter(self)
        layout.addStretch(1)
        self._choices = list(choices)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Tab into the group lands on the ticked choice, as on a paper form's ticked box."""
        if (
            event.type() == QEvent.Type.FocusIn
            and isinstance(event, QFocusEvent)
            and event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
        ):
            checked = self.group.checkedButton()
            if checked is not None and checked is not obj:
                checked.setFocus(event.reason())
        return False

    def value(self) -> str:
        index = self.group.checkedId()
        return self._choices[index] if index >= 0 else ""

    def set_value(self, value: str) -> None:
        if value in self._choices:
            self.group.button(self._choices.index(value)).setChecked(True)

    def button(self, value: str) -> QAbstractButton:
        return self.group.button(self._choices.index(value))


def text_box(lines: int = 4, text: str = "", *, grow: bool = False) -> QPlainTextEdit:
    """Long text (投诉内容, 原因分析 ...): wraps, Tab moves on, Enter starts a new line.
    ``grow`` lets it take the room when the dialog is made taller."""
    box = QPlainTextEdit(text)
    box.setTabChangesFocus(True)
    box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    height = box.fontMetrics().lineSpacing() * lines + 14
    box.setMinimumHeight(height)
    if not grow:
        box.setMaximumHeight(height)
    return box
