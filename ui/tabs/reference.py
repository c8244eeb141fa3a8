"""基础资料 tab: the office's reference data, one page per kind, chosen from a list on the left."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP

from ui.tabs.paged_tab import PagedTab
from ui.tabs.reference_calendar import HolidayPage
from ui.tabs.reference_lists import CategoriesPage, HouseholdsPage
from ui.tabs.reference_pages import DepartmentsPage, OfficePage, StaffPage


class ReferenceTab(PagedTab):
    tr_context = "ReferenceTab"

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
        self.add_pages(
            [
                ("office", QT_TRANSLATE_NOOP("ReferenceTab", "小区信息"), self.office),
                ("departments", QT_TRANSLATE_NOOP("ReferenceTab", "部门"), self.departments),
                ("staff", QT_TRANSLATE_NOOP("ReferenceTab", "员工"), self.staff),
                ("categories", QT_TRANSLATE_NOOP("ReferenceTab", "投诉类别"), self.categories),
                ("households", QT_TRANSLATE_NOOP("ReferenceTab", "住户登记"), self.households),
                ("holidays", QT_TRANSLATE_NOOP("ReferenceTab", "节假日调整"), self.holidays),
            ]
        )
        bus.changed.connect(self._on_changed)

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
