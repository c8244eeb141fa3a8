"""材料及人工: the charge lines of a repair, picked from the 收费标准 (price list) or typed,
with the running 合计 in 元. Amounts are kept in 分; what the clerk types (``12.5``, ``１２.５``,
``￥12``) is read by the core's parsers, and a line it cannot read is named in the error."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FieldError, ValidationError
from app.domain.repair import ChargeLine, PriceItem
from app.domain.repair_rules import format_money, parse_money, parse_quantity

ITEM, UNIT, QUANTITY, PRICE, AMOUNT = range(5)
TOTAL_STYLE = "QLabel { font-weight: bold; }"
FREE_STYLE = "QLabel { color: #5f6b77; }"


def format_quantity(quantity: Decimal) -> str:
    """2 → "2", 0.50 → "0.5": no trailing zeros, never an exponent."""
    text = f"{quantity:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def price_label(item: PriceItem) -> str:
    unit = f"/{item.unit}" if item.unit else ""
    return f"{item.item}　{format_money(item.price_fen)}元{unit}"


class ChargeLinesEditor(QWidget):
    """A table of lines, a price-list picker, and the 合计; ``lines()`` reads them."""

    changed = Signal()

    def __init__(
        self,
        price_list: Sequence[PriceItem],
        lines: Sequence[ChargeLine] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._prices = {p.item: p for p in price_list}
        self._chargeable = True
        self.table = QTableWidget(0, 5, objectName="chargeLines")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("项目（材料/人工）"),
                self.tr("单位"),
                self.tr("数量"),
                self.tr("单价(元)"),
                self.tr("金额(元)"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as in every other field
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
        width = self.fontMetrics().horizontalAdvance("单价(元)") + 28
        for column in (UNIT, QUANTITY, PRICE, AMOUNT):
            header.resizeSection(column, width)
        self.table.setMinimumHeight(self.fontMetrics().height() * 8)
        self.picker = QComboBox(objectName="pricePicker")
        self.picker.addItem(self.tr("从收费标准选择…"), None)
        for p in price_list:
            self.picker.addItem(price_label(p), p.item)
        self.add_picked = QPushButton(self.tr("添加"))
        self.add_picked.setEnabled(False)
        self.add_typed = QPushButton(self.tr("添加自填项目"))
        self.remove = QPushButton(self.tr("删除所选行"))
        self.total = QLabel(objectName="chargeTotal")
        self._build()
        for line in lines:
            self.add_line(
                line.item,
                line.unit,
                format_quantity(line.quantity),
                format_money(line.unit_price_fen),
            )
        self._update_total()

    # ----- editing
    def add_line(self, item: str = "", unit: str = "", quantity: str = "1", price: str = "") -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for column, text in ((ITEM, item), (UNIT, unit), (QUANTITY, quantity), (PRICE, price)):
            cell = QTableWidgetItem(text)
            if column in (QUANTITY, PRICE):
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, cell)
        amount = QTableWidgetItem()
        amount.setFlags(amount.flags() & ~Qt.ItemFlag.ItemIsEditable)
        amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, AMOUNT, amount)
        self.table.blockSignals(False)
        for column in (QUANTITY, PRICE):
            self._tidy(row, column)
        self._update_total()
        return row

    def add_price_item(self, name: str) -> int:
        """A line from the 收费标准: its unit and price filled in, quantity 1."""
        p = self._prices[name]
        return self.add_line(p.item, p.unit, "1", format_money(p.price_fen))

    def set_cell(self, row: int, column: int, text: str) -> None:
        self.table.item(row, column).setText(text)

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self._update_total()

    def set_chargeable(self, chargeable: bool) -> None:
        self._chargeable = chargeable
        self._update_total()

    # ----- reading
    def texts(self) -> list[tuple[str, ...]]:
        """What is in the table, as typed (for the 'anything typed?' question)."""
        return [
            tuple(self.table.item(r, c).text() for c in (ITEM, UNIT, QUANTITY, PRICE))
            for r in range(self.table.rowCount())
        ]

    def lines(self) -> list[ChargeLine]:
        """The lines (empty rows skipped); a row that cannot be read raises ValidationError."""
        lines, errors = [], []
        for n, (item, unit, quantity, price) in enumerate(self.texts(), start=1):
            if not any(t.strip() for t in (item, quantity, price)):
                continue
            try:
                lines.append(self._line(item, unit, quantity, price))
            except ValueError as e:
                errors.append(
                    FieldError("charges", self.tr("第%1行：").replace("%1", str(n)) + str(e))
                )
        if errors:
            raise ValidationError(errors)
        return lines

    def gross_fen(self) -> int:
        """The lines' sum (what a chargeable repair costs), unreadable rows left out."""
        return sum(line.total_fen for line in self._readable())

    # ----- internals
    def _line(self, item: str, unit: str, quantity: str, price: str) -> ChargeLine:
        return ChargeLine(item.strip(), parse_quantity(quantity), parse_money(price), unit.strip())

    def _readable(self) -> list[ChargeLine]:
        found = []
        for texts in self.texts():
            try:
                found.append(self._line(*texts))
            except ValueError:
                continue
        return found

    def _cell_changed(self, row: int, column: int) -> None:
        if column == ITEM:
            self._fill_from_price_list(row)
        elif column in (QUANTITY, PRICE):
            self._tidy(row, column)
        if column != AMOUNT:
            self._update_total()

    def _tidy(self, row: int, column: int) -> None:
        """A readable number is shown in its standard form (１.５ → 1.5, ８.５ → 8.50);
        anything else stays as typed, to be named on saving."""
        cell = self.table.item(row, column)
        try:
            if column == QUANTITY:
                tidy = format_quantity(parse_quantity(cell.text()))
            else:
                tidy = format_money(parse_money(cell.text()))
        except ValueError:
            return
        if tidy != cell.text():
            self.table.blockSignals(True)
            cell.setText(tidy)
            self.table.blockSignals(False)

    def _fill_from_price_list(self, row: int) -> None:
        """Typing a price-list item's name fills its unit and price when they are empty."""
        p = self._prices.get(self.table.item(row, ITEM).text().strip())
        if p is None:
            return
        for column, text in ((UNIT, p.unit), (PRICE, format_money(p.price_fen))):
            if not self.table.item(row, column).text().strip():
                self.table.item(row, column).setText(text)

    def _update_total(self) -> None:
        self.table.blockSignals(True)
        for row, texts in enumerate(self.texts()):
            try:
                amount = format_money(self._line(*texts).total_fen)
            except ValueError:
                amount = "—" if any(t.strip() for t in texts[2:]) else ""
            self.table.item(row, AMOUNT).setText(amount)
        self.table.blockSignals(False)
        gross = format_money(self.gross_fen())
        if self._chargeable:
            self.total.setText(self.tr("合计 %1 元").replace("%1", gross))
            self.total.setStyleSheet(TOTAL_STYLE)
        else:
            self.total.setText(
                self.tr("合计 0.00 元（无偿维修：材料人工计 %1 元，不向业主收取）").replace(
                    "%1", gross
                )
            )
            self.total.setStyleSheet(FREE_STYLE)
        self.changed.emit()

    def _add_picked(self) -> None:
        """添加: the item chosen in the price list becomes a line (chosen, not just passed
        over with the arrow keys)."""
        name = self.picker.currentData()
        if name:
            self.table.selectRow(self.add_price_item(name))
            self.picker.setCurrentIndex(0)

    def _build(self) -> None:
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.picker, 1)
        buttons.addWidget(self.add_picked)
        buttons.addSpacing(8)
        buttons.addWidget(self.add_typed)
        buttons.addWidget(self.remove)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.picker.currentIndexChanged.connect(lambda index: self.add_picked.setEnabled(index > 0))
        self.add_picked.clicked.connect(self._add_picked)
        self.add_typed.clicked.connect(self._add_typed)
        self.remove.clicked.connect(self.remove_selected)
        self.table.cellChanged.connect(self._cell_changed)

    def _add_typed(self) -> None:
        row = self.add_line()
        self.table.setCurrentCell(row, ITEM)
        self.table.editItem(self.table.item(row, ITEM))
