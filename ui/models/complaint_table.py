"""投诉登记 list model: the shared lazy register model (ui.models.register_table) with the
complaint columns, overdue rows red, rows due today amber and bold, voided rows grey and struck
through with 已作废 as their status."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor, QFont

from app.domain.complaint import Status
from app.domain.listing import SORT_COLUMNS, ComplaintFilter, ComplaintRow, Sort
from ui.models.register_table import (
    DUE_TODAY_COLOR,
    ID_ROLE,
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

__all__ = ["COLUMNS", "ID_ROLE", "ComplaintTableModel", "short_time"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ComplaintTableModel", text)


def _flags_text(row: ComplaintRow) -> str:
    parts = []
    if row.escalated:
        parts.append(_tr("已升级"))
    if row.reopen_count:
        parts.append(_tr("重开{n}次").format(n=row.reopen_count))
    return " ".join(parts)


COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP("ComplaintTableModel", "编号"), "no", lambda r, _now: r.no),
    Column(
        QT_TRANSLATE_NOOP("ComplaintTableModel", "登记时间"),
        "received_at",
        lambda r, now: short_time(r.received_at, now),
    ),
    Column(
        QT_TRANSLATE_NOOP("ComplaintTableModel", "投诉人"),
        "complainant",
        lambda r, _now: r.complainant,
    ),
    Column(QT_TRANSLATE_NOOP("ComplaintTableModel", "房号"), "room", lambda r, _now: r.room),
    Column(
        QT_TRANSLATE_NOOP("ComplaintTableModel", "类别"), "category", lambda r, _now: r.category
    ),
    Column(QT_TRANSLATE_NOOP("ComplaintTableModel", "投诉内容"), None, lambda r, _now: r.summary),
    Column(
        QT_TRANSLATE_NOOP("ComplaintTableModel", "紧急程度"), "urgency", lambda r, _now: r.urgency
    ),
    Column(
        QT_TRANSLATE_NOOP("ComplaintTableModel", "性质"),
        "validity",
        lambda r, _now: r.validity or _tr("未判定"),
    ),
    Column(
        QT_TRANSLATE_NOOP("ComplaintTableModel", "状态"), "status", lambda r, _now: r.status_text
    ),
    Column(
        QT_TRANSLATE_NOOP("ComplaintTableModel", "责任部门"),
        "responsible_dept",
        lambda r, _now: r.responsible_dept,
    ),
    Column(
        QT_TRANSLATE_NOOP("ComplaintTableModel", "答复期限"),
        "reply_due_at",
        lambda r, now: short_time(r.reply_due_at, now),
    ),
    Column(QT_TRANSLATE_NOOP("ComplaintTableModel", "标记"), None, lambda r, _now: _flags_text(r)),
)
assert all(c.sort_key is None or c.sort_key in SORT_COLUMNS for c in COLUMNS)
RECEIVED_COLUMN, SUMMARY_COLUMN, DUE_COLUMN = 1, 5, 10
FLAGS_COLUMN = len(COLUMNS) - 1


class ComplaintTableModel(RegisterTableModel):
    """The complaint register as the list shows it; rows are ComplaintRow pages."""

    tr_context = "ComplaintTableModel"

    def __init__(
        self, complaints, parent=None, *, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES
    ) -> None:
        super().__init__(
            complaints,
            COLUMNS,
            parent,
            initial_filter=ComplaintFilter(),
            sort=Sort(),
            page_size=page_size,
            max_pages=max_pages,
        )

    def complaint_id(self, row: int) -> int:
        return self.record_id(row)

    # ----- how a row looks
    def foreground(self, row: ComplaintRow) -> QColor | None:
        if row.voided:
            return VOIDED_COLOR
        if row.is_overdue(self.now):
            return OVERDUE_COLOR
        return DUE_TODAY_COLOR if row.due_today(self.now) else None

    def font(self, row: ComplaintRow) -> QFont | None:
        if row.voided:
            return struck_font()
        if row.due_today(self.now) and not row.is_overdue(self.now):
            return bold_font()
        return None

    def tooltip(self, row: ComplaintRow, column: int) -> str | None:
        overdue, due_today = row.is_overdue(self.now), row.due_today(self.now)
        lines = []
        due = f"{row.reply_due_at:{TIME_FORMAT}}"
        if row.voided:
            lines.append(_tr("已作废：{reason}").format(reason=row.void_reason))
        elif overdue:
            lines.append(_tr("已超期：答复期限 {due}，尚未答复").format(due=due))
        elif due_today:
            lines.append(_tr("今日到期：答复期限 {due}，尚未答复").format(due=due))
        if column == SUMMARY_COLUMN:
            lines.append(row.summary)
        elif column == RECEIVED_COLUMN:
            lines.append(_tr("登记时间 {at}").format(at=f"{row.received_at:{TIME_FORMAT}}"))
        elif column == DUE_COLUMN and not (overdue or due_today):
            lines.append(_tr("答复期限 {at}").format(at=due))
        elif column == FLAGS_COLUMN and row.escalated:
            lines.append(_tr("已升级：有未办结的工作传签单"))
        return "\n".join(lines) or None

    def placeholder(self, record_id: int) -> ComplaintRow:
        """A record gone since the ids were read: shown blank, never red."""
        now = self.now
        return ComplaintRow(
            record_id, "", now, "", "", "", "", "", "", Status.CLOSED, "", "", now, now, False, 0
        )
