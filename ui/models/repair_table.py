"""报修维修 list model: the shared lazy register model (ui.models.register_table) with the
repair columns; a ticket past its 到场 or 完成 limit is red, one due later today amber and bold,
a voided one grey and struck through with 已作废 as its status."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor, QFont

from app.domain.listing import Sort
from app.domain.repair import RepairStatus
from app.domain.repair_listing import REPAIR_SORT_COLUMNS, RepairFilter, RepairRow
from app.domain.repair_rules import format_money
from ui.models.register_table import (
    DUE_TODAY_COLOR,
    MAX_PAGES,
    OVERDUE_COLOR,
    PAGE_SIZE,
    TIME_FORMAT,
    VOIDED_COLOR,
    Column,
    RegisterTableModel,
    bold_font,
    short_time,
    struck_font,
)

CONTEXT = "RepairTableModel"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def flags_text(row: RepairRow) -> str:
    """标记: 返修 (the same fault again within 30 days), 重开N次, 关联投诉."""
    parts = []
    if row.rework:
        parts.append(_tr("返修"))
    if row.reopen_count:
        parts.append(_tr("重开{n}次").format(n=row.reopen_count))
    if row.complaint_no:
        parts.append(_tr("投诉{no}").format(no=row.complaint_no))
    return " ".join(parts)


def money_cell(row: RepairRow) -> str:
    return format_money(row.total_fen) if row.total_fen else ""


COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP(CONTEXT, "编号"), "no", lambda r, _now: r.no),
    Column(
        QT_TRANSLATE_NOOP(CONTEXT, "报修时间"),
        "reported_at",
        lambda r, now: short_time(r.reported_at, now),
    ),
    Column(QT_TRANSLATE_NOOP(CONTEXT, "房号/位置"), "place", lambda r, _now: r.place),
    Column(QT_TRANSLATE_NOOP(CONTEXT, "报修人"), "reporter", lambda r, _now: r.reporter),
    Column(QT_TRANSLATE_NOOP(CONTEXT, "类别"), "category", lambda r, _now: r.category),
    Column(QT_TRANSLATE_NOOP(CONTEXT, "故障描述"), None, lambda r, _now: r.summary),
    Column(QT_TRANSLATE_NOOP(CONTEXT, "紧急程度"), "urgency", lambda r, _now: r.urgency),
    Column(QT_TRANSLATE_NOOP(CONTEXT, "状态"), "status", lambda r, _now: r.status_text),
    Column(QT_TRANSLATE_NOOP(CONTEXT, "维修人员"), "repairer", lambda r, _now: r.repairer),
    Column(
        QT_TRANSLATE_NOOP(CONTEXT, "到场期限"),
        "arrive_due_at",
        lambda r, now: short_time(r.arrive_due_at, now),
    ),
    Column(
        QT_TRANSLATE_NOOP(CONTEXT, "完成期限"),
        "complete_due_at",
        lambda r, now: short_time(r.complete_due_at, now),
    ),
    Column(QT_TRANSLATE_NOOP(CONTEXT, "费用(元)"), None, lambda r, _now: money_cell(r)),
    Column(QT_TRANSLATE_NOOP(CONTEXT, "标记"), None, lambda r, _now: flags_text(r)),
)
assert all(c.sort_key is None or c.sort_key in REPAIR_SORT_COLUMNS for c in COLUMNS)
REPORTED_COLUMN, SUMMARY_COLUMN, ARRIVE_COLUMN, COMPLETE_COLUMN, MONEY_COLUMN = 1, 5, 9, 10, 11
FLAGS_COLUMN = len(COLUMNS) - 1
DEFAULT_SORT = Sort("reported_at", descending=True)


def next_due(row: RepairRow) -> tuple[str, datetime] | None:
    """The limit the ticket is working towards: 到场 until arrived, then 完成."""
    if row.status == RepairStatus.CLOSED or row.voided:
        return None
    if row.arrived_at is None:
        return _tr("到场"), row.arrive_due_at
    if row.completed_at is None:
        return _tr("完成"), row.complete_due_at
    return None


class RepairTableModel(RegisterTableModel):
    """The repair register as the list shows it; rows are RepairRow pages."""

    tr_context = CONTEXT

    def __init__(
        self, repairs, parent=None, *, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES
    ) -> None:
        super().__init__(
            repairs,
            COLUMNS,
            parent,
            initial_filter=RepairFilter(),
            sort=DEFAULT_SORT,
            page_size=page_size,
            max_pages=max_pages,
        )

    def due_today(self, row: RepairRow) -> bool:
        due = next_due(row)
        return due is not None and due[1].date() == self.now.date() and due[1] >= self.now

    # ----- how a row looks
    def foreground(self, row: RepairRow) -> QColor | None:
        if row.voided:
            return VOIDED_COLOR
        if row.is_overdue(self.now):
            return OVERDUE_COLOR
        return DUE_TODAY_COLOR if self.due_today(row) else None

    def font(self, row: RepairRow) -> QFont | None:
        if row.voided:
            return struck_font()
        return bold_font() if self.due_today(row) and not row.is_overdue(self.now) else None

    def tooltip(self, row: RepairRow, column: int) -> str | None:
        lines = []
        if row.voided:
            lines.append(_tr("已作废：{reason}").format(reason=row.void_reason))
        elif row.is_overdue(self.now):
            late = []
            if row.arrived_at is None and row.arrive_due_at < self.now:
                late.append(_tr("到场期限 {at}").format(at=f"{row.arrive_due_at:{TIME_FORMAT}}"))
            if row.completed_at is None and row.complete_due_at < self.now:
                late.append(_tr("完成期限 {at}").format(at=f"{row.complete_due_at:{TIME_FORMAT}}"))
            lines.append(_tr("已超时：") + "，".join(late))
        elif self.due_today(row):
            what, at = next_due(row) or ("", self.now)
            lines.append(_tr("今日到期：{what}期限 {at}").format(what=what, at=f"{at:%H:%M}"))
        if column == SUMMARY_COLUMN:
            lines.append(row.summary)
        elif column == REPORTED_COLUMN:
            lines.append(_tr("报修时间 {at}").format(at=f"{row.reported_at:{TIME_FORMAT}}"))
        elif column == ARRIVE_COLUMN:
            lines.append(self._met(_tr("到场"), row.arrive_due_at, row.arrived_at))
        elif column == COMPLETE_COLUMN:
            lines.append(self._met(_tr("完成"), row.complete_due_at, row.completed_at))
        elif column == MONEY_COLUMN and row.total_fen:
            lines.append(_tr("费用合计 {money} 元").format(money=format_money(row.total_fen)))
        elif column == FLAGS_COLUMN and row.rework:
            lines.append(_tr("返修：30天内同一位置同类故障再次报修"))
        return "\n".join(lines) or None

    @staticmethod
    def _met(what: str, due: datetime, done: datetime | None) -> str:
        """到场期限 11-20 10:00，11-20 09:40 到场（按时）."""
        text = _tr("{what}期限 {due}").format(what=what, due=f"{due:{TIME_FORMAT}}")
        if done is None:
            return text
        verdict = _tr("超时") if done > due else _tr("按时")
        return text + _tr("，{at} {what}（{verdict}）").format(
            at=f"{done:{TIME_FORMAT}}", what=what, verdict=verdict
        )
