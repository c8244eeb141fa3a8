"""工作安排通知单 dialogs (§7.2.9): issue one (from a 工作传签单, or after a superior's own
inspection), then the receiving department's 签收 and 完成情况, and the issuer's 验收."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from app.domain.escalation import NoticeSource, TransferSheet, WorkNotice
from ui.dialogs.form_dialog import RecordDialog
from ui.dialogs.form_parts import ChoiceGroup, fill, shorten, text_box

if TYPE_CHECKING:
    from app.services.escalation import EscalationService
    from app.services.reference import ReferenceService


class WorkNoticeDialog(RecordDialog):
    """签发工作安排通知单: from ``sheet``, or (sheet None) on the superior's own initiative."""

    def __init__(
        self,
        escalation: EscalationService,
        reference: ReferenceService,
        sheet: TransferSheet | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(escalation, sheet, parent, now=escalation.clock, reference=reference)

    @property
    def sheet(self) -> TransferSheet | None:
        return self.record  # type: ignore[no-any-return]

    def title_text(self) -> str:
        return self.tr("签发工作安排通知单")

    def summary(self) -> list[str]:
        s = self.sheet
        if s is None:
            return [self.tr("日常检查发现或其他来源的工作安排（不关联传签单）")]
        return [
            fill(self.tr("<b>来源传签单</b> %1　　<b>事由</b> %2"), s.no, shorten(s.subject, 50)),
            *[
                fill("<b>%1</b>（%2）：%3", lv.level.value, lv.signer, shorten(lv.opinion, 60))
                for lv in s.levels
            ],
        ]

    def build(self) -> None:
        s = self.sheet
        self.issued_on = self.date_input()
        self.issuer = self.staff(s.levels[-1].signer if s and s.levels else "")
        self.to_dept = self.department(s.responsible_dept if s else "")
        self.receiver = self.staff()
        if s is not None:
            self.source: QWidget = QLabel(f"{NoticeSource.TRANSFER.value} {s.no}")
        else:
            self.source = ChoiceGroup(
                [NoticeSource.INSPECTION.value, NoticeSource.OTHER.value],
                NoticeSource.INSPECTION.value,
            )
        self.content = text_box(4, "\n".join(filter(None, [s.subject, s.proposal])) if s else "")
        self.requirement = text_box(2)
        self.requirement.setPlaceholderText(self.tr("应达到的标准"))
        self.due_at = self.datetime_input(optional=True)
        self.due_at.setPlaceholderText(self.tr("如 2026-11-25 17:00，可不填"))
        self.add_field("issued_on", self.tr("签发日期"), self.issued_on, required=True)
        self.add_field("issuer", self.tr("签发人"), self.issuer, required=True)
        self.add_field("to_dept", self.tr("接收部门"), self.to_dept, required=True)
        self.add_field("receiver", self.tr("接收人"), self.receiver)
        self.add_field("source", self.tr("来源"), self.source)
        self.add_field("content", self.tr("工作内容"), self.content, required=True)
        self.add_field("requirement", self.tr("要求"), self.requirement)
        self.add_field("due_at", self.tr("完成时限"), self.due_at)

    def perform(self) -> WorkNotice:
        s = self.sheet
        source = NoticeSource.TRANSFER if s is not None else NoticeSource(self.source.value())  # type: ignore[attr-defined]
        notice = WorkNotice(
            issued_on=self.issued_on.value(),  # type: ignore[arg-type]
            issuer=self.issuer.currentText().strip(),
            to_dept=self.to_dept.currentText(),
            content=self.content.toPlainText().strip(),
            source=source,
            receiver=self.receiver.currentText().strip(),
            transfer_id=s.id if s else None,
            transfer_no=s.no if s else "",
            requirement=self.requirement.toPlainText().strip(),
            due_at=self.due_at.value(),
        )
        return self.service.issue_notice(notice)  # type: ignore[no-any-return]


class NoticeStepDialog(RecordDialog):
    """A step on a 工作安排通知单: what was assigned, to whom, by when, on top."""

    def __init__(
        self,
        escalation: EscalationService,
        notice: WorkNotice,
        parent: QWidget | None = None,
        *,
        reference: ReferenceService | None = None,
    ) -> None:
        super().__init__(escalation, notice, parent, now=escalation.clock, reference=reference)

    @property
    def notice(self) -> WorkNotice:
        return self.record  # type: ignore[no-any-return]

    def title_text(self) -> str:
        return f"{self.step_title()} — {self.notice.no}"

    def step_title(self) -> str:
        raise NotImplementedError

    def summary(self) -> list[str]:
        n = self.notice
        due = f"{n.due_at:%Y-%m-%d %H:%M}" if n.due_at else "—"
        to = " ".join(filter(None, [n.to_dept, n.receiver]))
        return [
            fill(self.tr("<b>编号</b> %1　　<b>接收</b> %2　　<b>完成时限</b> %3"), n.no, to, due),
            fill(self.tr("<b>工作内容</b> %1"), shorten(n.content)),
            *([fill(self.tr("<b>要求</b> %1"), shorten(n.requirement))] if n.requirement else []),
        ]


class SignNoticeDialog(NoticeStepDialog):
    """接收人签收."""

    def step_title(self) -> str:
        return self.tr("签收通知单")

    def build(self) -> None:
        self.signed_by = self.staff(self.notice.signed_by or self.notice.receiver)
        self.signed_at = self.datetime_input()
        self.add_field("signed_by", self.tr("签收人"), self.signed_by, required=True)
        self.add_field("signed_at", self.tr("签收时间"), self.signed_at, required=True)

    def perform(self) -> WorkNotice:
        return self.service.sign_notice(  # type: ignore[no-any-return]
            self.notice.id or 0,
            signed_by=self.signed_by.currentText().strip(),
            at=self.signed_at.value(),
        )


class CompleteNoticeDialog(NoticeStepDialog):
    """完成情况, reported by the receiving department."""

    def step_title(self) -> str:
        return self.tr("登记完成情况")

    def build(self) -> None:
        self.outcome = text_box(4, self.notice.outcome)
        self.completed_at = self.datetime_input(value=self.notice.completed_at)
        self.add_field("outcome", self.tr("完成情况"), self.outcome, required=True)
        self.add_field("completed_at", self.tr("完成时间"), self.completed_at, required=True)

    def perform(self) -> WorkNotice:
        return self.service.complete_notice(  # type: ignore[no-any-return]
            self.notice.id or 0,
            outcome=self.outcome.toPlainText().strip(),
            at=self.completed_at.value(),
        )


class AcceptNoticeDialog(NoticeStepDialog):
    """验收 by the issuer: 验收意见, 验收人, 日期."""

    def step_title(self) -> str:
        return self.tr("验收")

    def build(self) -> None:
        self.acceptance = text_box(3, self.notice.acceptance)
        self.accepted_by = self.staff(self.notice.accepted_by or self.notice.issuer)
        self.accepted_on = self.date_input(self.notice.accepted_on)
        self.add_field("acceptance", self.tr("验收意见"), self.acceptance, required=True)
        self.add_field("accepted_by", self.tr("验收人"), self.accepted_by, required=True)
        self.add_field("accepted_on", self.tr("验收日期"), self.accepted_on, required=True)

    def perform(self) -> WorkNotice:
        return self.service.accept_notice(  # type: ignore[no-any-return]
            self.notice.id or 0,
            acceptance=self.acceptance.toPlainText().strip(),
            accepted_by=self.accepted_by.currentText().strip(),
            accepted_on=self.accepted_on.value(),
        )
