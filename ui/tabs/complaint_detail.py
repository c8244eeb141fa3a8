"""The selected complaint's record: key fields, 答复期限 and its rule, 回访, 传签单, 处理日志."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from app.domain.complaint import Complaint
from app.domain.deadline import is_overdue

TIME = "%Y-%m-%d %H:%M"
CSS = """
h3 { margin: 0 0 4px 0; }
h4 { margin: 10px 0 2px 0; color: #35506b; }
td { padding: 1px 6px 1px 0; vertical-align: top; }
td.k { color: #5f6b77; white-space: nowrap; }
.warn { color: #b45f06; }
.late { color: #c62828; font-weight: bold; }
.muted { color: #7a848e; }
"""


def _t(value: datetime | None) -> str:
    return f"{value:{TIME}}" if value else ""


def _rows(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(f'<tr><td class="k">{escape(k)}</td><td>{v}</td></tr>' for k, v in pairs if v)
    return f"<table>{cells}</table>"


class ComplaintDetailPanel(QWidget):
    """Read-only; `show_complaint(None)` clears it."""

    def __init__(self, complaints, escalation, parent=None) -> None:
        super().__init__(parent)
        self._complaints = complaints
        self._escalation = escalation
        self.complaint: Complaint | None = None
        self.browser = QTextBrowser(objectName="complaintDetail", openLinks=False)
        self.browser.document().setDefaultStyleSheet(CSS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.show_complaint(None)

    def text(self) -> str:
        """What the panel shows, as plain text."""
        return self.browser.toPlainText()

    def show_complaint(self, c: Complaint | None) -> None:
        self.complaint = c
        if c is None:
            self.browser.setHtml(
                f'<p class="muted">{escape(self.tr("在列表中选择一条投诉查看详情"))}</p>'
            )
            return
        parts = [
            self._header(c),
            self._intake(c),
            self._deadline(c),
            self._handling(c),
            self._visits(c),
            self._sheets(c),
            self._events(c),
        ]
        self.browser.setHtml("".join(parts))

    # ----- sections
    def _header(self, c: Complaint) -> str:
        return f"<h3>{escape(c.no)} {escape(c.status.value)}</h3>"

    def _intake(self, c: Complaint) -> str:
        tr = self.tr
        return _rows(
            [
                (tr("登记时间"), escape(_t(c.received_at))),
                (tr("投诉人"), escape(c.complainant)),
                (tr("房号"), escape(c.room)),
                (tr("联系电话"), escape(c.phone)),
                (tr("投诉方式"), escape(c.channel.value)),
                (tr("类别"), escape(c.category)),
                (tr("程度"), escape(f"{c.severity.value}、{c.urgency.value}")),
                (tr("接待人"), escape(c.receiver)),
                (tr("投诉内容"), escape(c.content).replace("\n", "<br>")),
                (tr("顾客要求"), escape(c.request)),
                (tr("要求答复"), escape(_t(c.requested_reply_at))),
                (tr("即时答复"), escape(c.immediate_reply)),
            ]
        )

    def _deadline(self, c: Complaint) -> str:
        due = self._complaints.deadline(c)
        text = escape(f"{due.due_at:{TIME}}（{due.rule}）")
        if is_overdue(due.due_at, c.replied_at, self._complaints.now()):
            text = f'<span class="late">{text} {escape(self.tr("已超期"))}</span>'
        if due.estimated:
            text += '<br><span class="warn">{}</span>'.format(
                escape(self.tr("节假日安排未公布：按周一至周五估算，请在基础资料中补充节假日调整"))
            )
        return f"<h4>{escape(self.tr('答复期限'))}</h4>{_rows([('', text)])}"

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
            reply = f"{_t(c.replied_at)} {method}：{c.reply_content}"
        review = f"{c.reviewed_by} {_t(c.reviewed_at)}" if c.reviewed_by else ""
        pairs = [
            (tr("投诉性质"), validity),
            (tr("处理人"), c.handler),
            (tr("跟进结果"), c.follow_up_result),
            (tr("原因分析"), c.cause_analysis),
            (tr("处理措施"), c.measures),
            (tr("责任部门"), c.responsible_dept),
            (tr("完成时间"), _t(c.completed_at)),
            (tr("答复"), reply),
            (tr("部门审核"), review),
        ]
        body = _rows([(k, escape(v).replace("\n", "<br>")) for k, v in pairs])
        return f"<h4>{escape(tr('判定与处理'))}</h4>{body}"

    def _visits(self, c: Complaint) -> str:
        visits = [*c.past_visits, *([c.visit] if c.visit else [])]
        if not visits:
            return ""
        lines = [
            escape(
                f"{_t(v.visited_at)} {v.visitor}（{v.method}）：{v.opinion.value}"
                + (f"，{v.remarks}" if v.remarks else "")
            )
            for v in visits
        ]
        return f"<h4>{escape(self.tr('回访记录'))}</h4>" + "<br>".join(lines)

    def _sheets(self, c: Complaint) -> str:
        sheets = self._escalation.sheets_for_complaint(c.id or 0)
        if not sheets:
            return ""
        lines = []
        for s in sheets:
            state = (
                self.tr("办结")
                if not s.is_open
                else (s.levels[-1].level.value if s.levels else self.tr("待签署"))
            )
            lines.append(escape(f"{s.no} {s.raised_on:%Y-%m-%d} {s.subject}（{state}）"))
        return f"<h4>{escape(self.tr('工作传签单'))}</h4>" + "<br>".join(lines)

    def _events(self, c: Complaint) -> str:
        events = self._complaints.events(c.id or 0)
        lines = [
            "{} <b>{}</b> {} {}".format(
                escape(str(e["at"])[:16].replace("T", " ")),
                escape(e["action"]),
                escape(e["actor"] or ""),
                escape(e["detail"] or ""),
            )
            for e in events
        ]
        return f"<h4>{escape(self.tr('处理日志'))}</h4>" + "<br>".join(lines)
