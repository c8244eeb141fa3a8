"""The base of every data-entry dialog: labelled fields on a grid in the paper form's order,
errors at the fields, Enter to move on, Ctrl+Enter to save, Esc asks before discarding.

A subclass adds its fields with :meth:`FormDialog.add_field` (the field name is the record
attribute the core names in its ``FieldError``), calls :meth:`FormDialog.finish`, and
implements :meth:`FormDialog.perform` as one service call returning the saved record.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FieldError, ValidationError
from ui.dialogs.form_parts import ChoiceGroup, combo, summary_panel
from ui.widgets.datetime_input import DateInput, DateTimeInput, Now
from ui.widgets.form_support import FieldErrors, FormKeys, confirm_discard, first_focusable

if TYPE_CHECKING:
    from app.services.reference import ReferenceService


class FormDialog(QDialog):
    """Fields in a grid of ``columns`` label/field pairs; ``saved`` holds what perform returned."""

    def __init__(self, title: str, parent: QWidget | None = None, *, columns: int = 1) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.saved: Any = None
        self.errors = FieldErrors(self)
        self._columns = columns
        self._row = 0
        self._col = 0
        self._order: list[QWidget] = []
        self._snapshot: tuple[object, ...] = ()
        self._line_height = QLineEdit().sizeHint().height()
        self.captions: dict[str, QLabel] = {}
        self.boxes: dict[str, QWidget] = {}
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(8)
        for c in range(columns):
            self.grid.setColumnStretch(2 * c + 1, 1)
        self.outer = QVBoxLayout(self)
        self.outer.addWidget(self.errors.banner)
        self.outer.addLayout(self.grid)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存（Ctrl+Enter）"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    # ----- building
    def add_header(self, widget: QWidget) -> None:
        """Something shown above the fields (the record the step is about)."""
        self.outer.insertWidget(self.outer.indexOf(self.errors.banner), widget)

    def add_field(
        self, name: str, label: str, widget: QWidget, *, span: bool = False, required: bool = False
    ) -> QWidget:
        """A labelled field; ``span`` takes the full width on a row of its own."""
        if span and self._col:
            self.next_row()
        text = label + ("<span style='color:#c62828'> *</span>" if required else "")
        caption = QLabel(text)
        caption.setTextFormat(Qt.TextFormat.RichText)
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        caption.setMinimumHeight(self._line_height)
        caption.setBuddy(first_focusable(widget))
        box = self.errors.wrap(name, widget)
        self.captions[name] = caption
        self.boxes[name] = box
        self.grid.addWidget(
            caption,
            self._row,
            2 * self._col,
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight,
        )
        width = 2 * self._columns - 1 if span else 1
        self.grid.addWidget(box, self._row, 2 * self._col + 1, 1, width, Qt.AlignmentFlag.AlignTop)
        self._order.append(widget)
        self._col = self._columns if span else self._col + 1
        if self._col >= self._columns:
            self.next_row()
        return widget

    def add_wide(self, widget: QWidget) -> None:
        """A row with no caption (a note, a check box revealing more fields)."""
        if self._col:
            self.next_row()
        self.grid.addWidget(widget, self._row, 1, 1, 2 * self._columns - 1)
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            self._order.append(widget)
        self.next_row()

    def set_field_visible(self, name: str, visible: bool) -> None:
        self.captions[name].setVisible(visible)
        self.boxes[name].setVisible(visible)

    def reveal_with(self, check: QCheckBox, name: str) -> None:
        """Show field ``name`` only while ``check`` is ticked (即时答复 ...)."""
        self.set_field_visible(name, check.isChecked())
        check.toggled.connect(lambda on: self.set_field_visible(name, on))

    def next_row(self) -> None:
        self._row += 1
        self._col = 0

    def finish(self) -> None:
        """Buttons, tab order (the order fields were added), keys, and the 'typed?' snapshot."""
        self.outer.addSpacing(4)
        self.outer.addWidget(self.buttons)
        chain: list[QWidget] = []
        for w in self._order:
            buttons = (
                []
                if w.focusPolicy() != Qt.FocusPolicy.NoFocus
                else [b for b in w.findChildren(QAbstractButton)]
            )
            chain.extend(b for b in buttons or [w] if b.focusPolicy() != Qt.FocusPolicy.NoFocus)
        chain.extend(
            [self.save_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        )
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self._keys = FormKeys(self, self.save)
        self._snapshot = self._state()
        if self._order:
            first_focusable(self._order[0]).setFocus()

    def fit(self, width: int) -> None:
        """Resize to ``width`` and just the height the fields need at that width."""
        layout = self.outer
        layout.activate()
        height = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        self.resize(width, max(height, layout.totalMinimumSize().height()))

    # ----- saving and leaving
    def perform(self) -> Any:
        """Call the service with what was typed; return the saved record."""
        raise NotImplementedError

    def extra_errors(self) -> list[FieldError]:
        """Problems to show together with unreadable dates (so the clerk sees all at once)."""
        return []

    def save(self) -> None:
        self.errors.clear_all()
        problems = self.errors.input_errors()
        if problems:
            flagged = {p.field for p in problems}
            self.errors.show(problems + [e for e in self.extra_errors() if e.field not in flagged])
            return
        result = self.errors.run(self.perform)
        if result is not None:
            self.saved = result
            self.accept()

    def is_dirty(self) -> bool:
        return self._state() != self._snapshot

    def reject(self) -> None:
        if self.is_dirty() and not confirm_discard(self):
            return
        super().reject()

    def _state(self) -> tuple[object, ...]:
        values: list[object] = []
        for w in self.findChildren(QWidget):
            if isinstance(w, QLineEdit) and not isinstance(w.parent(), QComboBox):
                values.append(w.text())
            elif isinstance(w, QPlainTextEdit):
                values.append(w.toPlainText())
            elif isinstance(w, QComboBox):
                values.append(w.currentText())
            elif isinstance(w, QAbstractButton) and w.isCheckable():
                values.append(w.isChecked())
        return tuple(values)


class RecordDialog(FormDialog):
    """One step on one record: what the record is (a grey summary) on top, then the fields.

    Subclasses give :meth:`title_text`, :meth:`summary`, :meth:`build` and :meth:`perform`;
    ``service`` is the service the step calls, ``now`` its clock.
    """

    min_width = 560

    def __init__(
        self,
        service: Any,
        record: Any,
        parent: QWidget | None = None,
        *,
        now: Now,
        reference: ReferenceService | None = None,
    ) -> None:
        super().__init__("", parent)
        self.service = service
        self.record = record
        self.reference = reference
        self._now = now
        self.setWindowTitle(self.title_text())
        self.add_header(summary_panel(self.summary()))
        self.build()
        self.finish()
        self.fit(max(self.sizeHint().width(), self.min_width))

    def title_text(self) -> str:
        raise NotImplementedError

    def summary(self) -> list[str]:
        raise NotImplementedError

    def build(self) -> None:
        raise NotImplementedError

    # ----- field builders
    def staff(self, current: str = "") -> QComboBox:
        """A name: picked from the staff list or typed (someone not on it yet)."""
        names = self.reference.staff_names() if self.reference else []
        return combo(names, current, editable=True)

    def department(self, current: str = "") -> QComboBox:
        names = self.reference.departments() if self.reference else []
        return combo(names, current, blank=True)

    def datetime_input(
        self, *, optional: bool = False, value: datetime | None = None
    ) -> DateTimeInput:
        """A date-time field; a required one starts at the current time."""
        field = DateTimeInput(now=self._now, optional=optional)
        field.setValue(value if value is not None or optional else self._now())
        return field

    def date_input(self, value: date | None = None) -> DateInput:
        field = DateInput(now=self._now)
        field.setValue(value or self._now().date())
        return field

    @staticmethod
    def chosen(name: str, group: ChoiceGroup, message: str) -> str:
        """The ticked choice, or the message at the field when none is."""
        if not group.value():
            raise ValidationError([FieldError(name, message)])
        return group.value()
