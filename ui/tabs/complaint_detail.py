"""The selected complaint's record: key fields, 答复期限 and its rule, 回访, 传签单, 处理日志,
and the repair tickets made from it (转维修)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.domain.complaint import Complaint
from app.domain.deadline import is_overdue
from ui.tabs.record_detail import (
    TIME,
    RecordDetailPanel,
    event_log,
    lines,
    multiline,
    rows,
    section,
    when,
)


class ComplaintDetailPanel(RecordDetailPanel):
    """Read-only; `show_complaint(None)` clears it. The phone shows masked (138****5678) to a
    user without the right to see whole numbers (Session.show_phone)."""

    tr_context = "ComplaintDetailPanel"
    EMPTY_HINT = QT_TRANSLATE_NOOP("ComplaintDetailPanel", "在列表中选择一条投诉查看详情")
    OBJECT_NAME = "complaintDetail"

    def __init__(self, complaints, escalation, parent=None, *, repairs=None) -> None:
        super().__init__(parent)
        self._complaints = complaints
        self._escalation = escalation
        self._repairs = repairs
        self.show_record(None)

    @property
    def complaint(self) -> Complaint | None:
        return self.record  # type: ignore[no-any-return]

    def show_complaint(self, c: Complaint | None) -> None:
        self.show_record(c)

    def record_html(self, c: Complaint) -> str:
        parts = [
            self._header(c),
            self._intake(c),
            self._deadline(c),
            self._handling(c),
            self._visits(c),
            self._sheets(c),
            self._repair_tickets(c),
            section(self.tr("处理日志"), event_log(self._complaints.events(c.id or 0))),
        ]
        return "".join(parts)

    # ----- sections
    def _header(self, c: Complaint) -> str:
        return f"<h3>{escape(c.no)} {escape(c.status.value)}</h3>"

    def _intake(self, c: Complaint) -> str:
        tr = self.tr
        return rows(
            [
                (tr("登记时间"), escape(when(c.received_at))),
                (tr("投诉人"), escape(c.complainant)),
                (tr("房号"), escape(c.room)),
                (tr("联系电话"), escape(self._complaints.session.show_phone(c.phone))),
                (tr("投诉方式"), escape(c.channel.value)),
                (tr("类别"), escape(c.category)),
                (tr("程度"), escape(f"{c.severity.value}、{c.urgency.value}")),
                (tr("接待人"), escape(c.receiver)),
                (tr("投诉内容"), multiline(c.content)),
                (tr("顾客要求"), escape(c.request)),
                (tr("要求答复"), escape(when(c.requested_reply_at))),
                (tr("即时答复"), escape(c.immediate_reply)),
            ]
        )

    def _deadline(self, c: Complaint) -> str:
        due = self._complaints.deadline(c)
        text = escape(f"{due.due_at:{TIME}}（{due.rule}）")
        # a voided complaint is out of the office's work: its open deadline no longer runs
        now = c.void.at if c.void else self._complaints.now()
        if is_overdue(due.due_at, c.replied_at, now):
            text = f'<span class="late">{text} {escape(self.tr("已超期"))}</span>'
        if due.estimated:
            text += '<br><span class="warn">{}</span>'.format(
                escape(self.tr("节假日安排未公布：按周一至周五估算，请在基础资料中补充节假日调整"))
            )
        return section(self.tr("答复期限"), rows([("", text)]))

    def _handling(self, c: Complaint) -> str:
        tr = self.tr
        validity = c.validity.value if c.validity else tr("未判定")
        if c.attribution:
            validity += tr("（{attribution}，跟进对象：{party}）").format(
                attribution=c.attribution.value, party=c.follow_up_party
            )
        reply = ""
        if c.replied_at:
            method = c.reply_method.value if c.reply_method else ""
            reply = f"{when(c.replied_at)} {method}：{c.reply_content}"
        review = f"{c.reviewed_by} {when(c.reviewed_at)}" if c.reviewed_by else ""
        pairs = [
            (tr("投诉性质"), validity),
            (tr("处理人"), c.handler),
            (tr("跟进结果"), c.follow_up_result),
            (tr("原因分析"), c.cause_analysis),
            (tr("处理措施"), c.measures),
            (tr("责任部门"), c.responsible_dept),
            (tr("完成时间"), when(c.completed_at)),
            (tr("答复"), reply),
            (tr("部门审核"), review),
        ]
        return section(tr("判定与处理"), rows([(k, multiline(v)) for k, v in pairs]))

    def _visits(self, c: Complaint) -> str:
        visits = [*c.past_visits, *([c.visit] if c.visit else [])]
        if not visits:
            return ""
        texts = [
            f"{when(v.visited_at)} {v.visitor}（{v.method}）：{v.opinion.value}"
            + (f"，{v.remarks}" if v.remarks else "")
            for v in visits
        ]
        return section(self.tr("回访记录"), lines(texts))

    def _sheets(self, c: Complaint) -> str:
        sheets = self._escalation.sheets_for_complaint(c.id or 0)
        if not sheets:
            return ""
        texts = []
        for s in sheets:
            if s.void is not None:
                state = self.tr("已作废")
            elif not s.is_open:
                state = self.tr("办结")
            else:
                state = s.levels[-1].level.value if s.levels else self.tr("待签署")
            texts.append(f"{s.no} {s.raised_on:%Y-%m-%d} {s.subject}（{state}）")
        return section(self.tr("工作传签单"), lines(texts))

    def _repair_tickets(self, c: Complaint) -> str:
        """转维修: each ticket made from this complaint and how far it has got."""
        tickets = self._repairs.tickets_for_complaint(c.id or 0) if self._repairs else []
        if not tickets:
            return ""
        texts = [
            f"{t.no} {t.status_text}"
            + (f"（{t.repairer}）" if t.repairer else "")
            + (f" {self.tr('完成')} {when(t.completed_at)}" if t.completed_at else "")
            for t in tickets
        ]
        return section(self.tr("维修单"), lines(texts))
