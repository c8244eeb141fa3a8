"""投诉登记 tab: filter bar, the lazy complaint list, the selected record, the workflow buttons.

The buttons open the step dialogs (ui/dialogs); a dialog makes the service call itself on
accept, then this tab announces `changed("complaints")` and every listening view reloads.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QItemSelectionModel, Qt, QTimer, Signal
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

from app.domain.complaint import Complaint
from app.domain.complaint_workflow import allowed_steps
from app.domain.errors import ValidationError, WorkflowError
from app.domain.listing import ComplaintFilter, QuickView
from ui import desktop
from ui.models.complaint_table import COLUMNS, ComplaintTableModel
from ui.tabs.complaint_detail import ComplaintDetailPanel
from ui.tabs.complaint_dialogs import DIALOG_FACTORIES
from ui.tabs.complaint_filters import ComplaintFilterBar

REFRESH_MS = 60_000  # deadlines pass while the list is open
# (key, button text, shortcut)
ACTIONS = (
    ("new", QT_TRANSLATE_NOOP("ComplaintsTab", "新登记"), QKeySequence.StandardKey.New),
    ("intake", QT_TRANSLATE_NOOP("ComplaintsTab", "修改登记"), None),
    ("judge", QT_TRANSLATE_NOOP("ComplaintsTab", "判定"), None),
    ("follow_up", QT_TRANSLATE_NOOP("ComplaintsTab", "跟进结果"), None),
    ("handling", QT_TRANSLATE_NOOP("ComplaintsTab", "处理"), None),
    ("reply", QT_TRANSLATE_NOOP("ComplaintsTab", "答复"), None),
    ("visit", QT_TRANSLATE_NOOP("ComplaintsTab", "回访"), None),
    ("escalate", QT_TRANSLATE_NOOP("ComplaintsTab", "升级(传签单)"), None),
    ("review", QT_TRANSLATE_NOOP("ComplaintsTab", "审核"), None),
    ("print", QT_TRANSLATE_NOOP("ComplaintsTab", "打印记录表"), QKeySequence.StandardKey.Print),
)
# Typical cell texts: the columns start wide enough for them (no whole-table measuring).
COLUMN_SAMPLES = (
    "TS2026-00000",
    "2025-11-20 ",
    "欧阳先生",
    "12-3-1804",
    "便民服务",
    None,
    "紧急程度",
    "未判定",
    "待回访",
    "工程维修部",
    "2025-11-20 ",
    "已升级 ",
)


def allowed_actions(c: Complaint | None) -> set[str]:
    """Which buttons fit where the record stands: the workflow's own rules, plus 新登记/打印."""
    if c is None:
        return {"new"}
    return {"new", "print"} | {step.value for step in allowed_steps(c)}


class ComplaintsTab(QWidget):
    status_message = Signal(str)  # for the main window's status bar

    def __init__(
        self,
        complaints,
        escalation,
        reference,
        printing,
        bus,
        parent=None,
        *,
        prints_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.complaints, self.escalation = complaints, escalation
        self.reference, self.printing, self.bus = reference, printing, bus
        self.prints_dir = prints_dir or Path(tempfile.gettempdir()) / "EstateOffice-prints"
        self.dialog_factories = dict(DIALOG_FACTORIES)
        self.model = ComplaintTableModel(complaints, self)
        self.filters = ComplaintFilterBar(self)
        self.table = self._make_table()
        self.detail = ComplaintDetailPanel(complaints, escalation, self)
        self.buttons: dict[str, QPushButton] = {}
        self._build()
        self._connect()
        self._refresh_timer = QTimer(self, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._refresh_timer.start()
        self.filters.set_choices(reference.departments(), reference.categories())
        self.refresh()

    # ----- what is selected
    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.complaint_id(rows[0].row()) if rows else None

    def selected_complaint(self) -> Complaint | None:
        cid = self.selected_id()
        return None if cid is None else self.complaints.get(cid)

    def select_id(self, complaint_id: int) -> bool:
        row = self.model.row_of(complaint_id)
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
        self.filters.set_counts(
            {view: self.complaints.count(ComplaintFilter(view=view)) for view in QuickView}
        )
        self._show_selected()

    def _on_changed(self, kind: str) -> None:
        if kind in ("complaints", "escalation"):
            self.refresh()
        elif kind == "reference":
            self.filters.set_choices(self.reference.departments(), self.reference.categories())
            self.refresh()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filters.current_filter())
        self._show_selected()

    def _show_selected(self) -> None:
        c = self.selected_complaint()
        self.detail.show_complaint(c)
        allowed = allowed_actions(c)
        if self.printing is None:
            allowed.discard("print")
        for key, button in self.buttons.items():
            button.setEnabled(key in allowed)

    # ----- actions
    def run_action(self, key: str) -> bool:
        """Open the dialog for `key` on the selected record; True when it was accepted."""
        if key == "print":
            return self.print_record()
        c = None if key == "new" else self.selected_complaint()
        if key != "new" and c is None:
            return False
        try:
            dialog = self.dialog_factories[key](self, c)
        except ImportError:
            desktop.show_error(self, self.tr("该功能的窗口尚未安装，请更新程序。"))
            return False
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        saved = getattr(dialog, "saved_complaint", None)
        if key == "escalate":
            self.bus.changed.emit("escalation")
        self.bus.changed.emit("complaints")
        if key == "new" and isinstance(saved, Complaint) and saved.id is not None:
            self.select_id(saved.id)
        return True

    def print_record(self) -> bool:
        """打印记录表: the 顾客投诉处理记录表 as a PDF under the prints folder, then opened."""
        c = self.selected_complaint()
        if c is None or self.printing is None:
            return False
        try:
            path = desktop.save_and_open_pdf(
                self.printing, self.printing.complaint_pdf(c), self.prints_dir, c.no
            )
        except (OSError, ValidationError, WorkflowError) as e:
            desktop.show_error(self, self.tr("无法保存记录表：{error}").format(error=e))
            return False
        self.status_message.emit(self.tr("已保存 {path}").format(path=path))
        return True

    def _double_clicked(self) -> None:
        self.run_action("intake" if self.buttons["intake"].isEnabled() else "print")

    # ----- building
    def _make_table(self) -> QTableView:
        table = QTableView(objectName="complaintTable")
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
        for column, sample in enumerate(COLUMN_SAMPLES):
            if sample:
                header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        sort = self.model.current_sort
        order = Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(self.model.sort_column(), order)
        table.setSortingEnabled(True)
        return table

    def _build(self) -> None:
        actions = QHBoxLayout()
        actions.setSpacing(4)
        for key, text, shortcut in ACTIONS:
            button = QPushButton(self.tr(text), objectName=f"action_{key}")
            if shortcut is not None:
                button.setShortcut(QKeySequence(shortcut))
                button.setToolTip(f"{button.text()} ({button.shortcut().toString()})")
            if key in ("new", "print"):
                actions.addSpacing(12 if key == "print" else 0)
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

    def _connect(self) -> None:
        self.filters.filter_changed.connect(self._apply_filter)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._keep_sort_indicator)
        self.bus.changed.connect(self._on_changed)

    def _keep_sort_indicator(self, column: int, _order) -> None:
        """A column that cannot be sorted leaves the indicator where the list is sorted."""
        if COLUMNS[column][1] is None:
            sort = self.model.current_sort
            order = Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), order)
            header.blockSignals(False)
            header.viewport().update()
