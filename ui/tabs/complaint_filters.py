"""The complaint list's filter bar: the shared register filter bar (ui.widgets.filter_bar)
with the complaint quick views, 状态 / 登记日期 / 责任部门 / 类别 / 性质."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.domain.complaint import Status
from app.domain.listing import ComplaintFilter, QuickView, ValidityFilter
from ui.widgets.filter_bar import ChoiceField, DateRangeField, RegisterFilterBar

VIEW_LABELS = {
    QuickView.ALL: QT_TRANSLATE_NOOP("ComplaintFilterBar", "全部"),
    QuickView.OPEN: QT_TRANSLATE_NOOP("ComplaintFilterBar", "未关闭"),
    QuickView.DUE_TODAY: QT_TRANSLATE_NOOP("ComplaintFilterBar", "今日到期"),
    QuickView.OVERDUE: QT_TRANSLATE_NOOP("ComplaintFilterBar", "已超期"),
    QuickView.AWAITING_VISIT: QT_TRANSLATE_NOOP("ComplaintFilterBar", "待回访"),
    QuickView.ESCALATED: QT_TRANSLATE_NOOP("ComplaintFilterBar", "已升级"),
    QuickView.VOIDED: QT_TRANSLATE_NOOP("ComplaintFilterBar", "已作废"),
}
FIELDS = (
    ChoiceField(
        "status",
        QT_TRANSLATE_NOOP("ComplaintFilterBar", "状态"),
        QT_TRANSLATE_NOOP("ComplaintFilterBar", "全部状态"),
        [(s.value, s) for s in Status],
    ),
    DateRangeField(QT_TRANSLATE_NOOP("ComplaintFilterBar", "登记日期")),
    ChoiceField(
        "dept",
        QT_TRANSLATE_NOOP("ComplaintFilterBar", "责任部门"),
        QT_TRANSLATE_NOOP("ComplaintFilterBar", "全部部门"),
    ),
    ChoiceField(
        "category",
        QT_TRANSLATE_NOOP("ComplaintFilterBar", "类别"),
        QT_TRANSLATE_NOOP("ComplaintFilterBar", "全部类别"),
    ),
    ChoiceField(
        "validity",
        QT_TRANSLATE_NOOP("ComplaintFilterBar", "性质"),
        QT_TRANSLATE_NOOP("ComplaintFilterBar", "全部性质"),
        [(v.value, v) for v in ValidityFilter],
    ),
)
SEARCH_HINT = QT_TRANSLATE_NOOP("ComplaintFilterBar", "搜索编号、投诉人、房号、内容…")


class ComplaintFilterBar(RegisterFilterBar):
    """Emits `filter_changed` whenever what the list should show changes."""

    tr_context = "ComplaintFilterBar"

    def __init__(self, parent=None) -> None:
        super().__init__(VIEW_LABELS, FIELDS, search_hint=SEARCH_HINT, parent=parent)
        self.status = self.combos["status"]
        self.dept = self.combos["dept"]
        self.category = self.combos["category"]
        self.validity = self.combos["validity"]

    def current_filter(self) -> ComplaintFilter:
        status, validity = self.choice("status"), self.choice("validity")
        received_from, received_to = self.date_range()
        return ComplaintFilter(
            view=self.current_view(),
            statuses=frozenset([Status(status)]) if status else frozenset(),
            received_from=received_from,
            received_to=received_to,
            dept=self.choice("dept") or "",
            category=self.choice("category") or "",
            validity=ValidityFilter(validity) if validity else None,
            text=self.text(),
        )

    def set_choices(self, departments: list[str], categories: list[str]) -> None:
        """Refill 责任部门 and 类别 (after reference data changed), keeping what was chosen."""
        self.set_options("dept", departments)
        self.set_options("category", categories)
