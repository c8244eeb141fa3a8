"""The detail view of a 工作传签单 or 工作安排通知单: every box of the paper form in its order,
as HTML for a QTextBrowser. Each level's box (意见/签名/日期) is shown; unused levels stay as
empty boxes, as on paper. A voided one says so on top: who voided it, when and why."""

from __future__ import annotations

import html
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication

from app.domain.escalation import LEVEL_ORDER, TransferSheet, WorkNotice
from app.domain.voiding import Voiding

CSS = (
    "<style>"
    "h3 { margin: 0 0 6px 0; }"
    "table { border-collapse: collapse; }"
    "td { border: 1px solid #c9ced6; padding: 4px 8px; vertical-align: top; }"
    "td.k { background: #f3f5f8; white-space: nowrap; width: 96px; }"
    "td.blank { color: #9aa0a6; }"
    ".void { color: #c62828; font-weight: bold; }"
    "</style>"
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("EscalationDetail", text)


def _v(value: object) -> str:
    """A value for a cell: escaped, line breaks kept, dates in the office's format."""
    if value is None or value == "":
        return "<span style='color:#9aa0a6'>—</span>"
    if isinstance(value, datetime):
        text = f"{value:%Y-%m-%d %H:%M}"
    elif isinstance(value, date):
        text = f"{value:%Y-%m-%d}"
    else:
        text = str(value)
    return html.escape(text).replace("\n", "<br>")


def _rows(pairs: list[tuple[str, object]]) -> str:
    return "".join(
        f"<tr><td class='k'>{html.escape(k)}</td><td>{_v(v)}</td></tr>" for k, v in pairs
    )


def sheet_html(s: TransferSheet) -> str:
    """工作传签单 as on paper: head, the level boxes lowest first, the result."""
    title = _tr("工作传签单") + f" {html.escape(s.no)}"
    state = _tr("已作废") if s.void else _tr("已办结") if not s.is_open else _tr("办理中")
    head = _rows(
        [
            (_tr("日期"), s.raised_on),
            (_tr("发起人"), " ".join(filter(None, [s.initiator, s.initiator_dept]))),
            (_tr("事由"), s.subject),
            (_tr("关联投诉"), s.complaint_no),
            (_tr("情况说明"), s.situation),
            (_tr("建议处理意见"), s.proposal),
        ]
    )
    signed = {lv.level: lv for lv in s.levels}
    boxes = ""
    for level in LEVEL_ORDER:
        lv = signed.get(level)
        if lv is None:
            boxes += (
                f"<tr><td class='k'>{html.escape(level.value)}</td>"
                f"<td class='blank'>{_tr('（未签）')}</td></tr>"
            )
            continue
        boxes += (
            f"<tr><td class='k'>{html.escape(level.value)}</td><td>{_v(lv.opinion)}"
            f"<br><span style='color:#555'>{_tr('签名')}：{_v(lv.signer)}　"
            f"{_tr('日期')}：{_v(lv.signed_on)}</span></td></tr>"
        )
    tail = _rows(
        [
            (_tr("确定责任部门"), s.responsible_dept),
            (_tr("通知单编号"), s.notice_no),
            (_tr("处理结果"), s.result),
            (_tr("答复顾客情况"), s.customer_reply),
            (_tr("完成日期"), s.completed_on),
            (_tr("经办人"), s.handled_by),
        ]
    )
    return (
        f"{CSS}{_void(s.void)}<h3>{title}　<small>{state}</small></h3>"
        f"<table width='100%'>{head}{boxes}{tail}</table>"
    )


def notice_html(n: WorkNotice) -> str:
    """工作安排通知单 as on paper."""
    source = n.source.value + (f" {n.transfer_no}" if n.transfer_no else "")
    signed = " ".join(
        filter(None, [n.signed_by, f"{n.signed_at:%Y-%m-%d %H:%M}" if n.signed_at else ""])
    )
    rows = _rows(
        [
            (_tr("签发日期"), n.issued_on),
            (_tr("签发人"), n.issuer),
            (_tr("接收部门"), n.to_dept),
            (_tr("接收人"), n.receiver),
            (_tr("来源"), source),
            (_tr("工作内容"), n.content),
            (_tr("要求"), n.requirement),
            (_tr("完成时限"), n.due_at),
            (_tr("接收人签收"), signed),
            (_tr("完成情况"), n.outcome),
            (_tr("完成时间"), n.completed_at),
            (_tr("验收意见"), n.acceptance),
            (_tr("验收人"), n.accepted_by),
            (_tr("验收日期"), n.accepted_on),
        ]
    )
    title = _tr("工作安排通知单") + f" {html.escape(n.no)}"
    return (
        f"{CSS}{_void(n.void)}<h3>{title}　<small>{notice_state(n)}</small></h3>"
        f"<table width='100%'>{rows}</table>"
    )


def _void(v: Voiding | None) -> str:
    """已作废 on top of the form: by whom, when and why."""
    if v is None:
        return ""
    head = _tr("已作废") + f"（{v.by or '—'} {v.at:%Y-%m-%d %H:%M}）"
    return (
        f"<p class='void'>{html.escape(head)}</p>"
        f"<table><tr><td class='k'>{_tr('作废原因')}</td><td>{_v(v.reason)}</td></tr></table><br>"
    )


def notice_state(n: WorkNotice) -> str:
    if n.void:
        return _tr("已作废")
    if n.accepted_on:
        return _tr("已验收")
    if n.completed_at:
        return _tr("已完成，待验收")
    if n.signed_by:
        return _tr("已签收")
    return _tr("待签收")
