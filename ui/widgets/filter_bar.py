"""The filter bar over a register's list: quick views with live counts, a search box that
waits for typing to pause (and takes an IME's commit), filter lists and a date range, and
清除筛选. A register configures it with its views and filter fields, and turns the chosen
values into its own filter (``RegisterFilterBar.current_filter``)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

SEARCH_DELAY_MS = 250
NO_DATE = QDate(2000, 1, 1)  # the date edits' "不限" value


def _tr(text: str) -> str:
    return QCoreApplication.translate("RegisterFilterBar", text)


@dataclass(frozen=True)
class ChoiceField:
    """A filter list: ``everything`` first (全部状态 …), then fixed ``choices`` as
    (text, data); a list without fixed choices is filled by ``set_options``. ``label`` and
    ``everything`` are source texts in the bar's translation context."""

    name: str
    label: str
    everything: str
    choices: Sequence[tuple[str, Any]] = ()


@dataclass(frozen=True)
class DateRangeField:
    """From … 至 … (either end may stay 不限)."""

    label: str


class OptionalDateEdit(QDateEdit):
    """A date or 不限 (the minimum date); the calendar opens on this month when 不限."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.setMinimumDate(NO_DATE)
        self.setDate(NO_DATE)
        self.calendarWidget().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Show and self.date() == NO_DATE:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)

    def value(self) -> date | None:
        return None if self.date() == NO_DATE else self.date().toPython()


class RegisterFilterBar(QWidget):
    """Emits ``filter_changed`` whenever what the list should show changes.

    ``views`` maps each quick view to its label (the first is 全部); ``fields`` are laid out
    in order on the second row. Subclasses set ``tr_context`` and implement
    :meth:`current_filter`.
    """

    filter_changed = Signal()
    tr_context = "RegisterFilterBar"

    def __init__(
        self,
        views: Mapping[Hashable, str],
        fields: Sequence[ChoiceField | DateRangeField],
        *,
        search_hint: str,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._view_labels = dict(views)
        self._all_view = next(iter(self._view_labels))
        self._fields = tuple(fields)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.filter_changed)
        self.view_buttons: dict[Any, QPushButton] = {}
        self._view_group = QButtonGroup(self, exclusive=True)
        self.search = QLineEdit(
            placeholderText=self._tr(search_hint), clearButtonEnabled=True, objectName="searchBox"
        )
        self.combos: dict[str, QComboBox] = {}
        self.date_from = self._date_edit()
        self.date_to = self._date_edit()
        self.clear_button = QPushButton(_tr("清除筛选"))
        for f in self._fields:
            if isinstance(f, ChoiceField):
                self.combos[f.name] = self._choice(f)
        self._build()
        self._connect()

    # ----- what the list should show
    def current_filter(self) -> Any:
        raise NotImplementedError

    def current_view(self) -> Any:
        return next((v for v, b in self.view_buttons.items() if b.isChecked()), self._all_view)

    def choice(self, name: str) -> Any:
        """The data of the chosen entry (None for 全部…; Qt hands enum data back as str)."""
        return self.combos[name].currentData()

    def date_range(self) -> tuple[date | None, date | None]:
        return self.date_from.value(), self.date_to.value()

    def text(self) -> str:
        return self.search.text().strip()

    def set_view(self, view: Any) -> None:
        self.view_buttons[view].click()

    def set_counts(self, counts: Mapping[Any, int]) -> None:
        for view, button in self.view_buttons.items():
            label, count = self._tr(self._view_labels[view]), counts.get(view)
            button.setText(label if count is None else f"{label}  {count}")

    def set_options(self, name: str, names: Sequence[str]) -> None:
        """Refill a list (after reference data changed), keeping what was chosen."""
        field = next(f for f in self._fields if getattr(f, "name", None) == name)
        assert isinstance(field, ChoiceField)
        _refill(self.combos[name], self._tr(field.everything), names)

    def clear(self) -> None:
        """清除筛选: back to the first view with no conditions (one list update)."""
        widgets = (
            self.search,
            self.date_from,
            self.date_to,
            *self.combos.values(),
            *self.view_buttons.values(),
        )
        for w in widgets:
            w.blockSignals(True)
        self.view_buttons[self._all_view].setChecked(True)
        self.search.clear()
        for combo in self.combos.values():
            combo.setCurrentIndex(0)
        self.date_from.setDate(NO_DATE)
        self.date_to.setDate(NO_DATE)
        for w in widgets:
            w.blockSignals(False)
        self._search_timer.stop()
        self.filter_changed.emit()

    # ----- building
    def _tr(self, text: str) -> str:
        return QCoreApplication.translate(self.tr_context, text)

    def _date_edit(self) -> OptionalDateEdit:
        edit = OptionalDateEdit(self)
        edit.setSpecialValueText(_tr("不限"))
        return edit

    def _choice(self, field: ChoiceField) -> QComboBox:
        combo = QComboBox(objectName=f"filter_{field.name}")
        combo.addItem(self._tr(field.everything), None)
        for text, data in field.choices:
            combo.addItem(text, data)
        return combo

    def _build(self) -> None:
        views = QHBoxLayout()
        views.setSpacing(4)
        for view, label in self._view_labels.items():
            button = QPushButton(self._tr(label), checkable=True, objectName="quickView")
            button.setChecked(view == self._all_view)
            self._view_group.addButton(button)
            self.view_buttons[view] = button
            views.addWidget(button)
        views.addSpacing(16)
        views.addWidget(self.search, 1)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for f in self._fields:
            filters.addWidget(QLabel(self._tr(f.label)))
            if isinstance(f, DateRangeField):
                filters.addWidget(self.date_from)
                filters.addWidget(QLabel(_tr("至")))
                filters.addWidget(self.date_to)
            else:
                filters.addWidget(self.combos[f.name])
            filters.addSpacing(8)
        filters.addStretch(1)
        filters.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(views)
        layout.addLayout(filters)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_now)
        self._view_group.buttonToggled.connect(
            lambda _b, checked: checked and self.filter_changed.emit()
        )
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self.filter_changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.filter_changed)
        self.clear_button.clicked.connect(self.clear)

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.filter_changed.emit()


def _refill(combo: QComboBox, everything: str, names: Sequence[str]) -> None:
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for name in names:
        combo.addItem(name, name)
    index = combo.findData(chosen) if chosen else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    if chosen and index < 0:
        combo.currentIndexChanged.emit(0)
