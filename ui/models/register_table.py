"""The lazy list model every register's list shares (投诉登记, 报修维修 …).

The model holds the list of matching ids (ints only) and a small LRU cache of row pages; it
never loads the whole register. The unfiltered register is the one large list: it first
paints from a count and the first pages of ids, and the rest of the ids arrive moments later,
after the first paint (or at once, if a row past the head is asked for first). Re-querying
(filter, sort, reload) is a layout change that moves persistent indexes by record id, so the
view keeps its selection and current row.

A register gives a service with ``list_ids(flt, sort, limit=None)``, ``count(flt)``,
``rows(ids)`` (rows with an ``id``) and ``now()``; its filter has a ``narrows`` property. It
declares its columns as :class:`Column` (header, sort key or None, how the cell reads) and may
override the hooks :meth:`RegisterTableModel.foreground`, :meth:`~RegisterTableModel.font`
and :meth:`~RegisterTableModel.tooltip` (overdue rows red, due-today amber …).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import datetime
from functools import partial
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont

from app.domain.listing import Sort

PAGE_SIZE = 200
HEAD_PAGES = 2  # the unfiltered list paints from these before the rest of the ids is read
TAIL_DELAY_MS = 500
"""The rest of the ids is read once the view has painted the head (`read_rest`), or after this
long when nothing is painted (a hidden tab)."""
MAX_PAGES = 10
OVERDUE_COLOR = QColor("#c62828")
DUE_TODAY_COLOR = QColor("#b45f06")
VOIDED_COLOR = QColor("#9aa0a6")  # 已作废: still listed, greyed and struck through
ID_ROLE = Qt.ItemDataRole.UserRole
TIME_FORMAT = "%Y-%m-%d %H:%M"
_ROOT = QModelIndex()
_STYLE_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.ToolTipRole,
)


class Column(NamedTuple):
    """One column: its header (a QT_TRANSLATE_NOOP source text in the model's context), the
    sort key the service knows (None: not sortable) and ``cell(row, now) -> str``."""

    header: str
    sort_key: str | None
    cell: Callable[[Any, datetime], str]


def short_time(value: datetime, now: datetime) -> str:
    """This year's times as 月-日 时:分 (the 编号 carries the year); older ones by date."""
    return f"{value:%m-%d %H:%M}" if value.year == now.year else f"{value:%Y-%m-%d}"


def bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def struck_font() -> QFont:
    font = QFont()
    font.setStrikeOut(True)
    return font


class RegisterTableModel(QAbstractTableModel):
    """A register as its list shows it; ``tr_context`` translates the column headers."""

    tr_context = "RegisterTableModel"

    def __init__(
        self,
        service,
        columns: Sequence[Column],
        parent=None,
        *,
        initial_filter: Any,
        sort: Sort | None = None,
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
    ) -> None:
        super().__init__(parent)
        assert columns, "a register list needs columns"
        self._service = service
        self.columns = tuple(columns)
        self._page_size = page_size
        self._max_pages = max_pages
        self._filter = initial_filter
        self._sort = sort or Sort()
        self._ids: Sequence[int] = ()
        self._total = 0  # rowCount; more than len(self._ids) until the tail of ids is read
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        self._now: datetime = service.now()
        self.page_loads = 0  # how many pages were fetched (tests check the laziness)
        self._query = 0
        self._tail_pending = False
        self._requery()

    # ----- what the list shows
    @property
    def complete(self) -> bool:
        """Every matching id has been read (not yet, for a moment, after an unfiltered query)."""
        return len(self._ids) == self._total

    @property
    def current_filter(self) -> Any:
        return self._filter

    @property
    def current_sort(self) -> Sort:
        return self._sort

    @property
    def now(self) -> datetime:
        """The service's time when the list was last read (what red/amber is judged against)."""
        return self._now

    def set_filter(self, flt: Any) -> None:
        if flt != self._filter:
            self._requery(flt=flt)

    def reload(self) -> None:
        """Re-read ids and rows (after a write or as time passes); selection follows the ids."""
        self._requery()

    def record_id(self, row: int) -> int:
        return self._all_ids(row)[row]

    def row_of(self, record_id: int) -> int | None:
        """The record's row; the ids read so far are searched before the rest is read."""
        with suppress(ValueError):
            return self._ids.index(record_id)
        if self.complete:
            return None
        with suppress(ValueError):
            return self._all_ids(self._total - 1).index(record_id)
        return None

    def row_data(self, row: int) -> Any:
        """The row object (None for a record gone since the ids were read)."""
        return self._row(row)

    def sort_column(self) -> int:
        """The column the list is sorted by (for the header's indicator)."""
        return next((i for i, c in enumerate(self.columns) if c.sort_key == self._sort.column), 0)

    def sortable(self, column: int) -> bool:
        return 0 <= column < len(self.columns) and self.columns[column].sort_key is not None

    # ----- the hooks a register overrides
    def foreground(self, row: Any) -> QColor | None:
        return None

    def font(self, row: Any) -> QFont | None:
        return None

    def tooltip(self, row: Any, column: int) -> str | None:
        return None

    def placeholder(self, record_id: int) -> Any:
        """What to show for a record gone since the ids were read (None: a blank line)."""
        return None

    # ----- QAbstractItemModel
    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate(self.tr_context, self.columns[section].header)
            if role == Qt.ItemDataRole.ToolTipRole and not self.sortable(section):
                return QCoreApplication.translate("RegisterTableModel", "此列不能排序")
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self._total:
            return None
        if role == ID_ROLE:
            return self.record_id(index.row())
        if role not in _STYLE_ROLES:
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[index.column()].cell(row, self._now)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row)
        if role == Qt.ItemDataRole.FontRole:
            return self.font(row)
        return self.tooltip(row, index.column())

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not self.sortable(column):
            return
        new = Sort(self.columns[column].sort_key, order == Qt.SortOrder.DescendingOrder)
        if new != self._sort:
            self._requery(sort=new)

    # ----- internals
    def _row(self, row: int) -> Any:
        number = row // self._page_size
        page = self._pages.get(number)
        if page is None:
            start = number * self._page_size
            ids = self._all_ids(row)[start : start + self._page_size]
            found = {r.id: r for r in self._service.rows(ids)}
            page = [found.get(rid) for rid in ids]
            self.page_loads += 1
            self._pages[number] = page
            while len(self._pages) > self._max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        found = page[row - number * self._page_size]
        return found if found is not None else self.placeholder(self._ids[row])

    def _all_ids(self, row: int) -> Sequence[int]:
        """The ids, reading the tail first if `row` lies past the head."""
        if row >= len(self._ids) and len(self._ids) < self._total:
            self._ids = self._service.list_ids(self._filter, self._sort)
            self._total = len(self._ids)
        return self._ids

    @property
    def tail_pending(self) -> bool:
        """The head of an unfiltered list is shown; the rest of its ids is still to be read."""
        return self._tail_pending

    def read_rest(self) -> None:
        """Read the rest of the ids now (the view calls this once it has painted the head)."""
        self._read_tail(self._query)

    def _read_tail(self, query: int) -> None:
        if query == self._query:  # a newer query replaced the one this was for
            self._tail_pending = False
            self._all_ids(self._total - 1)

    def _requery(self, *, flt: Any = None, sort: Sort | None = None) -> None:
        """Read the ids again (under a new filter or sort, when given); persistent indexes
        follow their records. Their ids are read under the old query, before it changes."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self.record_id(i.row()) if i.row() < self._total else None for i in old]
        if flt is not None:
            self._filter = flt
        if sort is not None:
            self._sort = sort
        self._now = self._service.now()
        self._pages.clear()
        self._query += 1
        self._tail_pending = False
        if self._filter.narrows:
            self._ids = self._service.list_ids(self._filter, self._sort)
            self._total = len(self._ids)
        else:
            head = self._page_size * HEAD_PAGES
            self._ids = self._service.list_ids(self._filter, self._sort, limit=head)
            self._total = self._service.count(self._filter)
            if len(self._ids) < self._total:
                self._tail_pending = True
                QTimer.singleShot(TAIL_DELAY_MS, partial(self._read_tail, self._query))
        rows: dict[int | None, int | None] = {None: None}  # only the few kept ids are looked up
        new = []
        for index, rid in zip(old, old_ids, strict=True):
            if rid not in rows:
                rows[rid] = self.row_of(rid)  # type: ignore[arg-type]
            row = rows[rid]
            new.append(QModelIndex() if row is None else self.index(row, index.column()))
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


class ReadRestWhenPainted(QObject):
    """Once `view` has painted the head of its long list, the model reads the rest of the ids
    (just after the paint, so the paint never waits for them)."""

    def __init__(self, view, model: RegisterTableModel) -> None:
        super().__init__(view)
        self.model = model
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.model.tail_pending:
            QTimer.singleShot(0, self.model.read_rest)
        return False
