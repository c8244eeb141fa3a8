"""The selected repair ticket: the report, 到场/完成/回访 limits and the 维修时限表 row that set
them, the not-at-home calls, materials and fees with the 合计, 验收, 回访 and the log."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.domain.repair import RepairTicket
from app.domain.repair_rules import RepairDeadlines, format_money, limit_for, timeliness
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
from ui.widgets.charge_lines import format_quantity


class RepairDetailPanel(RecordDetailPanel):
    """Read-only; the phone shows masked (138****5678) to a user without the right to see
    whole numbers (Session.show_phone)."""

    tr_context = "RepairDetailPanel"
    EMPTY_HINT = QT_TRANSLATE_NOOP("RepairDetailPanel", "在列表中选择一张维修单查看详情")
    OBJECT_NAME = "repairDetail"

    def __init__(self, repairs, repair_reference, parent=None) -> None:
        super().__init__(parent)
        self._repairs = repairs
        self._reference = repair_reference
        self.show_record(None)

    def record_html(self, t: RepairTicket) -> str:
        listed = self._repairs.rows([t.id]) if t.id is not None else []
        complaint_no = listed[0].complaint_no if listed else ""
        return "".join(
            [
                self._header(t),
                self._report(t, complaint_no),
                self._deadlines(t, self._repairs.deadlines(t)),
                self._work(t),
                self._charges(t),
                self._acceptance(t),
                section(self.tr("处理日志"), event_log(self._repairs.events(t.id or 0))),
            ]
        )

    def limit_rule(self, t: RepairTicket) -> str:
        """Which row of the 维修时限表 applies, and from when the clock runs."""
        try:
            limit = limit_for(self._reference.time_limits(), t.category, t.urgency)
        except ValueError as e:
            return str(e)
        text = (
            self.tr("维修时限表 %1/%2：到场%3、完成%4")
            .replace("%1", limit.category)
            .replace("%2", t.urgency.value)
            .replace("%3", self._hours(limit.arrive_hours))
            .replace("%4", self._hours(limit.complete_hours))
        )
        if limit.category != t.category.strip():
            text += self.tr("（未列出的类别按“其他”）")
        if t.appointment_at is not None and t.appointment_at > t.reported_at:
            text += self.tr("；按预约上门时间起算")
        return text

    def _hours(self, hours: float) -> str:
        if hours < 1:
            return self.tr("%1分钟").replace("%1", f"{hours * 60:g}")
        return self.tr("%1小时").replace("%1", f"{hours:g}")

    # ----- sections
    def _header(self, t: RepairTicket) -> str:
        flags = []
        if t.rework_of:
            flags.append(self.tr("返修"))
        if t.reopen_count:
            flags.append(self.tr("重开{n}次").format(n=t.reopen_count))
        mark = f' <span class="warn">{escape(" ".join(flags))}</span>' if flags else ""
        return f"<h3>{escape(t.no)} {escape(t.status.value)}{mark}</h3>"

    def _report(self, t: RepairTicket, complaint_no: str) -> str:
        tr = self.tr
        rework = self._repairs.get(t.rework_of).no if t.rework_of else ""
        return rows(
            [
                (tr("报修时间"), escape(when(t.reported_at))),
                (tr("报修人"), escape(t.reporter)),
                (tr("房号"), escape(t.room)),
                (tr("位置/设施"), escape(t.location)),
                (tr("联系电话"), escape(self._repairs.session.show_phone(t.phone))),
                (tr("报修方式"), escape(t.channel.value)),
                (tr("类别"), escape(t.category)),
                (tr("紧急程度"), escape(t.urgency.value)),
                (tr("故障描述"), multiline(t.description)),
                (tr("预约上门"), escape(when(t.appointment_at))),
                (tr("关联投诉"), escape(complaint_no)),
                (tr("返修原单"), escape(rework)),
            ]
        )

    def _deadlines(self, t: RepairTicket, d: RepairDeadlines) -> str:
        # a voided ticket is out of the office's work: its open limits no longer run
        now = t.void.at if t.void else self._repairs.now()
        arrive_late, complete_late = timeliness(t, d, now)
        pairs = [
            (
                self.tr("到场期限"),
                self._due(d.arrive_due, t.arrived_at, arrive_late, self.tr("到场")),
            ),
            (
                self.tr("完成期限"),
                self._due(d.complete_due, t.completed_at, complete_late, self.tr("完成")),
            ),
        ]
        if d.visit_due is not None:
            visited = t.visit.at if t.visit else None
            late = (visited or now) > d.visit_due
            pairs.append(
                (self.tr("回访期限"), self._due(d.visit_due, visited, late, self.tr("回访")))
            )
        rule = f'<span class="muted">{escape(self.limit_rule(t))}</span>'
        pairs.append(("", rule))
        if d.estimated:
            warning = self.tr("节假日安排未公布：回访期限按周一至周五估算")
            pairs.append(("", f'<span class="warn">{escape(warning)}</span>'))
        return section(self.tr("时限"), rows(pairs))

    def _due(self, due, done, late: bool | None, what: str) -> str:
        """The limit; once met, when and whether in time; red when missed."""
        text = escape(f"{due:{TIME}}")
        if done is not None:
            verdict = self.tr("超时") if late else self.tr("按时")
            done_text = (
                self.tr("，%1 %2（%3）")
                .replace("%1", when(done))
                .replace("%2", what)
                .replace("%3", verdict)
            )
            text += escape(done_text)
            return f'<span class="late">{text}</span>' if late else text
        if late:
            return f'<span class="late">{text} {escape(self.tr("已超时"))}</span>'
        return text

    def _work(self, t: RepairTicket) -> str:
        tr = self.tr
        calls = [
            f"{when(v.at)} {v.action.value}"
            + (f"，改约 {when(v.new_appointment)}" if v.new_appointment else "")
            + (f"：{v.note}" if v.note else "")
            for v in t.not_home
        ]
        pairs = [
            (tr("维修人员"), escape(t.repairer)),
            (tr("派工时间"), escape(when(t.dispatched_at))),
            (tr("业主不在家"), lines(calls)),
            (tr("到场时间"), escape(when(t.arrived_at))),
            (tr("完成时间"), escape(when(t.completed_at))),
            (tr("维修结果"), multiline(t.result)),
        ]
        body = rows(pairs)
        return section(tr("派工与维修"), body) if t.repairer else ""

    def _charges(self, t: RepairTicket) -> str:
        if not t.charges:
            return ""
        tr = self.tr
        head = "".join(
            f"<th>{escape(h)}</th>" for h in (tr("项目"), tr("数量"), tr("单价"), tr("金额"))
        )
        cells = (
            (
                escape(line.item),
                escape(format_quantity(line.quantity) + line.unit),
                format_money(line.unit_price_fen),
                format_money(line.total_fen),
            )
            for line in t.charges
        )
        body = "".join(
            "<tr><td>{}</td>{}</tr>".format(a, "".join(f"<td class='n'>{v}</td>" for v in rest))
            for a, *rest in cells
        )
        gross = sum(line.total_fen for line in t.charges)
        total = tr("合计 %1 元").replace("%1", format_money(t.total_fen))
        if not t.chargeable:
            free = tr("（无偿维修：材料人工计 %1 元，不向业主收取）")
            total += free.replace("%1", format_money(gross))
        table = f"<table><tr>{head}</tr>{body}</table><b>{escape(total)}</b>"
        return section(tr("材料及费用"), table)

    def _acceptance(self, t: RepairTicket) -> str:
        tr = self.tr
        parts = []
        if t.acceptance is not None:
            a = t.acceptance
            text = f"{when(a.at)} {a.result.value}"
            text += tr("，业主已在纸质单上签名") if a.signed_on_paper else tr("，未签名")
            text += f"：{a.remarks}" if a.remarks else ""
            parts.append(section(tr("验收"), escape(text)))
        visits = [*t.past_visits, *([t.visit] if t.visit else [])]
        if visits:
            texts = [
                f"{when(v.at)} {v.visitor}：{v.result.value}"
                + (f"，{v.remarks}" if v.remarks else "")
                for v in visits
            ]
            parts.append(section(tr("回访"), lines(texts)))
        return "".join(parts)
