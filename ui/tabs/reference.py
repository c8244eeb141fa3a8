"""基础资料 tab: the office's reference data, one page per kind, chosen from a list on the left."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QStackedWidget, QWidget

from ui.tabs.reference_calendar import HolidayPage
from ui.tabs.reference_lists import CategoriesPage, HouseholdsPage
from ui.tabs.reference_pages import DepartmentsPage, OfficePage, StaffPage

PAGE_MAX_WIDTH = 820  # forms stay readable on a wide screen
PAGE_TITLES = {
    "office": QT_TRANSLATE_NOOP("ReferenceTab", "小区信息"),
    "departments": QT_TRANSLATE_NOOP("ReferenceTab", "部门"),
    "staff": QT_TRANSLATE_NOOP("ReferenceTab", "员工"),
    "categories": QT_TRANSLATE_NOOP("ReferenceTab", "投诉类别"),
    "households": QT_TRANSLATE_NOOP("ReferenceTab", "住户登记"),
    "holidays": QT_TRANSLATE_NOOP("ReferenceTab", "节假日调整"),
}


class ReferenceTab(QWidget):
    def __init__(
        self, reference, calendar, bus, parent=None, *, households=None, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.bus = bus
        self.office = OfficePage(reference, bus)
        self.departments = DepartmentsPage(reference, bus)
        self.staff = StaffPage(reference, bus)
        self.categories = CategoriesPage(reference, bus)
        self.households = HouseholdsPage(reference, households, bus)
        self.holidays = HolidayPage(calendar, bus, today or date.today())
        self.pages = {
            "office": self.office,
            "departments": self.departments,
            "staff": self.staff,
            "categories": self.categories,
            "households": self.households,
            "holidays": self.holidays,
        }
        self.nav = QListWidget(objectName="referenceNav")
        self.stack = QStackedWidget()
        for key, page in self.pages.items():
            self.nav.addItem(QCoreApplication.translate("ReferenceTab", PAGE_TITLES[key]))
            page.setMaximumWidth(PAGE_MAX_WIDTH)
            self.stack.addWidget(page)
        self.nav.setFixedWidth(self.nav.fontMetrics().horizontalAdvance("节假日调整") + 48)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        bus.changed.connect(self._on_changed)

    def show_page(self, key: str) -> QWidget:
        self.nav.setCurrentRow(list(self.pages).index(key))
        return self.pages[key]

    def _on_changed(self, kind: str) -> None:
        if kind == "settings":
            self.office.reload()
        elif kind == "reference":
            self.departments.reload()
            self.staff.reload()
            self.categories.refresh()
            self.households.reload()
        elif kind == "calendar":
            self.holidays.reload()
