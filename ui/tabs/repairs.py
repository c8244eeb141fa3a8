"""报修维修 tab: filter bar, the lazy repair list, the selected ticket, the workflow buttons.

The same shape as 投诉登记 (ui.tabs.register_tab). The buttons follow
``RepairService.allowed_steps`` (where the ticket stands and what the user may do); a dialog
makes the service call itself on accept, then this tab announces `changed("repairs")` and
every listening view reloads. Only a manager sees 作废.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QKeySequence

from app.domain.access import Permission
from app.domain.errors import ValidationError, WorkflowError
from app.domain.repair import RepairTicket
from app.domain.repair_listing import RepairFilter, RepairView
from app.domain.repair_workflow import STEP_PERMISSIONS
from ui import desktop
from ui.models.repair_table import RepairTableModel
from ui.tabs.register_tab import RegisterTab
from ui.tabs.repair_detail import RepairDetailPanel
from ui.tabs.repair_dialogs import DIALOG_FACTORIES
from ui.tabs.repair_filters import RepairFilterBar

CONTEXT = "RepairsTab"
# (key, button text, shortcut); the keys are RepairStep values, plus new and print
ACTIONS = (
    ("new", QT_TRANSLATE_NOOP(CONTEXT, "新报修"), QKeySequence.StandardKey.New),
    ("intake", QT_TRANSLATE_NOOP(CONTEXT, "修改"), None),
    ("dispatch", QT_TRANSLATE_NOOP(CONTEXT, "派工"), None),
    ("not_home", QT_TRANSLATE_NOOP(CONTEXT, "业主不在家"), None),
    ("arrive", QT_TRANSLATE_NOOP(CONTEXT, "到场"), None),
    ("complete", QT_TRANSLATE_NOOP(CONTEXT, "完工"), None),
    ("accept", QT_TRANSLATE_NOOP(CONTEXT, "验收"), None),
    ("visit", QT_TRANSLATE_NOOP(CONTEXT, "回访"), None),
    ("print", QT_TRANSLATE_NOOP(CONTEXT, "打印派工单"), QKeySequence.StandardKey.Print),
    ("void", QT_TRANSLATE_NOOP(CONTEXT, "作废"), None),
)
ACTION_PERMISSIONS = {step.value: p for step, p in STEP_PERMISSIONS.items()} | {
    "new": Permission.REGISTER,
    "print": Permission.PRINT,
    "void": Permission.VOID,
}
COLUMN_SAMPLES = (
    "WX2026-00000",
    "2025-11-20 ",
    "12-3-1804 ",
    "欧阳先生",
    "公共照明",
    None,
    "紧急程度",
    "待派工",
    "维修人员",
    "2025-11-20 ",
    "2025-11-20 ",
    "费用(元)",
    "重开1次 ",
)
REPAIRER_DEPARTMENT_HINT = "维修"  # staff of a department named so are offered as repairers


class RepairsTab(RegisterTab):
    tr_context = CONTEXT
    ACTIONS = ACTIONS
    ACTION_PERMISSIONS = ACTION_PERMISSIONS
    COLUMN_SAMPLES = COLUMN_SAMPLES
    TABLE_NAME = "repairTable"

    def __init__(
        self,
        repairs,
        repair_reference,
        reference,
        printing,
        bus,
        parent=None,
        *,
        prints_dir: Path | None = None,
    ) -> None:
        super().__init__(bus, parent)
        self.repairs, self.repair_reference = repairs, repair_reference
        self.reference, self.printing = reference, printing
        self.session = repairs.session
        self.prints_dir = prints_dir or Path(tempfile.gettempdir()) / "EstateOffice-prints"
        self.dialog_factories = dict(DIALOG_FACTORIES)
        self.direct_actions = {"print": self.print_work_order}
        detail = RepairDetailPanel(repairs, repair_reference, self)
        detail.set_history_source(repairs.history)
        self.setup(RepairTableModel(repairs, self), RepairFilterBar(self), detail)
        self._fill_choices()
        self.show_counts()

    # ----- the register's answers
    def get_record(self, record_id: int) -> RepairTicket:
        return self.repairs.get(record_id)

    def selected_ticket(self) -> RepairTicket | None:
        return self.selected_record()  # type: ignore[no-any-return]

    def allowed_actions(self, t: RepairTicket | None) -> set[str]:
        if t is None:
            return {"new"}
        allowed = {"new"} | {str(step.value) for step in self.repairs.allowed_steps(t)}
        if t.void is None:
            allowed.add("void")
            if self.printing is not None:
                allowed.add("print")
        return allowed

    def view_counts(self) -> dict[RepairView, int]:
        return {view: self.repairs.count(RepairFilter(view=view)) for view in RepairView}

    def announce(self, _key: str, _dialog) -> None:
        self.bus.changed.emit("repairs")

    def _on_changed(self, kind: str) -> None:
        if kind == "repairs":
            self.refresh()
        elif kind in ("reference", "repair_reference"):
            self._fill_choices()
            self.refresh()
        elif kind == "calendar":
            self.refresh()

    def repairer_names(self) -> list[str]:
        """维修人员 to filter by: the 片区 repairers and the staff of the repair department."""
        names = [z.repairer for z in self.repair_reference.zones() if z.repairer]
        names += [
            m.name for m in self.reference.staff() if REPAIRER_DEPARTMENT_HINT in m.department
        ]
        return list(dict.fromkeys(names))

    def _fill_choices(self) -> None:
        self.filters.set_choices(self.repair_reference.categories(), self.repairer_names())

    # ----- actions
    def print_work_order(self) -> bool:
        """打印派工单: the 维修派工单 as a PDF under the prints folder, then opened."""
        t = self.selected_ticket()
        if t is None or self.printing is None:
            return False
        try:
            pdf = self.printing.work_order_pdf(t)
            path = desktop.save_and_open_pdf(self.printing, pdf, self.prints_dir, t.no)
        except (OSError, ValidationError, WorkflowError) as e:
            desktop.show_error(self, self.tr("无法保存派工单：{error}").format(error=e))
            return False
        self.status_message.emit(self.tr("已保存 {path}").format(path=path))
        return True
