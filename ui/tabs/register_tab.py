"""What every register tab shares (投诉登记, 报修维修 …): the filter bar over the lazy list,
a row of workflow buttons enabled by where the selected record stands, the record's detail
beside the list, and dialogs that make the service call themselves on accept.

A register subclasses :class:`RegisterTab`, sets ``ACTIONS`` (key, button text, shortcut),
``ACTION_PERMISSIONS`` (what a user must hold to see a button at all), ``COLUMN_SAMPLES``
(typical cell texts that size the columns; None for the one that stretches) and
``tr_context``, sets ``session`` (its service's), builds its model, filter bar and detail
panel, then calls :meth:`setup`. It answers the hooks: :meth:`get_record`,
:meth:`allowed_actions` (what fits the record and, for the steps, the user), :meth:`view_counts`,
:meth:`announce` and, for buttons that open no dialog, ``direct_actions``.

The services check every permission themselves; the tab only hides what the user may not do.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.access import Permission
from ui import desktop
from ui.models.register_table import ReadRestWhenPainted

REFRESH_MS = 60_000  # deadlines pass while the list is open
Action = tuple[str, str, Any]  # (key, QT_TRANSLATE_NOOP text, shortcut or None)
SPACED_ACTIONS = ("print", "void")  # set apart from the workflow steps


class RegisterTab(QWidget):
    status_message = Signal(str)  # for the main window's status bar

    tr_context = "RegisterTab"
    ACTIONS: tuple[Action, ...] = ()
    ACTION_PERMISSIONS: dict[str, Permission] = {}
    COLUMN_SAMPLES: tuple[str | None, ...] = ()
    TABLE_NAME = "registerTable"
    DOUBLE_CLICK = ("intake", "print")  # the first enabled of these opens on a double click

    def __init__(self, bus, parent=None) -> None:
        super().__init__(parent)
        self.bus = bus
        self.buttons: dict[str, QPushButton] = {}
        self.dialog_factories: dict[str, Callable[[Any, Any], Any]] = {}
        self.direct_actions: dict[str, Callable[[], bool]] = {}
        self.session: Any = None  # the signed-in user's Session (None: every button shows)

    def setup(self, model, filters, detail) -> None:
        """Lay out the tab around its model, filter bar and detail panel, and fill it."""
        self.model, self.filters, self.detail = model, filters, detail
        self.table = self._make_table()
        self._build()
        self.filters.filter_changed.connect(self._apply_filter)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._keep_sort_indicator)
        self.bus.changed.connect(self._on_changed)
        self._refresh_timer = QTimer(self, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._hidden_at: float | None = None
        ReadRestWhenPainted(self.table, self.model)

    # ----- time passes while the list is on screen
    def showEvent(self, event) -> None:
        """Re-read a list left hidden past a refresh, then keep it fresh while shown."""
        super().showEvent(event)
        if self._hidden_at is not None and monotonic() - self._hidden_at > REFRESH_MS / 1000:
            self.refresh()
        self._hidden_at = None
        self._refresh_timer.start()

    def hideEvent(self, event) -> None:
        """A hidden (or closed) tab reads nothing on a timer."""
        super().hideEvent(event)
        self._refresh_timer.stop()
        self._hidden_at = monotonic()

    # ----- the hooks
    def get_record(self, record_id: int) -> Any:
        raise NotImplementedError

    def allowed_actions(self, record: Any) -> set[str]:
        raise NotImplementedError

    def view_counts(self) -> dict[Any, int]:
        return {}

    def announce(self, key: str, dialog: Any) -> None:
        """Emit what a dialog's accepted write changed."""
        raise NotImplementedError

    def _on_changed(self, kind: str) -> None:
        raise NotImplementedError

    # ----- what is selected
    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_id(rows[0].row()) if rows else None

    def selected_record(self) -> Any:
        rid = self.selected_id()
        return None if rid is None else self.get_record(rid)

    def select_id(self, record_id: int) -> bool:
        row = self.model.row_of(record_id)
        if row is None:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(self.model.index(row, 0))
        return True

    # ----- reloading
    def refresh(self) -> None:
        """Re-read the list (selection kept by id), the quick-view counts and the record."""
        self.model.reload()
        self.show_counts()

    def show_counts(self) -> None:
        """The quick-view counts and the selected record, for the list as last read (a new
        tab's model has just read its list: it needs no second reading)."""
        self.filters.set_counts(self.view_counts())
        self._show_selected()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filters.current_filter())
        self._show_selected()

    def permitted(self, key: str) -> bool:
        """The user holds what the button asks for (a button they may never use is hidden)."""
        permission = self.ACTION_PERMISSIONS.get(key)
        return permission is None or self.session is None or self.session.can(permission)

    def _show_selected(self) -> None:
        record = self.selected_record()
        self.detail.show_record(record)
        allowed = self.allowed_actions(record)
        for key, button in self.buttons.items():
            button.setVisible(self.permitted(key))
            button.setEnabled(key in allowed and self.permitted(key))

    # ----- actions
    def run_action(self, key: str) -> bool:
        """Open the dialog for `key` on the selected record; True when it was accepted."""
        if not self.permitted(key):
            return False
        if key in self.direct_actions:
            return self.direct_actions[key]()
        record = None if key == "new" else self.selected_record()
        if key != "new" and record is None:
            return False
        try:
            dialog = self.dialog_factories[key](self, record)
        except ImportError:
            desktop.show_error(self, self._tr_base("该功能的窗口尚未安装，请更新程序。"))
            return False
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.announce(key, dialog)
        saved_id = getattr(getattr(dialog, "saved", None), "id", None)
        if key == "new" and isinstance(saved_id, int):
            self.select_id(saved_id)
        return True

    def _double_clicked(self) -> None:
        enabled = [
            k for k in self.DOUBLE_CLICK if k in self.buttons and self.buttons[k].isEnabled()
        ]
        key = enabled[0] if enabled else None
        if key is not None:
            self.run_action(key)

    # ----- building
    def _tr(self, text: str) -> str:
        return QCoreApplication.translate(self.tr_context, text)

    @staticmethod
    def _tr_base(text: str) -> str:
        return QCoreApplication.translate("RegisterTab", text)

    def _make_table(self) -> QTableView:
        table = QTableView(objectName=self.TABLE_NAME)
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        metrics = table.fontMetrics()
        for column, sample in enumerate(self.COLUMN_SAMPLES):
            if sample:
                header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        header.setSortIndicator(self.model.sort_column(), self._sort_order())
        table.setSortingEnabled(True)
        return table

    def _sort_order(self) -> Qt.SortOrder:
        descending = self.model.current_sort.descending
        return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder

    def _build(self) -> None:
        actions = QHBoxLayout()
        actions.setSpacing(4)
        for key, text, shortcut in self.ACTIONS:
            button = QPushButton(self._tr(text), objectName=f"action_{key}")
            if shortcut is not None:
                button.setShortcut(QKeySequence(shortcut))
                button.setToolTip(f"{button.text()} ({button.shortcut().toString()})")
            if key in SPACED_ACTIONS:
                actions.addSpacing(12)
            button.clicked.connect(lambda _checked=False, k=key: self.run_action(k))
            self.buttons[key] = button
            actions.addWidget(button)
        actions.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal, childrenCollapsible=False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.filters)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)

    def _keep_sort_indicator(self, column: int, _order) -> None:
        """A column that cannot be sorted leaves the indicator where the list is sorted."""
        if not self.model.sortable(column):
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), self._sort_order())
            header.blockSignals(False)
            header.viewport().update()
