"""顾客投诉处理记录表: the complaint handling record, printed filled in or blank for the desk.

投诉方式 shows the paper form's six ways (来电/来访/书面/意见箱/上级转来/其他); a complaint that
came through the media or the government ticks 其他 with "媒体转来"/"政府转来" written in, so the
register's value is on the paper without adding boxes the office's form does not have.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from app.domain.complaint import (
    VISIT_METHODS,
    Attribution,
    Channel,
    Complaint,
    Opinion,
    ReplyMethod,
    ReturnVisit,
    Severity,
    Urgency,
    Validity,
)
from app.forms.toolkit import (
    Block,
    Choice,
    DateSlot,
    Field,
    FormHeader,
    Row,
    Section,
    Signature,
    Value,
    format_when,
    render_form,
)

TITLE = "顾客投诉处理记录表"
CHANNELS_ON_FORM = (Channel.PHONE, Channel.VISIT, Channel.WRITTEN, Channel.BOX, Channel.FORWARDED)
OTHER = "其他"


def render_complaint_record(
    complaint: Complaint | None,
    header: FormHeader,
    *,
    deadline_text: str = "",
    transfer_nos: Sequence[str] = (),
) -> bytes:
    """The record as a PDF; None gives a blank form (every box empty, nothing ticked)."""
    blank = complaint is None
    c = complaint or Complaint(received_at=datetime.min, content="", urgency=Urgency.URGENT)
    blocks: list[Block] = [
        _intake(c, blank, deadline_text),
        _handling(c),
        Section(
            "答复顾客",
            Row(
                Field("答复方式", _pick(list(ReplyMethod), c.reply_method)),
                Field("答复时间", DateSlot(c.replied_at, time=True)),
            ),
            Row(Field("答复内容", c.reply_content), lines=2),
        ),
        _return_visit(c),
        Row(Field("部门负责人\n审核", "", sign=Signature(c.reviewed_by, c.reviewed_at))),
        Row(Field("关联工作传签单\n编号", "、".join(transfer_nos))),
    ]
    return render_form(TITLE, c.no, header, blocks)


def _pick(options: Sequence[str], chosen: str | None) -> Choice:
    return Choice(options, () if chosen is None else (chosen,))


def _channel(c: Complaint, blank: bool) -> Choice:
    """The paper form's six ways; media and government complaints tick 其他 with the way."""
    options = [*CHANNELS_ON_FORM, OTHER]
    if blank:
        return Choice(options, (), {OTHER: ""})
    if c.channel in CHANNELS_ON_FORM:
        return Choice(options, (c.channel,), {OTHER: ""})
    written = "" if c.channel == Channel.OTHER else c.channel.value
    return Choice(options, (OTHER,), {OTHER: written})


def _intake(c: Complaint, blank: bool, deadline_text: str) -> Section:
    return Section(
        "投诉登记",
        Row(
            Field("登记时间", DateSlot(None if blank else c.received_at, time=True), weight=1.3),
            Field("接待人", c.receiver, weight=0.85),
            Field("投诉类别", c.category, weight=0.85),
        ),
        Row(Field("投诉人", c.complainant), Field("房号", c.room), Field("联系电话", c.phone)),
        Row(Field("投诉方式", _channel(c, blank))),
        Row(Field("投诉内容", c.content), lines=6),
        Row(
            Field("顾客要求", c.request, weight=1.6),
            Field("要求答复时间", DateSlot(c.requested_reply_at, time=True)),
            lines=2,
        ),
        Row(Field("即时答复", c.immediate_reply), lines=2),
        Row(
            Field("严重程度", _pick(list(Severity), None if blank else c.severity)),
            Field("紧急程度", _pick(list(Urgency), None if blank else c.urgency)),
            Field("答复期限", deadline_text),
        ),
    )


def _handling(c: Complaint) -> Section:
    result = c.follow_up_result
    if c.follow_up_closed_at is not None:
        result += f"（{format_when(c.follow_up_closed_at, time=True)}）"
    return Section(
        "处理情况",
        Row(
            Field("投诉性质", _pick(list(Validity), c.validity), weight=0.9),
            Field("原因归属", _pick(list(Attribution), c.attribution), weight=1.9),
        ),
        Row(Field("跟进对象", c.follow_up_party), Field("跟进结果", result, weight=2)),
        Row(Field("原因分析", c.cause_analysis), lines=2),
        Row(Field("处理措施", c.measures), lines=3),
        Row(
            Field("责任部门", c.responsible_dept, weight=0.9),
            Field("投诉处理人", c.handler, weight=0.9),
            Field("完成时间", DateSlot(c.completed_at, time=True), weight=1.3),
        ),
    )


def _visit_method(method: str | None) -> Choice:
    """回访方式 from the usual list; anything else ticks 其他 with the way written in."""
    options = list(VISIT_METHODS)
    if method is None:
        return Choice(options, (), {OTHER: ""})
    if method in options and method != OTHER:
        return Choice(options, (method,), {OTHER: ""})
    return Choice(options, (OTHER,), {OTHER: "" if method == OTHER else method})


def _return_visit(c: Complaint) -> Section:
    v = c.visit
    opinion: Value = (_pick(list(Opinion), v.opinion if v else None), "\n", v.remarks if v else "")
    rows = [
        Row(
            Field("回访时间", DateSlot(v.visited_at if v else None, time=True), weight=1.2),
            Field("回访人", v.visitor if v else "", weight=0.8),
            Field("回访方式", _visit_method(v.method if v else None), weight=1.5),
        ),
        Row(Field("投诉人意见", opinion), lines=3),
    ]
    if c.past_visits or c.reopen_count:
        rows.append(Row(Field("历次回访", _past_visits(c.past_visits, c.reopen_count))))
    return Section("回访", *rows)


def _past_visits(visits: Sequence[ReturnVisit], reopen_count: int) -> str:
    lines = [
        f"第{i}次　{format_when(v.visited_at, time=True)}　{v.visitor}　{v.method}　"
        f"{v.opinion.value}{'：' + v.remarks if v.remarks else ''}"
        for i, v in enumerate(visits, start=1)
    ]
    if reopen_count:
        lines.append(f"（投诉人不满意，已重新处理 {reopen_count} 次）")
    return "\n".join(lines)
