"""基础资料 page 节假日调整: the office's own working-day overrides on top of the official
calendar, and which years the official calendar covers."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.tabs.reference_pages import FieldErrors, left_aligned, page_title

FIRST_YEAR_CHECKED = 2004  # the official data starts here


def known_years_text(calendar, this_year: int) -> str:
    known = [y for y in range(FIRST_YEAR_CHECKED, this_year + 3) if calendar.year_known(y)]
    if not known:
        return "—"
    return (
        f"{known[0]}–{known[-1]}"
        if known == list(range(known[0], known[-1] + 1))
        else "、".join(str(y) for y in known)
    )


class HolidayPage(QWidget):
    """节假日调整: 日期, 上班/休息, 说明; add and remove. Deadlines of open complaints follow."""

    def __init__(self, calendar, bus, today: date, parent=None) -> None:
        super().__init__(parent)
        self.calendar, self.bus, self.today = calendar, bus, today
        self.known_label = QLabel(objectName="knownYears", wordWrap=True)
        self.warning = QLabel(objectName="calendarWarning", wordWrap=True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("日期"), self.tr("类型"), self.tr("说明")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        metrics = self.table.fontMetrics()
        self.table.setColumnWidth(0, metrics.horizontalAdvance("2026-10-01") + 28)
        self.table.setColumnWidth(1, metrics.horizontalAdvance("上班") + 36)
        self.day = QDateEdit(QDate(today), calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.kind = QComboBox()
        self.kind.addItem(self.tr("休息"), False)
        self.kind.addItem(self.tr("上班"), True)
        self.note = QLineEdit(placeholderText=self.tr("说明，如 春节调休"))
        self.errors = FieldErrors()
        self.add_button = QPushButton(self.tr("添加/修改"))
        self.remove_button = QPushButton(self.tr("删除所选"))
        form = QGridLayout()
        for column, widget in enumerate((self.day, self.kind, self.note, self.add_button)):
            form.addWidget(widget, 0, column)
        form.addWidget(self.errors.label_for("day"), 1, 0, 1, 3)
        form.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            page_title(
                self.tr("节假日调整"),
                self.tr(
                    "官方节假日和调休按国务院公布的安排计算；管理处自己的调整写在这里，优先于官方安排。"
                    "修改后，未答复投诉的答复期限会重新计算。"
                ),
            )
        )
        layout.addWidget(self.known_label)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addLayout(left_aligned(self.remove_button))
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.reload()

    def reload(self) -> None:
        self.known_label.setText(
            self.tr("已收录官方节假日安排的年份：{years}").format(
                years=known_years_text(self.calendar, self.today.year)
            )
        )
        missing = [
            y for y in (self.today.year, self.today.year + 1) if not self.calendar.year_known(y)
        ]
        self.warning.setText(
            self.tr(
                "{years}年节假日安排未公布：答复期限按周一至周五估算。"
                "国务院公布后，请在下面逐日添加放假（休息）和调休上班日。"
            ).format(years="、".join(str(y) for y in missing))
            if missing
            else ""
        )
        self.warning.setVisible(bool(missing))
        self._days = sorted(self.calendar.overrides().items())
        self.table.setRowCount(len(self._days))
        for row, (day, (is_workday, note)) in enumerate(self._days):
            kind = self.tr("上班") if is_workday else self.tr("休息")
            for column, text in enumerate((day.isoformat(), kind, note)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def add(self) -> bool:
        day: date = self.day.date().toPython()
        is_workday = bool(self.kind.currentData())
        note = self.note.text().strip()
        if not self.errors.attempt(lambda: self.calendar.set_override(day, is_workday, note)):
            return False
        self.note.clear()
        self._announce()
        return True

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._days):
            day = self._days[row][0]
            if self.errors.attempt(lambda: self.calendar.set_override(day, None)):
                self._announce()

    def _announce(self) -> None:
        # Open complaints' deadlines were recomputed by the service: both lists change.
        self.bus.changed.emit("calendar")
        self.bus.changed.emit("complaints")
