"""What every dialog shares: field errors shown at their widgets, keyboard-first navigation,
the "discard what you typed?" question, and the room picker (房号输入).

The core reports problems as ``ValidationError`` (a list of ``FieldError(field, message)``,
where ``field`` is the record's attribute name) or ``WorkflowError`` (the action does not fit
where the record stands). :class:`FieldErrors` puts the first kind under the matching widget
and the second in a message box.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.domain.normalize import normalize_room
from app.services import StorageError
from ui.widgets.datetime_input import DateTimeInput, mark_invalid

if TYPE_CHECKING:
    from app.services.reference import ReferenceService

T = TypeVar("T")
log = logging.getLogger(__name__)
ERROR_COLOUR = "#c62828"


def _tr(text: str) -> str:
    return QCoreApplication.translate("FormSupport", text)


def show_workflow_error(parent: QWidget | None, error: WorkflowError) -> None:
    """The action does not fit where the record stands: say so in a message box."""
    QMessageBox.warning(parent, _tr("无法办理"), str(error))


def show_save_failure(parent: QWidget | None, error: Exception) -> None:
    """The database or disk refused the write; what was typed stays in the dialog."""
    if isinstance(error, StorageError):  # its message already says the input is kept
        QMessageBox.critical(parent, _tr("保存失败"), str(error))
        return
    QMessageBox.critical(
        parent,
        _tr("保存失败"),
        _tr("保存没有成功，填写的内容仍保留在窗口中，可稍后再试。\n\n原因：") + str(error),
    )


def confirm_discard(parent: QWidget | None) -> bool:
    """Ask before throwing away typed text (Esc / 取消)."""
    answer = QMessageBox.question(
        parent,
        _tr("放弃填写"),
        _tr("填写的内容还没有保存，确定放弃吗？"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def first_focusable(widget: QWidget) -> QWidget:
    """The widget itself, or (for a group of radio buttons) its checked or first button."""
    if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
        return widget
    buttons = [b for b in widget.findChildren(QAbstractButton) if b.isEnabled()]
    checked = [b for b in buttons if b.isChecked()]
    return (checked or buttons or [widget])[0]


class FieldErrors(QObject):
    """Field name → widget; shows messages under the widgets and a summary banner on top."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setStyleSheet(
            f"QLabel {{ color: {ERROR_COLOUR}; background: #fdecea; "
            "border: 1px solid #f5c2c0; padding: 6px; }"
        )
        self.banner.hide()

    def wrap(self, name: str, widget: QWidget) -> QWidget:
        """The widget with its error line below it (hidden until there is an error)."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        label = QLabel()
        label.setObjectName(f"error_{name}")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet(f"QLabel {{ color: {ERROR_COLOUR}; }}")
        label.hide()
        layout.addWidget(label)
        self._fields[name] = (widget, label)
        self._watch(name, widget)
        return box

    def widget(self, name: str) -> QWidget | None:
        entry = self._fields.get(name)
        return entry[0] if entry else None

    def message(self, name: str) -> str:
        """The error shown at a field ("" when none); for tests and accessibility."""
        entry = self._fields.get(name)
        return entry[1].text() if entry and not entry[1].isHidden() else ""

    def input_errors(self) -> list[FieldError]:
        """Date-time fields whose text cannot be read (checked before calling a service)."""
        return [
            FieldError(name, widget.error())
            for name, (widget, _) in self._fields.items()
            if isinstance(widget, DateTimeInput) and widget.isEnabled() and widget.error()
        ]

    def show(self, errors: list[FieldError]) -> None:
        """Each message at its field; unknown fields in the banner; focus the first bad one."""
        self.clear_all()
        loose: list[str] = []
        for err in errors:
            if err.field in self._fields:
                self._mark(err.field, err.message)
            else:
                loose.append(err.message)
        marked = [n for n in self._fields if self.message(n)]
        lines = list(loose)
        if marked:
            lines.insert(0, _tr("有 %1 处需要修改，见标红的栏目。").replace("%1", str(len(marked))))
        self.banner.setText("\n".join(lines))
        self.banner.setVisible(bool(lines))
        self._fit_height()
        if marked:
            first_focusable(self._fields[marked[0]][0]).setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self, name: str) -> None:
        widget, label = self._fields[name]
        if label.isHidden():
            return
        label.clear()
        label.hide()
        mark_invalid(widget, False)
        if not any(self.message(n) for n in self._fields):
            self.banner.hide()

    def clear_all(self) -> None:
        for name in self._fields:
            self.clear(name)
        self.banner.hide()

    def run(self, action: Callable[[], T]) -> T | None:
        """Call a service; show what went wrong and return None, or return its result."""
        try:
            return action()
        except ValidationError as e:
            self.show(e.errors)
        except WorkflowError as e:
            show_workflow_error(self._parent, e)
        except Exception as e:  # the database or the disk: keep the input, say why
            log.exception("save failed")
            show_save_failure(self._parent, e)
        return None

    def _fit_height(self) -> None:
        """Grow the dialog so the error lines just shown do not squeeze the fields."""
        layout = self._parent.layout()
        if layout is None:
            return
        layout.activate()
        width = self._parent.width()
        need = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if need > self._parent.height():
            self._parent.resize(width, need)

    def _mark(self, name: str, message: str) -> None:
        widget, label = self._fields[name]
        label.setText(
            "\n".join(filter(None, [label.text() if not label.isHidden() else "", message]))
        )
        label.show()
        mark_invalid(widget, True)

    def _watch(self, name: str, widget: QWidget) -> None:
        def clear(*_args: object) -> None:
            self.clear(name)

        if isinstance(widget, DateTimeInput):
            widget.errorChanged.connect(lambda message: self.show_field(name, message))
            widget.textEdited.connect(clear)
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(clear)
        elif isinstance(widget, QComboBox):
            widget.currentTextChanged.connect(clear)
        else:
            for button in widget.findChildren(QAbstractButton):
                button.toggled.connect(clear)

    def show_field(self, name: str, message: str) -> None:
        """One field's problem found on the way past it ("" clears it); others stay shown."""
        if message:
            self.clear(name)
            self._mark(name, message)
            self._fit_height()
        else:
            self.clear(name)


class FormKeys(QObject):
    """Enter moves to the next field, Ctrl+Enter saves (installed on a dialog's inputs)."""

    def __init__(self, dialog: QWidget, save: Callable[[], None]) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self._save = save
        for w in dialog.findChildren(QWidget):
            if isinstance(w, QLineEdit | QComboBox | QPlainTextEdit) or (
                isinstance(w, QAbstractButton) and w.isCheckable()
            ):
                w.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        completer = obj.completer() if isinstance(obj, QLineEdit) else None
        if completer is not None and completer.popup().isVisible():
            return False  # Enter picks the offered completion
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._save()
            return True
        others = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if isinstance(obj, QPlainTextEdit) or others:
            return False  # a new line in long text; Shift+Enter left to the widget
        if isinstance(obj, DateTimeInput):
            obj.normalise()
        self._dialog.focusNextChild()
        return True


class RoomInput(QLineEdit):
    """房号 with completion from the household register (住户登记).

    Typing any part (``1201``) offers the matching rooms (``3-2-1201``). With an empty
    register it is plain free text. The text is normalised to ``栋-单元-房`` on leaving the
    field; when the room is a known household, :attr:`householdFound` offers its owner and phone.
    """

    householdFound = Signal(str, str)  # owner name, phone

    def __init__(self, reference: ReferenceService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reference = reference
        self._looked_up = ""
        labels = reference.household_labels()
        self.setPlaceholderText(self.tr("栋-单元-房，如 3-2-1201"))
        if labels:
            completer = QCompleter(labels, self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setMaxVisibleItems(12)
            self.setCompleter(completer)
            completer.activated.connect(self._look_up)
        self._has_register = bool(labels)
        self.editingFinished.connect(self._finished)

    def _finished(self) -> None:
        room = normalize_room(self.text())
        if room != self.text():
            self.setText(room)
        self._look_up(room)

    def _look_up(self, label: str) -> None:
        if not self._has_register or not label or label == self._looked_up:
            return
        self._looked_up = label
        household = self._reference.household(label)
        if household is not None and (household.owner_name or household.phone):
            self.householdFound.emit(household.owner_name, household.phone)
