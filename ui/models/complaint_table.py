"""投诉登记 list model: lazy over the ids the service returns, rows fetched a page at a time.

The model holds the list of matching ids (ints only) and a small LRU cache of row pages; it
never loads the whole register. The unfiltered register is the one large list: it first
paints from a count and the first pages of ids, and the rest of the ids arrive on the next
moments later, after the first paint (or at once, if a row past the head is asked for first).
Re-querying (filter, sort, reload) is a layout change that moves persistent indexes by
complaint id, so the view keeps its selection and current row.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont

from app.domain.complaint import Status
from app.domain.listing import SORT_COLUMNS, ComplaintFilter, ComplaintRow, Sort

PAGE_SIZE = 200
HEAD_PAGES = 2  # the unfiltered list paints from these before the rest of the ids is read
TAIL_DELAY_MS = 50  # after the first paint, which a zero timer would run ahead of
MAX_PAGES = 10
OVERDUE_COLOR = QColor("#c62828")
DUE_TODAY_COLOR = QColor("#b45f06")
ID_ROLE = Qt.ItemDataRole.UserRole
TIME_FORMAT = "%Y-%m-%d %H:%M"
_ROOT = QModelIndex()


def _tr(text: str) -> str:
    return QCoreApplication.translate("ComplaintTableModel", text)


def short_time(value: datetime, now: datetime) -> str:
    """This year's times as 月-日 时:分 (the 编号 carries the year); older ones by date."""
    return f"{value:%m-%d %H:%M}" if value.year == now.year else f"{value:%Y-%m-%d}"


def _flags_text(row: ComplaintRow) -> str:
    parts = []
    if row.escalated:
        parts.append(_tr("已升级"))
    if row.reopen_count:
        parts.append(_tr("重开{n}次").format(n=row.reopen_count))
    return " ".join(parts)


# (header, SORT_COLUMNS key or None, how the cell reads)
COLUMNS: tuple[tuple[str, str | None, Any], ...] = (
    (QT_TRANSLATE_NOOP("ComplaintTableModel", "编号"), "no", lambda r, _now: r.no),
    (
        QT_TRANSLATE_NOOP("ComplaintTableModel", "登记时间"),
        "received_at",
        lambda r, now: short_time(r.received_at, now),
    ),
    (
        QT_TRANSLATE_NOOP("ComplaintTableModel", "投诉人"),
        "complainant",
        lambda r, _now: r.complainant,
    ),
    (QT_TRANSLATE_NOOP("ComplaintTableModel", "房号"), "room", lambda r, _now: r.room),
    (QT_TRANSLATE_NOOP("ComplaintTableModel", "类别"), "category", lambda r, _now: r.category),
    (QT_TRANSLATE_NOOP("ComplaintTableModel", "投诉内容"), None, lambda r, _now: r.summary),
    (QT_TRANSLATE_NOOP("ComplaintTableModel", "紧急程度"), "urgency", lambda r, _now: r.urgency),
    (
        QT_TRANSLATE_NOOP("ComplaintTableModel", "性质"),
        "validity",
        lambda r, _now: r.validity or _tr("未判定"),
    ),
    (QT_TRANSLATE_NOOP("ComplaintTableModel", "状态"), "status", lambda r, _now: r.status.value),
    (
        QT_TRANSLATE_NOOP("ComplaintTableModel", "责任部门"),
        "responsible_dept",
        lambda r, _now: r.responsible_dept,
    ),
    (
        QT_TRANSLATE_NOOP("ComplaintTableModel", "答复期限"),
        "reply_due_at",
        lambda r, now: short_time(r.reply_due_at, now),
    ),
    (QT_TRANSLATE_NOOP("ComplaintTableModel", "标记"), None, lambda r, _now: _flags_text(r)),
)
assert all(key is None or key in SORT_COLUMNS for _h, key, _f in COLUMNS)
RECEIVED_COLUMN, SUMMARY_COLUMN, DUE_COLUMN = 1, 5, 10
FLAGS_COLUMN = len(COLUMNS) - 1


class ComplaintTableModel(QAbstractTableModel):
    """The complaint register as the list shows it; rows are ComplaintRow pages."""

    def __init__(
        self, complaints, parent=None, *, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES
    ) -> None:
        super().__init__(parent)
        self._complaints = complaints
        self._page_size = page_size
        self._max_pages = max_pages
        self._filter = ComplaintFilter()
        self._sort = Sort()
        self._ids: Sequence[int] = ()
        self._total = 0  # rowCount; more than len(self._ids) until the tail of ids is read
        self._pages: OrderedDict[int, list[ComplaintRow | None]] = OrderedDict()
        self._now: datetime = complaints.now()
        self.page_loads = 0  # how many pages were fetched (tests check the laziness)
        self._query = 0
        self._requery()

    # ----- what the list shows
    @property
    def complete(self) -> bool:
        """Every matching id has been read (not yet, for a moment, after an unfiltered query)."""
        return len(self._ids) == self._total

    @property
    def current_filter(self) -> ComplaintFilter:
        return self._filter

    @property
    def current_sort(self) -> Sort:
        return self._sort

    def set_filter(self, flt: ComplaintFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self._requery()

    def reload(self) -> None:
        """Re-read ids and rows (after a write or as time passes); selection follows the ids."""
        self._requery()

    def complaint_id(self, row: int) -> int:
        return self._all_ids(row)[row]

    def row_of(self, complaint_id: int) -> int | None:
        try:
            return self._all_ids(self._total - 1).index(complaint_id)
        except ValueError:
            return None

    def row_data(self, row: int) -> ComplaintRow:
        return self._row(row)

    def sort_column(self) -> int:
        """The column the list is sorted by (for the header's indicator)."""
        return next(i for i, (_h, key, _f) in enumerate(COLUMNS) if key == self._sort.column)

    # ----- QAbstractItemModel
    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _tr(COLUMNS[section][0])
            if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section][1] is None:
                return _tr("此列不能排序")
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self._total:
            return None
        if role == ID_ROLE:
            return self.complaint_id(index.row())
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row = self._row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][2](row, self._now)
        overdue, due_today = row.is_overdue(self._now), row.due_today(self._now)
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue:
                return OVERDUE_COLOR
            return DUE_TODAY_COLOR if due_today else None
        if role == Qt.ItemDataRole.FontRole:
            if due_today and not overdue:
                font = QFont()
                font.setBold(True)
                return font
            return None
        return self._tooltip(row, index.column(), overdue, due_today)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][1] is None:
            return
        new = Sort(COLUMNS[column][1], order == Qt.SortOrder.DescendingOrder)
        if new != self._sort:
            self._sort = new
            self._requery()

    # ----- internals
    def _tooltip(self, row: ComplaintRow, column: int, overdue: bool, due_today: bool) -> str:
        lines = []
        due = f"{row.reply_due_at:{TIME_FORMAT}}"
        if overdue:
            lines.append(_tr("已超期：答复期限 {due}，尚未答复").format(due=due))
        elif due_today:
            lines.append(_tr("今日到期：答复期限 {due}，尚未答复").format(due=due))
        if column == SUMMARY_COLUMN:
            lines.append(row.summary)
        elif column == RECEIVED_COLUMN:
            lines.append(_tr("登记时间 {at}").format(at=f"{row.received_at:{TIME_FORMAT}}"))
        elif column == DUE_COLUMN and not (overdue or due_today):
            lines.append(_tr("答复期限 {at}").format(at=f"{row.reply_due_at:{TIME_FORMAT}}"))
        elif column == FLAGS_COLUMN and row.escalated:
            lines.append(_tr("已升级：有未办结的工作传签单"))
        return "\n".join(lines) or None

    def _row(self, row: int) -> ComplaintRow:
        number = row // self._page_size
        page = self._pages.get(number)
        if page is None:
            start = number * self._page_size
            ids = self._all_ids(row)[start : start + self._page_size]
            found = {r.id: r for r in self._complaints.rows(ids)}
            page = [found.get(cid) for cid in ids]
            self.page_loads += 1
            self._pages[number] = page
            while len(self._pages) > self._max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        found = page[row - number * self._page_size]
        return found if found is not None else _missing_row(self._ids[row], self._now)

    def _all_ids(self, row: int) -> Sequence[int]:
        """The ids, reading the tail first if `row` lies past the head."""
        if row >= len(self._ids) and len(self._ids) < self._total:
            self._ids = self._complaints.list_ids(self._filter, self._sort)
            self._total = len(self._ids)
        return self._ids

    def _read_tail(self, query: int) -> None:
        if query == self._query:  # a newer query replaced the one this was for
            self._all_ids(self._total - 1)

    def _requery(self) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self.complaint_id(i.row()) if i.row() < self._total else None for i in old]
        self._now = self._complaints.now()
        self._pages.clear()
        self._query += 1
        if self._filter.narrows:
            self._ids = self._complaints.list_ids(self._filter, self._sort)
            self._total = len(self._ids)
        else:
            head = self._page_size * HEAD_PAGES
            self._ids = self._complaints.list_ids(self._filter, self._sort, limit=head)
            self._total = self._complaints.count(self._filter)
            if len(self._ids) < self._total:
                QTimer.singleShot(TAIL_DELAY_MS, partial(self._read_tail, self._query))
        rows: dict[int | None, int | None] = {None: None}  # only the few kept ids are looked up
        new = []
        for index, cid in zip(old, old_ids, strict=True):
            if cid not in rows:
                rows[cid] = self.row_of(cid)  # type: ignore[arg-type]
            row = rows[cid]
            new.append(QModelIndex() if row is None else self.index(row, index.column()))
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


def _missing_row(complaint_id: int, now: datetime) -> ComplaintRow:
    """A placeholder for a record gone since the ids were read (shown blank, never red)."""
    return ComplaintRow(
        complaint_id, "", now, "", "", "", "", "", "", Status.CLOSED, "", "", now, now, False, 0
    )
