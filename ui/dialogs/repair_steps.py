"""One small dialog per step of a repair (procedure §2): 派工, 业主不在家, 到场, 验收, 回访.

Each shows the ticket it is about at the top, performs its one ``RepairService`` call on 保存,
shows field errors at the fields and a ``WorkflowError`` in a message box. The rules (what
status follows, what is required) are the core's; these only collect what was typed. The
完工 step, with its charge lines, is in ui/dialogs/repair_complete.py.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from app.domain.repair import (
    Acceptance,
    NotHomeAction,
    NotHomeVisit,
    RepairTicket,
    RepairVisit,
    Satisfaction,
)
from ui.dialogs.form_dialog import RecordDialog
from ui.dialogs.form_parts import NOTE_STYLE, ChoiceGroup, fill, note, shorten, text_box

WARN_STYLE = "QLabel { color: #c62828; font-weight: bold; }"
TIME = "%Y-%m-%d %H:%M"


class RepairStepDialog(RecordDialog):
    """The shared shape: the ticket on top, fields, one service call on 保存."""

    def __init__(
        self, repairs, ticket: RepairTicket, parent: QWidget | None = None, *, reference=None
    ) -> None:
        super().__init__(repairs, ticket, parent, now=repairs.now, reference=reference)

    @property
    def repairs(self):
        return self.service

    @property
    def ticket(self) -> RepairTicket:
        return self.record  # type: ignore[no-any-return]

    def title_text(self) -> str:
        return f"{self.step_title()} — {self.ticket.no}"

    def step_title(self) -> str:
        raise NotImplementedError

    def summary(self) -> list[str]:
        t = self.ticket
        who = "　".join(filter(None, [t.reporter, t.place]))
        lines = [
            fill(
                self.tr("<b>编号</b> %1　　<b>报修人/位置</b> %2　　<b>状态</b> %3"),
                t.no,
                who or "—",
                t.status.value,
            ),
            fill(self.tr("<b>故障描述</b> %1"), shorten(t.description)),
        ]
        if t.repairer:
            appointment = f"{t.appointment_at:{TIME}}" if t.appointment_at else "—"
            lines.append(
                fill(self.tr("<b>维修人员</b> %1　　<b>预约上门</b> %2"), t.repairer, appointment)
            )
        return lines

    def names(self, current: str = "", extra: str = ""):
        """Staff names to pick from (or type), with ``extra`` offered too."""
        box = self.staff(current)
        if extra and box.findText(extra) < 0:
            box.addItem(extra)
        return box

    def reopen_warning(self, choices: ChoiceGroup, text: str, save_text: str) -> None:
        """A grey note that turns red, and a save button that says so, on 不满意."""
        warning = note(text)
        self.add_wide(warning)

        def update(*_args: object) -> None:
            unhappy = choices.value() == Satisfaction.UNSATISFIED
            warning.setStyleSheet(WARN_STYLE if unhappy else NOTE_STYLE)
            self.save_button.setText(save_text if unhappy else self.tr("保存（Ctrl+Enter）"))

        choices.group.buttonToggled.connect(update)
        self.reopen_note = warning


class DispatchDialog(RepairStepDialog):
    """派工 (or 改派): the repairer, offered from the 片区责任制, and an appointment."""

    def __init__(self, repairs, reference, ticket: RepairTicket, parent=None) -> None:
        super().__init__(repairs, ticket, parent, reference=reference)

    def step_title(self) -> str:
        return self.tr("改派") if self.ticket.repairer else self.tr("派工")

    def build(self) -> None:
        t = self.ticket
        self.suggested = self.repairs.suggest_repairer(t.room or t.location)
        self.repairer = self.names(t.repairer or self.suggested, self.suggested)
        self.at = self.datetime_input()
        self.appointment_at = self.datetime_input(optional=True, value=t.appointment_at)
        self.appointment_at.setPlaceholderText(self.tr("与业主约定的上门时间，可不填"))
        self.add_field("repairer", self.tr("维修人员"), self.repairer, required=True)
        if self.suggested:
            hint = self.tr("按片区责任制，该位置所在片区的维修工是 %1。").replace(
                "%1", self.suggested
            )
        else:
            hint = self.tr("该位置没有设定片区维修工（可在“维修资料 › 片区”中设定）。")
        self.suggestion_note = note(hint)
        self.add_wide(self.suggestion_note)
        self.add_field("dispatched_at", self.tr("派工时间"), self.at, required=True)
        self.add_field("appointment_at", self.tr("预约上门时间"), self.appointment_at)

    def perform(self) -> RepairTicket:
        at = self.at.value()
        assert at is not None
        return self.repairs.dispatch(
            self.ticket.id or 0,
            repairer=self.repairer.currentText().strip(),
            at=at,
            appointment_at=self.appointment_at.value(),
        )


class NotHomeDialog(RepairStepDialog):
    """业主不在家: a note left (留言) or a new appointment (改约)."""

    def step_title(self) -> str:
        return self.tr("业主不在家")

    def build(self) -> None:
        self.at = self.datetime_input()
        self.action = ChoiceGroup([a.value for a in NotHomeAction], NotHomeAction.NOTE_LEFT.value)
        self.new_appointment = self.datetime_input(optional=True)
        self.new_appointment.setPlaceholderText(self.tr("改约时填写"))
        self.remark = text_box(2)
        self.remark.setPlaceholderText(self.tr("如：门上已贴留言条，电话未接"))
        self.add_field("at", self.tr("上门时间"), self.at, required=True)
        self.add_field("action", self.tr("处理"), self.action, required=True)
        self.add_field("new_appointment", self.tr("新预约时间"), self.new_appointment)
        self.add_field("note", self.tr("说明"), self.remark)
        self.action.group.buttonToggled.connect(self._enable)
        self._enable()

    def _enable(self, *_args: object) -> None:
        rescheduled = self.action.value() == NotHomeAction.RESCHEDULED
        self.new_appointment.setEnabled(rescheduled)
        if not rescheduled:
            self.new_appointment.setValue(None)

    def perform(self) -> RepairTicket:
        at = self.at.value()
        assert at is not None
        visit = NotHomeVisit(
            at=at,
            action=NotHomeAction(self.action.value()),
            new_appointment=self.new_appointment.value(),
            note=self.remark.toPlainText().strip(),
        )
        return self.repairs.record_not_home(self.ticket.id or 0, visit)


class ArriveDialog(RepairStepDialog):
    """到场: the repairer is on site."""

    def step_title(self) -> str:
        return self.tr("到场")

    def build(self) -> None:
        self.at = self.datetime_input()
        self.add_field("arrived_at", self.tr("到场时间"), self.at, required=True)
        due = self.repairs.deadlines(self.ticket).arrive_due
        self.add_wide(note(self.tr("到场期限：%1").replace("%1", f"{due:{TIME}}")))

    def perform(self) -> RepairTicket:
        at = self.at.value()
        assert at is not None
        return self.repairs.arrive(self.ticket.id or 0, at)


class AcceptDialog(RepairStepDialog):
    """业主验收: 满意 / 基本满意 / 不满意 (the repairer redoes it), signed on the paper form."""

    def step_title(self) -> str:
        return self.tr("业主验收")

    def build(self) -> None:
        self.at = self.datetime_input()
        self.outcome = ChoiceGroup([s.value for s in Satisfaction])
        self.signed = QCheckBox(self.tr("业主已在纸质单上签名"))
        self.remarks = text_box(2)
        self.remarks.setPlaceholderText(self.tr("业主的意见"))
        self.add_field("at", self.tr("验收时间"), self.at, required=True)
        self.add_field("result", self.tr("验收结果"), self.outcome, required=True)
        self.add_field("signed_on_paper", self.tr("业主签名"), self.signed)
        self.add_field("remarks", self.tr("业主意见"), self.remarks)
        self.reopen_warning(
            self.outcome,
            self.tr("选“不满意”时，工单回到“维修中”，由维修人员返工后重新完工、验收。"),
            self.tr("保存并返工（Ctrl+Enter）"),
        )

    def perform(self) -> RepairTicket:
        result = Satisfaction(self.chosen("result", self.outcome, self.tr("请选择验收结果")))
        at = self.at.value()
        assert at is not None
        acceptance = Acceptance(
            at=at,
            result=result,
            signed_on_paper=self.signed.isChecked(),
            remarks=self.remarks.toPlainText().strip(),
        )
        return self.repairs.accept(self.ticket.id or 0, acceptance)


class RepairVisitDialog(RepairStepDialog):
    """回访 by customer service within 1 working day; 不满意 goes back for re-dispatch."""

    def __init__(self, repairs, reference, ticket: RepairTicket, parent=None) -> None:
        super().__init__(repairs, ticket, parent, reference=reference)

    def step_title(self) -> str:
        return self.tr("回访")

    def build(self) -> None:
        self.at = self.datetime_input()
        self.visitor = self.staff()
        self.outcome = ChoiceGroup([s.value for s in Satisfaction])
        self.remarks = text_box(3)
        self.remarks.setPlaceholderText(self.tr("业主的原话或意见"))
        self.add_field("at", self.tr("回访时间"), self.at, required=True)
        self.add_field("visitor", self.tr("回访人"), self.visitor, required=True)
        self.add_field("result", self.tr("回访结果"), self.outcome, required=True)
        self.add_field("remarks", self.tr("业主意见"), self.remarks)
        due = self.repairs.deadlines(self.ticket).visit_due
        if due is not None:
            text = self.tr("回访期限：%1").replace("%1", f"{due:{TIME}}")
            late = due < self.repairs.now()
            self.add_wide(note(text + (self.tr("（已超时）") if late else "")))
        self.reopen_warning(
            self.outcome,
            self.tr("选“不满意”时，工单转维修部负责人，回到“已派工”重新维修。"),
            self.tr("保存并重新派工（Ctrl+Enter）"),
        )

    def perform(self) -> RepairTicket:
        result = Satisfaction(self.chosen("result", self.outcome, self.tr("请选择回访结果")))
        at = self.at.value()
        assert at is not None
        visit = RepairVisit(
            at=at,
            visitor=self.visitor.currentText().strip(),
            result=result,
            remarks=self.remarks.toPlainText().strip(),
        )
        return self.repairs.return_visit(self.ticket.id or 0, visit)
