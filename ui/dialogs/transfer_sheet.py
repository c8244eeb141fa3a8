"""工作传签单 dialogs (§7.2.8): raise one from a complaint, sign it level by level, fix the
responsible department, and write back the result (办结)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.complaint import Complaint
from app.domain.escalation import Level, LevelOpinion, TransferSheet, levels_above
from ui.dialogs.form_dialog import RecordDialog
from ui.dialogs.form_parts import combo, fill, shorten, text_box

if TYPE_CHECKING:
    from app.services.escalation import EscalationService
    from app.services.reference import ReferenceService


class RaiseTransferDialog(RecordDialog):
    """发起工作传签单 from a complaint the handler cannot resolve (or on its own)."""

    def __init__(
        self,
        escalation: EscalationService,
        reference: ReferenceService,
        complaint: Complaint | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(escalation, complaint, parent, now=escalation.clock, reference=reference)

    def title_text(self) -> str:
        c = self.record
        return self.tr("发起工作传签单") + (f" — {c.no}" if c else "")

    def summary(self) -> list[str]:
        c: Complaint | None = self.record
        if c is None:
            return [self.tr("不关联投诉的工作传签单")]
        who = " ".join(filter(None, [c.complainant, c.room]))
        return [
            fill(
                self.tr("<b>关联投诉</b> %1　　<b>投诉人</b> %2　　<b>状态</b> %3"),
                c.no,
                who or "—",
                c.status.value,
            ),
            fill(self.tr("<b>投诉内容</b> %1"), shorten(c.content)),
        ]

    def build(self) -> None:
        c: Complaint | None = self.record
        self.raised_on = self.date_input()
        self.initiator = self.staff(c.handler if c else "")
        self.initiator_dept = self.department(c.responsible_dept if c else "")
        self.subject = QLineEdit(shorten(c.content, 40) if c else "")
        self.situation = text_box(4)
        self.situation.setPlaceholderText(self.tr("经过情况，以及本部门不能解决的原因"))
        self.proposal = text_box(3)
        self.add_field("raised_on", self.tr("日期"), self.raised_on, required=True)
        self.add_field("initiator", self.tr("发起人"), self.initiator, required=True)
        self.add_field("initiator_dept", self.tr("发起部门"), self.initiator_dept)
        self.add_field("subject", self.tr("事由"), self.subject, required=True)
        self.add_field("situation", self.tr("情况说明"), self.situation, required=True)
        self.add_field("proposal", self.tr("建议处理意见"), self.proposal)
        self.initiator.currentTextChanged.connect(self._department_of_initiator)
        self._department_of_initiator(self.initiator.currentText())

    def _department_of_initiator(self, name: str) -> None:
        """Picking a staff member fills in their department when none is chosen yet."""
        if self.initiator_dept.currentText() or self.reference is None:
            return
        for member in self.reference.staff():
            if member.name == name:
                self.initiator_dept.setCurrentText(member.department)
                return

    def perform(self) -> TransferSheet:
        c: Complaint | None = self.record
        sheet = TransferSheet(
            raised_on=self.raised_on.value(),  # type: ignore[arg-type]
            initiator=self.initiator.currentText().strip(),
            initiator_dept=self.initiator_dept.currentText(),
            subject=self.subject.text().strip(),
            situation=self.situation.toPlainText().strip(),
            proposal=self.proposal.toPlainText().strip(),
            complaint_id=c.id if c else None,
            complaint_no=c.no if c else "",
        )
        return self.service.raise_sheet(sheet)  # type: ignore[no-any-return]


class SheetStepDialog(RecordDialog):
    """A step on a 工作传签单: its number, subject and the levels signed so far on top."""

    def __init__(
        self,
        escalation: EscalationService,
        sheet: TransferSheet,
        parent: QWidget | None = None,
        *,
        reference: ReferenceService | None = None,
    ) -> None:
        super().__init__(escalation, sheet, parent, now=escalation.clock, reference=reference)

    @property
    def sheet(self) -> TransferSheet:
        return self.record  # type: ignore[no-any-return]

    def title_text(self) -> str:
        return f"{self.step_title()} — {self.sheet.no}"

    def step_title(self) -> str:
        raise NotImplementedError

    def summary(self) -> list[str]:
        s = self.sheet
        head = self.tr("<b>编号</b> %1　　<b>日期</b> %2　　<b>发起人</b> %3　　<b>关联投诉</b> %4")
        lines = [
            fill(head, s.no, f"{s.raised_on:%Y-%m-%d}", s.initiator, s.complaint_no or "—"),
            fill(self.tr("<b>事由</b> %1"), shorten(s.subject)),
        ]
        lines += [
            fill(
                "<b>%1</b>（%2，%3）：%4",
                lv.level.value,
                lv.signer,
                f"{lv.signed_on:%Y-%m-%d}",
                shorten(lv.opinion, 60),
            )
            for lv in s.levels
        ]
        return lines


class SignLevelDialog(SheetStepDialog):
    """签署意见: the next level up writes its opinion, signs and dates."""

    def step_title(self) -> str:
        return self.tr("签署意见")

    def build(self) -> None:
        self.level = combo([lv.value for lv in levels_above(self.sheet)])
        self.opinion = text_box(3)
        self.signer = self.staff()
        self.signed_on = self.date_input()
        self.add_field("level", self.tr("签署级别"), self.level, required=True)
        self.add_field("opinion", self.tr("意见"), self.opinion, required=True)
        self.add_field("signer", self.tr("签名"), self.signer, required=True)
        self.add_field("signed_on", self.tr("日期"), self.signed_on, required=True)

    def perform(self) -> TransferSheet:
        # No level left (总经理 signed): send the last one, the core says why it cannot sign.
        chosen = self.level.currentText() or self.sheet.levels[-1].level.value
        opinion = LevelOpinion(
            level=Level(chosen),
            opinion=self.opinion.toPlainText().strip(),
            signer=self.signer.currentText().strip(),
            signed_on=self.signed_on.value(),
        )  # type: ignore[arg-type]
        return self.service.sign_level(self.sheet.id or 0, opinion)  # type: ignore[no-any-return]


class FixDepartmentDialog(SheetStepDialog):
    """确定责任部门: the superior decides which department carries the work."""

    def __init__(
        self,
        escalation: EscalationService,
        reference: ReferenceService,
        sheet: TransferSheet,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(escalation, sheet, parent, reference=reference)

    def step_title(self) -> str:
        return self.tr("确定责任部门")

    def build(self) -> None:
        self.dept = self.department(self.sheet.responsible_dept)
        self.add_field("responsible_dept", self.tr("责任部门"), self.dept, required=True)

    def perform(self) -> TransferSheet:
        return self.service.fix_department(  # type: ignore[no-any-return]
            self.sheet.id or 0, self.dept.currentText()
        )


class CompleteSheetDialog(SheetStepDialog):
    """办结: 处理结果, 答复顾客情况, 完成日期, 经办人; the result goes back to the complaint."""

    def __init__(
        self,
        escalation: EscalationService,
        reference: ReferenceService,
        sheet: TransferSheet,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(escalation, sheet, parent, reference=reference)

    def step_title(self) -> str:
        return self.tr("传签单办结")

    def build(self) -> None:
        self.result_text = text_box(4)
        self.customer_reply = text_box(2)
        self.completed_on = self.date_input()
        self.handled_by = self.staff(self.sheet.initiator)
        self.add_field("result", self.tr("处理结果"), self.result_text, required=True)
        self.add_field("customer_reply", self.tr("答复顾客情况"), self.customer_reply)
        self.add_field("completed_on", self.tr("完成日期"), self.completed_on, required=True)
        self.add_field("handled_by", self.tr("经办人"), self.handled_by, required=True)

    def perform(self) -> TransferSheet:
        return self.service.complete_sheet(  # type: ignore[no-any-return]
            self.sheet.id or 0,
            result=self.result_text.toPlainText().strip(),
            customer_reply=self.customer_reply.toPlainText().strip(),
            completed_on=self.completed_on.value(),
            handled_by=self.handled_by.currentText().strip(),
        )
