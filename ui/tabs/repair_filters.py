"""The repair list's filter bar: the shared register filter bar (ui.widgets.filter_bar) with
the repair quick views, 状态 / 报修日期 / 类别 / 维修人员 / 紧急程度."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.domain.repair import RepairStatus, RepairUrgency
from app.domain.repair_listing import RepairFilter, RepairView
from ui.widgets.filter_bar import ChoiceField, DateRangeField, RegisterFilterBar

CONTEXT = "RepairFilterBar"
VIEW_LABELS = {
    RepairView.ALL: QT_TRANSLATE_NOOP(CONTEXT, "全部"),
    RepairView.OPEN: QT_TRANSLATE_NOOP(CONTEXT, "未关闭"),
    RepairView.TO_DISPATCH: QT_TRANSLATE_NOOP(CONTEXT, "待派工"),
    RepairView.OVERDUE: QT_TRANSLATE_NOOP(CONTEXT, "已超时"),
    RepairView.AWAITING_ACCEPTANCE: QT_TRANSLATE_NOOP(CONTEXT, "待验收"),
    RepairView.AWAITING_VISIT: QT_TRANSLATE_NOOP(CONTEXT, "待回访"),
    RepairView.REWORK: QT_TRANSLATE_NOOP(CONTEXT, "返修"),
    RepairView.VOIDED: QT_TRANSLATE_NOOP(CONTEXT, "已作废"),
}
FIELDS = (
    ChoiceField(
        "status",
        QT_TRANSLATE_NOOP(CONTEXT, "状态"),
        QT_TRANSLATE_NOOP(CONTEXT, "全部状态"),
        [(s.value, s) for s in RepairStatus],
    ),
    DateRangeField(QT_TRANSLATE_NOOP(CONTEXT, "报修日期")),
    ChoiceField(
        "category", QT_TRANSLATE_NOOP(CONTEXT, "类别"), QT_TRANSLATE_NOOP(CONTEXT, "全部类别")
    ),
    ChoiceField(
        "repairer",
        QT_TRANSLATE_NOOP(CONTEXT, "维修人员"),
        QT_TRANSLATE_NOOP(CONTEXT, "全部人员"),
    ),
    ChoiceField(
        "urgency",
        QT_TRANSLATE_NOOP(CONTEXT, "紧急程度"),
        QT_TRANSLATE_NOOP(CONTEXT, "全部"),
        [(u.value, u.value) for u in RepairUrgency],
    ),
)
SEARCH_HINT = QT_TRANSLATE_NOOP(CONTEXT, "搜索编号、报修人、房号、位置、故障描述…")


class RepairFilterBar(RegisterFilterBar):
    tr_context = CONTEXT

    def __init__(self, parent=None) -> None:
        super().__init__(VIEW_LABELS, FIELDS, search_hint=SEARCH_HINT, parent=parent)

    def current_filter(self) -> RepairFilter:
        status = self.choice("status")
        reported_from, reported_to = self.date_range()
        return RepairFilter(
            view=self.current_view(),
            statuses=frozenset([RepairStatus(status)]) if status else frozenset(),
            reported_from=reported_from,
            reported_to=reported_to,
            category=self.choice("category") or "",
            repairer=self.choice("repairer") or "",
            urgency=self.choice("urgency") or "",
            text=self.text(),
        )

    def set_choices(self, categories: list[str], repairers: list[str]) -> None:
        """Refill 类别 and 维修人员, keeping what was chosen."""
        self.set_options("category", categories)
        self.set_options("repairer", repairers)
