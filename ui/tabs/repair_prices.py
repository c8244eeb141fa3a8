"""维修资料 pages: 收费标准 (the price list the 完工 dialog picks from) and 维修时限表 (hours to
arrive and to complete, one row per 维修类别, one pair of columns per 紧急程度)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.domain.normalize import to_halfwidth
from app.domain.repair import PriceItem, RepairUrgency, TimeLimit
from app.domain.repair_rules import format_money, parse_money
from ui.tabs.reference_pages import FieldErrors, left_aligned, page_title
from ui.widgets.tables import fill_row, read_only_table

KIND = "repair_reference"
EDITED = QBrush(QColor("#fff6d6"))
WRONG = QBrush(QColor("#fdecea"))


class PriceListPage(QWidget):
    """收费标准: 项目, 单位, 单价 (元). Saving an item of the same name replaces its price."""

    def __init__(self, repair_reference, bus, parent=None) -> None:
        super().__init__(parent)
        self.reference, self.bus = repair_reference, bus
        self.table = read_only_table([self.tr("项目"), self.tr("单位"), self.tr("单价(元)")])
        self.item = QLineEdit(placeholderText=self.tr("项目，如 更换角阀"))
        self.unit = QLineEdit(placeholderText=self.tr("单位，如 个"))
        self.price = QLineEdit(placeholderText=self.tr("单价(元)，如 25.00"))
        self.errors = FieldErrors()
        self.save_button = QPushButton(self.tr("保存项目"))
        self.remove_button = QPushButton(self.tr("删除所选"))
        form = QGridLayout()
        for column, (widget, field) in enumerate(
            ((self.item, "item"), (self.unit, "unit"), (self.price, "price_fen"))
        ):
            form.addWidget(widget, 0, column)
            form.addWidget(self.errors.label_for(field), 1, column)
        form.addWidget(self.save_button, 0, 3)
        form.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            page_title(
                self.tr("收费标准"),
                self.tr(
                    "完工登记时从这里选择材料和人工项目。选中一行可修改；"
                    "改价只影响以后的维修单，已登记的费用不变。"
                ),
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(left_aligned(self.remove_button))
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        self.save_button.clicked.connect(self.save)
        self.price.returnPressed.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.table.itemSelectionChanged.connect(self._pick)
        self.reload()

    def reload(self) -> None:
        self._items = self.reference.price_list()
        self.table.setRowCount(len(self._items))
        for row, p in enumerate(self._items):
            fill_row(self.table, row, [p.item, p.unit, format_money(p.price_fen)], right=(2,))

    def save(self) -> bool:
        self.errors.clear()
        try:
            fen = parse_money(self.price.text())
        except ValueError as e:
            self.errors.show(ValidationError([FieldError("price_fen", str(e))]))
            return False
        item = PriceItem(self.item.text().strip(), self.unit.text().strip(), fen)
        if not self.errors.attempt(lambda: self.reference.save_price_item(item)):
            return False
        for edit in (self.item, self.unit, self.price):
            edit.clear()
        self.bus.changed.emit(KIND)
        return True

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._items):
            name = self._items[row].item
            if self.errors.attempt(lambda: self.reference.remove_price_item(name)):
                self.bus.changed.emit(KIND)

    def _pick(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._items):
            p = self._items[row]
            self.item.setText(p.item)
            self.unit.setText(p.unit)
            self.price.setText(format_money(p.price_fen))


def hours_text(hours: float) -> str:
    return f"{hours:g}"


def parse_hours(text: str) -> float:
    """Hours as typed (``24``, ``0.5``, ``２４``, ``24小时``); ValueError when it is not one."""
    cleaned = to_halfwidth(text).strip().removesuffix("小时").strip()
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(text) from None


class TimeLimitsPage(QWidget):
    """维修时限表 as a grid: 维修类别 × 紧急程度 (到场, 完成 in hours); edits saved together."""

    def __init__(self, repair_reference, bus, parent=None) -> None:
        super().__init__(parent)
        self.reference, self.bus = repair_reference, bus
        self.urgencies = list(RepairUrgency)
        headers = []
        for u in self.urgencies:
            headers += [
                self.tr("%1\n到场(小时)").replace("%1", u.value),
                self.tr("%1\n完成(小时)").replace("%1", u.value),
            ]
        self.table = QTableWidget(0, len(headers), objectName="timeLimits")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.errors = FieldErrors()
        self.save_button = QPushButton(self.tr("保存时限表"))
        self.revert_button = QPushButton(self.tr("放弃修改"))
        self.dirty_note = QLabel(objectName="dirtyNote")
        buttons = QHBoxLayout()
        for widget in (self.save_button, self.revert_button, self.dirty_note):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            page_title(
                self.tr("维修时限表"),
                self.tr(
                    "报修后多少小时内到场、多少小时内完成（按自然小时计，有预约的从预约时间起算）。"
                    "空着的格子按“其他”一行计算。修改后请点“保存时限表”。"
                ),
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.errors.general)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.reload)
        self.table.itemChanged.connect(self._edited)
        self.reload()

    def reload(self) -> None:
        limits = {(t.category, t.urgency): t for t in self.reference.time_limits()}
        categories = list(dict.fromkeys([*self.reference.categories(), *(c for c, _u in limits)]))
        self.categories = categories
        self.table.blockSignals(True)
        self.table.setRowCount(len(categories))
        self.table.setVerticalHeaderLabels(categories)
        for row, category in enumerate(categories):
            for i, urgency in enumerate(self.urgencies):
                limit = limits.get((category, urgency))
                for j, hours in enumerate(
                    (limit.arrive_hours, limit.complete_hours) if limit else ("", "")
                ):
                    item = QTableWidgetItem(hours_text(hours) if limit else "")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    if not limit:
                        item.setToolTip(self.tr("未设定：按“其他”一行计算"))
                    self.table.setItem(row, 2 * i + j, item)
        self.table.blockSignals(False)
        self._edits: set[tuple[int, int]] = set()  # (row, urgency index)
        self._set_dirty(False)
        self.errors.clear()

    def cell(self, category: str, urgency: RepairUrgency, which: int) -> QTableWidgetItem:
        """The cell of one limit: ``which`` 0 = 到场, 1 = 完成 (for tests and editing)."""
        row = self.categories.index(category)
        return self.table.item(row, 2 * self.urgencies.index(urgency) + which)

    def save(self) -> bool:
        """Save each edited category × urgency; the ones the core refuses stay marked."""
        problems = []
        saved = set()
        for row, i in sorted(self._edits):
            category, urgency = self.categories[row], self.urgencies[i]
            problem = self._save_one(row, i, category, urgency)
            if problem:
                problems.append(f"{category}/{urgency.value}：{problem}")
                self._mark(row, i, WRONG)
            else:
                saved.add((row, i))
        self._edits -= saved
        if saved:
            self.bus.changed.emit(KIND)
        if problems:
            self.errors.show(WorkflowError("\n".join(problems)))
            return False
        self.reload()
        return True

    def refresh(self) -> None:
        """Reference data changed elsewhere: re-read unless there are unsaved edits."""
        if not self._edits:
            self.reload()

    def _save_one(self, row: int, i: int, category: str, urgency: RepairUrgency) -> str:
        """ "" when saved, else why not."""
        try:
            arrive, complete = (parse_hours(self.table.item(row, 2 * i + j).text()) for j in (0, 1))
        except ValueError:
            return self.tr("请填写小时数，如 24 或 0.5")
        try:
            self.reference.set_time_limit(TimeLimit(category, urgency, arrive, complete))
        except ValidationError as e:
            return "；".join(x.message for x in e.errors)
        return ""

    def _edited(self, item: QTableWidgetItem) -> None:
        key = (item.row(), item.column() // 2)
        self._edits.add(key)
        self._mark(*key, EDITED)
        self._set_dirty(True)

    def _mark(self, row: int, urgency_index: int, brush: QBrush) -> None:
        self.table.blockSignals(True)
        for j in (0, 1):
            self.table.item(row, 2 * urgency_index + j).setBackground(brush)
        self.table.blockSignals(False)

    def _set_dirty(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.dirty_note.setText(self.tr("有未保存的修改") if dirty else "")
