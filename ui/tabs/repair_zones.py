"""维修资料 page: 片区 (片区责任制) — each zone's buildings, its responsible service clerk and
repairer. 派工 offers the repairer of the zone a room's building belongs to."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.repair import Zone
from ui.dialogs.form_parts import combo
from ui.tabs.reference_pages import FieldErrors, left_aligned, page_title
from ui.tabs.repair_prices import KIND
from ui.widgets.tables import fill_row, read_only_table

_SEPARATORS = re.compile(r"[、,，;；\s]+")


def split_buildings(text: str) -> tuple[str, ...]:
    """“1、2、3栋” or “1,2 3” → ("1", "2", "3"): the 栋 numbers a zone covers."""
    return tuple(p.removesuffix("栋") for p in _SEPARATORS.split(text.strip()) if p)


class ZonesPage(QWidget):
    def __init__(self, repair_reference, reference, bus, parent=None) -> None:
        super().__init__(parent)
        self.repair_reference, self.reference, self.bus = repair_reference, reference, bus
        self.table = read_only_table(
            [self.tr("片区"), self.tr("楼栋"), self.tr("客服"), self.tr("维修工")]
        )
        self.name = QLineEdit(placeholderText=self.tr("片区名称，如 东区"))
        self.buildings = QLineEdit(placeholderText=self.tr("栋号，用顿号分隔，如 1、2、3"))
        self.clerk = combo([], editable=True)
        self.repairer = combo([], editable=True)
        self.errors = FieldErrors()
        self.save_button = QPushButton(self.tr("保存片区"))
        self.remove_button = QPushButton(self.tr("删除所选"))
        form = QGridLayout()
        rows = (
            (self.tr("片区名称"), self.name, "name"),
            (self.tr("楼栋"), self.buildings, "buildings"),
            (self.tr("责任客服"), self.clerk, "clerk"),
            (self.tr("责任维修工"), self.repairer, "repairer"),
        )
        for row, (label, widget, field) in enumerate(rows):
            form.addWidget(QLabel(label), 2 * row, 0)
            form.addWidget(widget, 2 * row, 1)
            form.addWidget(self.errors.label_for(field), 2 * row + 1, 1)
        form.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            page_title(
                self.tr("片区"),
                self.tr(
                    "片区责任制：每个片区有负责的客服和维修工。派工时按房号的栋号找到片区，"
                    "建议该片区的维修工。选中一行可修改；同名片区保存时覆盖。"
                ),
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(left_aligned(self.remove_button))
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addLayout(left_aligned(self.save_button))
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.table.itemSelectionChanged.connect(self._pick)
        self.reload()

    def reload(self) -> None:
        names = ["", *self.reference.staff_names()]
        for box in (self.clerk, self.repairer):
            chosen = box.currentText()
            box.clear()
            box.addItems(names)
            box.setCurrentText(chosen)
        self._zones = self.repair_reference.zones()
        self.table.setRowCount(len(self._zones))
        for row, z in enumerate(self._zones):
            fill_row(self.table, row, [z.name, "、".join(z.buildings), z.clerk, z.repairer])

    def save(self) -> bool:
        zone = Zone(
            self.name.text().strip(),
            split_buildings(self.buildings.text()),
            self.clerk.currentText().strip(),
            self.repairer.currentText().strip(),
        )
        if not self.errors.attempt(lambda: self.repair_reference.save_zone(zone)):
            return False
        self.name.clear()
        self.buildings.clear()
        self.bus.changed.emit(KIND)
        return True

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._zones):
            name = self._zones[row].name
            if self.errors.attempt(lambda: self.repair_reference.remove_zone(name)):
                self.bus.changed.emit(KIND)

    def _pick(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._zones):
            z = self._zones[row]
            self.name.setText(z.name)
            self.buildings.setText("、".join(z.buildings))
            self.clerk.setCurrentText(z.clerk)
            self.repairer.setCurrentText(z.repairer)
