"""投诉登记 tab: filter bar, the lazy complaint list, the selected record, the workflow buttons.

The buttons open the step dialogs (ui/dialogs); a dialog makes the service call itself on
accept, then this tab announces `changed("complaints")` and every listening view reloads.
The shape (list, filters, buttons, detail) is the shared register tab (ui.tabs.register_tab).
A button shows only to a user who may use it: a 前台 sees 新登记, 修改登记 (their own drafts)
and 打印; the handler the steps; only a manager 审核 and 作废.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from app.domain.access import Permission
from app.domain.complaint import Complaint, Status
from app.domain.complaint_workflow import STEP_PERMISSIONS
from app.domain.errors import ValidationError, WorkflowError
from app.domain.listing import ComplaintFilter, QuickView
from ui import desktop
from ui.models.complaint_table import ComplaintTableModel
from ui.tabs.complaint_detail import ComplaintDetailPanel
from ui.tabs.complaint_dialogs import DIALOG_FACTORIES
from ui.tabs.complaint_filters import ComplaintFilterBar
from ui.tabs.register_tab import RegisterTab

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
    ("to_repair", QT_TRANSLATE_NOOP("ComplaintsTab", "转维修"), None),
    ("print", QT_TRANSLATE_NOOP("ComplaintsTab", "打印记录表"), QKeySequence.StandardKey.Print),
    ("void", QT_TRANSLATE_NOOP("ComplaintsTab", "作废"), None),
)
ACTION_PERMISSIONS = {step.value: p for step, p in STEP_PERMISSIONS.items()} | {
    "new": Permission.REGISTER,
    "to_repair": Permission.HANDLE,
    "print": Permission.PRINT,
    "void": Permission.VOID,
}
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


class ComplaintsTab(RegisterTab):
    tr_context = "ComplaintsTab"
    ACTIONS = ACTIONS
    ACTION_PERMISSIONS = ACTION_PERMISSIONS
    COLUMN_SAMPLES = COLUMN_SAMPLES
    TABLE_NAME = "complaintTable"

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
        repairs=None,
    ) -> None:
        super().__init__(bus, parent)
        self.complaints, self.escalation = complaints, escalation
        self.reference, self.printing, self.repairs = reference, printing, repairs
        self.session = complaints.session
        self.prints_dir = prints_dir or Path(tempfile.gettempdir()) / "EstateOffice-prints"
        self.dialog_factories = dict(DIALOG_FACTORIES)
        self.direct_actions = {"print": self.print_record, "to_repair": self.to_repair}
        detail = ComplaintDetailPanel(complaints, escalation, self, repairs=repairs)
        detail.set_history_source(complaints.history)
        self.setup(ComplaintTableModel(complaints, self), ComplaintFilterBar(self), detail)
        self.filters.set_choices(reference.departments(), reference.categories())
        self.show_counts()

    # ----- the register's answers
    def get_record(self, record_id: int) -> Complaint:
        return self.complaints.get(record_id)

    def selected_complaint(self) -> Complaint | None:
        return self.selected_record()  # type: ignore[no-any-return]

    def allowed_actions(self, record: Complaint | None) -> set[str]:
        """What fits where the record stands: its steps the user may take (the service says),
        and 打印, 转维修 and 作废 while it is not voided."""
        if record is None:
            return {"new"}
        allowed = {"new"} | {step.value for step in self.complaints.allowed_steps(record)}
        if record.void is None:
            allowed.add("void")
            if self.printing is not None:
                allowed.add("print")
            if self.repairs is not None and record.status != Status.CLOSED:
                allowed.add("to_repair")
        return allowed

    def view_counts(self) -> dict[QuickView, int]:
        return {view: self.complaints.count(ComplaintFilter(view=view)) for view in QuickView}

    def announce(self, key: str, _dialog) -> None:
        if key == "escalate":
            self.bus.changed.emit("escalation")
        self.bus.changed.emit("complaints")

    def _on_changed(self, kind: str) -> None:
        if kind in ("complaints", "escalation", "repairs"):
            self.refresh()
        elif kind == "reference":
            self.filters.set_choices(self.reference.departments(), self.reference.categories())
            self.refresh()

    # ----- actions
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

    def to_repair(self) -> bool:
        """转维修: a repair ticket made from the selected complaint; its number is shown."""
        c = self.selected_complaint()
        if c is None or self.repairs is None or c.id is None:
            return False
        earlier = self.repairs.tickets_for_complaint(c.id)
        if earlier and not self._confirm_another_ticket(c, [t.no for t in earlier]):
            return False
        try:
            ticket = self.repairs.from_complaint(c.id)
        except (ValidationError, WorkflowError) as e:
            desktop.show_error(self, self.tr("无法转维修：{error}").format(error=e))
            return False
        self.bus.changed.emit("repairs")
        self.bus.changed.emit("complaints")
        text = self.tr(
            "投诉 {complaint} 已转维修，维修单编号 {no}。请在“报修维修”中补充类别并派工。"
        )
        desktop.show_message(self, self.tr("转维修"), text.format(complaint=c.no, no=ticket.no))
        self.status_message.emit(self.tr("已生成维修单 {no}").format(no=ticket.no))
        return True

    def _confirm_another_ticket(self, c: Complaint, nos: list[str]) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("转维修"),
            self.tr("投诉 {complaint} 已有维修单 {nos}，还要再生成一张吗？").format(
                complaint=c.no, nos="、".join(nos)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
