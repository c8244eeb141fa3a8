"""The complaint list's filter bar: quick views with live counts, full-text search, filters."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QEvent, QTimer, Signal
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

from app.domain.complaint import Status
from app.domain.listing import ComplaintFilter, QuickView, ValidityFilter

SEARCH_DELAY_MS = 250
VIEW_LABELS = {
    QuickView.ALL: QT_TRANSLATE_NOOP("ComplaintFilterBar", "全部"),
    QuickView.OPEN: QT_TRANSLATE_NOOP("ComplaintFilterBar", "未关闭"),
    QuickView.DUE_TODAY: QT_TRANSLATE_NOOP("ComplaintFilterBar", "今日到期"),
    QuickView.OVERDUE: QT_TRANSLATE_NOOP("ComplaintFilterBar", "已超期"),
    QuickView.AWAITING_VISIT: QT_TRANSLATE_NOOP("ComplaintFilterBar", "待回访"),
    QuickView.ESCALATED: QT_TRANSLATE_NOOP("ComplaintFilterBar", "已升级"),
}
NO_DATE = QDate(2000, 1, 1)  # the date edits' "不限" value


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


class ComplaintFilterBar(QWidget):
    """Emits `filter_changed` whenever what the list should show changes."""

    filter_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.filter_changed)
        self.view_buttons: dict[QuickView, QPushButton] = {}
        self._view_group = QButtonGroup(self, exclusive=True)
        self.search = QLineEdit(
            placeholderText=self.tr("搜索编号、投诉人、房号、内容…"),
            clearButtonEnabled=True,
            objectName="searchBox",
        )
        self.status = QComboBox()
        self.date_from = self._date_edit()
        self.date_to = self._date_edit()
        self.dept = QComboBox()
        self.category = QComboBox()
        self.validity = QComboBox()
        self.clear_button = QPushButton(self.tr("清除筛选"))
        self._fill_fixed_choices()
        self._build()
        self._connect()

    # ----- what the list should show
    def current_filter(self) -> ComplaintFilter:
        view = next((v for v, b in self.view_buttons.items() if b.isChecked()), QuickView.ALL)
        status = self.status.currentData()  # Qt hands enum data back as plain str
        validity = self.validity.currentData()
        return ComplaintFilter(
            view=view,
            statuses=frozenset([Status(status)]) if status else frozenset(),
            received_from=_date_of(self.date_from),
            received_to=_date_of(self.date_to),
            dept=self.dept.currentData() or "",
            category=self.category.currentData() or "",
            validity=ValidityFilter(validity) if validity else None,
            text=self.search.text().strip(),
        )

    def set_view(self, view: QuickView) -> None:
        self.view_buttons[view].click()

    def set_counts(self, counts: dict[QuickView, int]) -> None:
        for view, button in self.view_buttons.items():
            label, count = self.tr(VIEW_LABELS[view]), counts.get(view)
            button.setText(label if count is None else f"{label}  {count}")

    def set_choices(self, departments: list[str], categories: list[str]) -> None:
        """Refill 责任部门 and 类别 (after reference data changed), keeping what was chosen."""
        _refill(self.dept, self.tr("全部部门"), departments)
        _refill(self.category, self.tr("全部类别"), categories)

    def clear(self) -> None:
        """清除筛选: back to 全部 with no conditions (one list update)."""
        widgets = (
            self.search,
            self.status,
            self.date_from,
            self.date_to,
            self.dept,
            self.category,
            self.validity,
            *self.view_buttons.values(),
        )
        for w in widgets:
            w.blockSignals(True)
        self.view_buttons[QuickView.ALL].setChecked(True)
        self.search.clear()
        for combo in (self.status, self.dept, self.category, self.validity):
            combo.setCurrentIndex(0)
        self.date_from.setDate(NO_DATE)
        self.date_to.setDate(NO_DATE)
        for w in widgets:
            w.blockSignals(False)
        self._search_timer.stop()
        self.filter_changed.emit()

    # ----- building
    def _date_edit(self) -> QDateEdit:
        edit = OptionalDateEdit(self)
        edit.setSpecialValueText(self.tr("不限"))
        return edit

    def _fill_fixed_choices(self) -> None:
        self.status.addItem(self.tr("全部状态"), None)
        for s in Status:
            self.status.addItem(s.value, s)
        self.validity.addItem(self.tr("全部性质"), None)
        for v in ValidityFilter:
            self.validity.addItem(v.value, v)
        self.set_choices([], [])

    def _build(self) -> None:
        views = QHBoxLayout()
        views.setSpacing(4)
        for view in QuickView:
            button = QPushButton(self.tr(VIEW_LABELS[view]), checkable=True, objectName="quickView")
            button.setChecked(view == QuickView.ALL)
            self._view_group.addButton(button)
            self.view_buttons[view] = button
            views.addWidget(button)
        views.addSpacing(16)
        views.addWidget(self.search, 1)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for label, widget in (
            (self.tr("状态"), self.status),
            (self.tr("登记日期"), self.date_from),
            (self.tr("至"), self.date_to),
            (self.tr("责任部门"), self.dept),
            (self.tr("类别"), self.category),
            (self.tr("性质"), self.validity),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
            if widget is not self.date_from:
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
        for combo in (self.status, self.dept, self.category, self.validity):
            combo.currentIndexChanged.connect(self.filter_changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.filter_changed)
        self.clear_button.clicked.connect(self.clear)

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.filter_changed.emit()


def _date_of(edit: QDateEdit) -> date | None:
    return None if edit.date() == NO_DATE else edit.date().toPython()


def _refill(combo: QComboBox, everything: str, names: list[str]) -> None:
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
