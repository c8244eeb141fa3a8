"""维修资料 tab: what the repair register is run by — 维修类别, 收费标准, 维修时限表, 片区 and
the 设施台账 — one page each, chosen from a list on the left (like 基础资料)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from ui.tabs.paged_tab import PagedTab
from ui.tabs.reference_lists import CategoriesPage
from ui.tabs.repair_facilities import FacilitiesPage
from ui.tabs.repair_prices import KIND, PriceListPage, TimeLimitsPage
from ui.tabs.repair_zones import ZonesPage

CONTEXT = "RepairReferenceTab"


class RepairReferenceTab(PagedTab):
    tr_context = CONTEXT

    def __init__(self, repair_reference, reference, bus, parent=None) -> None:
        super().__init__(parent)
        self.bus = bus
        self.categories = CategoriesPage(
            repair_reference,
            bus,
            title=self.tr("维修类别"),
            hint=self.tr(
                "报修登记、维修时限表和统计按这里的顺序列出类别。双击可改名，"
                "修改后请点“保存类别”；已登记维修单上的类别名称不变。"
            ),
            kind=KIND,
        )
        self.prices = PriceListPage(repair_reference, bus)
        self.time_limits = TimeLimitsPage(repair_reference, bus)
        self.zones = ZonesPage(repair_reference, reference, bus)
        self.facilities = FacilitiesPage(repair_reference, bus)
        self.add_pages(
            [
                ("categories", QT_TRANSLATE_NOOP(CONTEXT, "维修类别"), self.categories),
                ("prices", QT_TRANSLATE_NOOP(CONTEXT, "收费标准"), self.prices),
                ("time_limits", QT_TRANSLATE_NOOP(CONTEXT, "维修时限表"), self.time_limits),
                ("zones", QT_TRANSLATE_NOOP(CONTEXT, "片区"), self.zones),
                ("facilities", QT_TRANSLATE_NOOP(CONTEXT, "设施台账"), self.facilities),
            ]
        )
        bus.changed.connect(self._on_changed)

    def _on_changed(self, kind: str) -> None:
        if kind == KIND:
            self.categories.refresh()
            self.prices.reload()
            self.time_limits.refresh()
            self.zones.reload()
            self.facilities.reload()
        elif kind == "reference":  # staff names for the 片区
            self.zones.reload()
        elif kind == "repairs":  # a facility's repair history
            self.facilities.reload()
