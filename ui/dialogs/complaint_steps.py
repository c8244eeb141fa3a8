"""One small dialog per step of a complaint's life (§7.2): 判定, 跟进结果, 处理, 答复, 回访, 审核.

Each shows the complaint it is about at the top, performs its one ``ComplaintService`` call on
保存, shows field errors at the fields and a ``WorkflowError`` in a message box. The rules
(what status follows, what is required) are the core's; these only collect what was typed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.complaint import (
    VISIT_METHODS,
    Attribution,
    Complaint,
    Opinion,
    ReplyMethod,
    ReturnVisit,
    Validity,
)
from ui.dialogs.form_dialog import RecordDialog
from ui.dialogs.form_parts import NOTE_STYLE, ChoiceGroup, combo, fill, note, shorten, text_box

if TYPE_CHECKING:
    from app.services.complaints import ComplaintService
    from app.services.reference import ReferenceService


class StepDialog(RecordDialog):
    """The shared shape: summary of the complaint, fields, one service call on 保存."""

    def __init__(
        self,
        complaints: ComplaintService,
        complaint: Complaint,
        parent: QWidget | None = None,
        *,
        reference: ReferenceService | None = None,
    ) -> None:
        super().__init__(complaints, complaint, parent, now=complaints.now, reference=reference)

    @property
    def complaints(self) -> ComplaintService:
        return self.service  # type: ignore[no-any-return]

    @property
    def complaint(self) -> Complaint:
        return self.record  # type: ignore[no-any-return]

    @property
    def saved_complaint(self) -> Complaint | None:
        return self.saved  # type: ignore[no-any-return]

    def title_text(self) -> str:
        return f"{self.step_title()} — {self.complaint.no}"

    def step_title(self) -> str:
        raise NotImplementedError

    def summary(self) -> list[str]:
        c = self.complaint
        who = "　".join(filter(None, [c.complainant, c.room]))
        return [
            fill(
                self.tr("<b>编号</b> %1　　<b>投诉人</b> %2　　<b>状态</b> %3"),
                c.no,
                who or "—",
                c.status.value,
            ),
            fill(self.tr("<b>投诉内容</b> %1"), shorten(c.content)),
        ]


class _WithReference(StepDialog):
    """Steps that offer staff names or departments: ``(complaints, reference, complaint)``."""

    def __init__(
        self,
        complaints: ComplaintService,
        reference: ReferenceService,
        complaint: Complaint,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(complaints, complaint, parent, reference=reference)


class JudgeDialog(_WithReference):
    """投诉性质判定: 有效/无效; a complaint not against the company gets 原因归属 + 跟进对象."""

    def step_title(self) -> str:
        return self.tr("判定投诉性质")

    def build(self) -> None:
        c = self.complaint
        self.validity = ChoiceGroup(
            [v.value for v in Validity], c.validity.value if c.validity else ""
        )
        self.attribution = combo(
            [a.value for a in Attribution], c.attribution.value if c.attribution else "", blank=True
        )
        self.follow_up_party = QLineEdit(c.follow_up_party)
        self.follow_up_party.setPlaceholderText(self.tr("如：XX地产客服部、供电局"))
        self.handler = self.staff(c.handler)
        self.add_field("validity", self.tr("投诉性质"), self.validity, required=True)
        self.add_field("attribution", self.tr("原因归属"), self.attribution)
        self.add_field("follow_up_party", self.tr("跟进对象"), self.follow_up_party)
        self.add_wide(
            note(
                self.tr(
                    "无效投诉须在1个工作日内向投诉人说明原因。发展商、外部环境或"
                    "非管辖公共配套造成的，选原因归属并填写跟进对象，投诉转为"
                    "“跟进中”。"
                )
            )
        )
        self.add_field("handler", self.tr("投诉处理人"), self.handler, required=True)
        self.validity.group.buttonToggled.connect(self._enable)
        self.attribution.currentTextChanged.connect(self._enable)
        self._enable()

    def _enable(self, *_args: object) -> None:
        invalid = self.validity.value() == Validity.INVALID
        self.attribution.setEnabled(invalid)
        self.follow_up_party.setEnabled(invalid and bool(self.attribution.currentText()))

    def perform(self) -> Complaint:
        validity = Validity(self.chosen("validity", self.validity, self.tr("请选择有效或无效")))
        invalid = validity == Validity.INVALID
        attribution = self.attribution.currentText() if invalid else ""
        return self.complaints.judge(
            self.complaint.id or 0,
            validity,
            handler=self.handler.currentText().strip(),
            attribution=Attribution(attribution) if attribution else None,
            follow_up_party=self.follow_up_party.text().strip() if attribution else "",
        )


class FollowUpDialog(StepDialog):
    """跟进结果 from the developer or the authority the complaint was forwarded to."""

    def step_title(self) -> str:
        return self.tr("登记跟进结果")

    def summary(self) -> list[str]:
        c = self.complaint
        return [
            *super().summary(),
            fill(
                self.tr("<b>跟进对象</b> %1（%2）"),
                c.follow_up_party or "—",
                c.attribution.value if c.attribution else "",
            ),
        ]

    def build(self) -> None:
        self.result_text = text_box(4, self.complaint.follow_up_result)
        self.at = self.datetime_input()
        self.add_field("follow_up_result", self.tr("跟进结果"), self.result_text, required=True)
        self.add_field("follow_up_closed_at", self.tr("时间"), self.at, required=True)

    def perform(self) -> Complaint:
        at = self.at.value()
        assert at is not None
        return self.complaints.record_follow_up_result(
            self.complaint.id or 0, self.result_text.toPlainText().strip(), at
        )


class HandlingDialog(_WithReference):
    """原因分析, 处理措施, 责任部门, 完成时间 (§7.2.6-7).

    `repair_offer` is a completed linked repair's (result, completion time): offered as the
    handling result when the complaint has none yet; the handler may change it.
    """

    def __init__(
        self,
        complaints: ComplaintService,
        reference: ReferenceService,
        complaint: Complaint,
        parent: QWidget | None = None,
        *,
        repair_offer: tuple[str, datetime] | None = None,
    ) -> None:
        self.repair_offer = repair_offer
        super().__init__(complaints, reference, complaint, parent)

    def step_title(self) -> str:
        return self.tr("登记处理情况")

    def build(self) -> None:
        c = self.complaint
        measures, completed_at = c.measures, c.completed_at
        if self.repair_offer is not None and not measures.strip():
            measures, offered_at = self.repair_offer
            completed_at = completed_at or offered_at
        self.cause = text_box(3, c.cause_analysis)
        self.measures = text_box(4, measures)
        if measures != c.measures:
            self.measures.setToolTip(self.tr("已按关联维修单的完工情况填写，可修改"))
        self.dept = self.department(c.responsible_dept)
        self.completed_at = self.datetime_input(optional=True, value=completed_at)
        self.completed_at.setPlaceholderText(self.tr("未完成可不填"))
        self.add_field("cause_analysis", self.tr("原因分析"), self.cause)
        self.add_field("measures", self.tr("处理措施"), self.measures, required=True)
        self.add_field("responsible_dept", self.tr("责任部门"), self.dept)
        self.add_field("completed_at", self.tr("完成时间"), self.completed_at)

    def perform(self) -> Complaint:
        return self.complaints.record_handling(
            self.complaint.id or 0,
            cause_analysis=self.cause.toPlainText().strip(),
            measures=self.measures.toPlainText().strip(),
            responsible_dept=self.dept.currentText(),
            completed_at=self.completed_at.value(),
        )


class ReplyDialog(StepDialog):
    """答复顾客: 方式 (口头/书面), 时间, 内容."""

    def step_title(self) -> str:
        return self.tr("答复顾客")

    def build(self) -> None:
        c = self.complaint
        self.method = ChoiceGroup(
            [m.value for m in ReplyMethod], (c.reply_method or ReplyMethod.ORAL).value
        )
        self.at = self.datetime_input()
        self.content = text_box(4)
        self.add_field("reply_method", self.tr("答复方式"), self.method, required=True)
        self.add_field("replied_at", self.tr("答复时间"), self.at, required=True)
        self.add_field("reply_content", self.tr("答复内容"), self.content, required=True)

    def perform(self) -> Complaint:
        method = ReplyMethod(self.chosen("reply_method", self.method, self.tr("请选择答复方式")))
        at = self.at.value()
        assert at is not None
        return self.complaints.reply(
            self.complaint.id or 0, at=at, method=method, content=self.content.toPlainText().strip()
        )


class ReturnVisitDialog(_WithReference):
    """回访 (§7.2.10): the complainant's opinion; 不满意 sends the complaint back to handling."""

    def step_title(self) -> str:
        return self.tr("回访")

    def build(self) -> None:
        c = self.complaint
        self.at = self.datetime_input()
        self.visitor = self.staff(c.handler)
        self.method = combo(VISIT_METHODS)
        self.opinion = ChoiceGroup([o.value for o in Opinion])
        self.remarks = text_box(3)
        self.remarks.setPlaceholderText(self.tr("投诉人的原话或意见"))
        self.reopen_note = note(
            self.tr("选“不满意”时，投诉将重新回到“处理中”：需要再次处理、答复并回访。")
        )
        self.add_field("visited_at", self.tr("回访时间"), self.at, required=True)
        self.add_field("visitor", self.tr("回访人"), self.visitor, required=True)
        self.add_field("method", self.tr("回访方式"), self.method)
        self.add_field("opinion", self.tr("投诉人意见"), self.opinion, required=True)
        self.add_field("remarks", self.tr("意见内容"), self.remarks)
        self.add_wide(self.reopen_note)
        self.opinion.group.buttonToggled.connect(self._warn)

    def _warn(self, *_args: object) -> None:
        reopen = self.opinion.value() == Opinion.UNSATISFIED
        self.reopen_note.setStyleSheet(
            "QLabel { color: #c62828; font-weight: bold; }" if reopen else NOTE_STYLE
        )
        self.save_button.setText(
            self.tr("保存并重新处理（Ctrl+Enter）") if reopen else self.tr("保存（Ctrl+Enter）")
        )

    def perform(self) -> Complaint:
        opinion = Opinion(self.chosen("opinion", self.opinion, self.tr("请选择投诉人意见")))
        at = self.at.value()
        assert at is not None
        visit = ReturnVisit(
            visited_at=at,
            visitor=self.visitor.currentText().strip(),
            method=self.method.currentText(),
            opinion=opinion,
            remarks=self.remarks.toPlainText().strip(),
        )
        return self.complaints.return_visit(self.complaint.id or 0, visit)


class ReviewDialog(_WithReference):
    """部门负责人审核: the department head signs the record (dated today)."""

    def step_title(self) -> str:
        return self.tr("部门负责人审核")

    def build(self) -> None:
        c = self.complaint
        self.reviewer = self.staff(c.reviewed_by)
        self.add_field("reviewed_by", self.tr("审核人"), self.reviewer, required=True)
        when = self.complaints.now()
        text = self.tr("审核日期：%1（保存时记录）").replace("%1", f"{when:%Y-%m-%d}")
        if c.reviewed_by and c.reviewed_at:
            text += (
                self.tr("。此前已由 %1 于 %2 审核。")
                .replace("%1", c.reviewed_by)
                .replace("%2", f"{c.reviewed_at:%Y-%m-%d}")
            )
        self.add_wide(note(text))

    def perform(self) -> Complaint:
        return self.complaints.review(
            self.complaint.id or 0, reviewer=self.reviewer.currentText().strip()
        )
