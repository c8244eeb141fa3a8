"""完工: the repair result, the materials and labour (from the 收费标准 or typed) with the running
合计 in 元, and whether the owner pays (有偿/无偿, regulation §三.2)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from app.domain.repair import RepairTicket
from ui.dialogs.form_parts import text_box
from ui.dialogs.repair_steps import RepairStepDialog
from ui.widgets.charge_lines import ChargeLinesEditor


class CompleteDialog(RepairStepDialog):
    """完工登记; ``charges`` is the lines editor (its 合计 follows every keystroke)."""

    min_width = 720

    def __init__(self, repairs, repair_reference, ticket: RepairTicket, parent=None) -> None:
        self._price_list = repair_reference.price_list()
        super().__init__(repairs, ticket, parent)

    def step_title(self) -> str:
        return self.tr("完工登记")

    def build(self) -> None:
        t = self.ticket
        self.at = self.datetime_input()
        self.result_text = text_box(3, t.result)
        self.result_text.setPlaceholderText(self.tr("如：更换角阀一个，试水无渗漏"))
        self.chargeable = QCheckBox(self.tr("有偿维修（按收费标准向业主收费）"))
        self.chargeable.setChecked(t.chargeable)
        self.charges = ChargeLinesEditor(self._price_list, t.charges)
        self.charges.set_chargeable(t.chargeable)
        self.add_field("completed_at", self.tr("完成时间"), self.at, required=True)
        self.add_field("result", self.tr("维修结果"), self.result_text, required=True)
        self.add_field("chargeable", self.tr("是否有偿"), self.chargeable)
        self.add_field("charges", self.tr("材料及人工"), self.charges)
        self.chargeable.toggled.connect(self.charges.set_chargeable)

    def _state(self) -> tuple[object, ...]:
        return (*super()._state(), tuple(self.charges.texts()))

    def perform(self) -> RepairTicket:
        lines = self.charges.lines()  # a line it cannot read is shown at the table
        at = self.at.value()
        assert at is not None
        return self.repairs.complete(
            self.ticket.id or 0,
            at=at,
            result=self.result_text.toPlainText().strip(),
            charges=lines,
            chargeable=self.chargeable.isChecked(),
        )
