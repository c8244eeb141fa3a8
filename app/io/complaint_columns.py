"""The complaint register's file columns (import/export), in the issue's order.

`parse_row` turns one file row into a Complaint or a list of (column, message) problems;
`export_values` turns a Complaint into one exported row, computed columns at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from app.domain.complaint import (
    Attribution,
    Channel,
    Complaint,
    Opinion,
    ReturnVisit,
    Severity,
    Status,
    Urgency,
    Validity,
)
from app.domain.complaint_workflow import derive_status
from app.domain.normalize import normalize_room
from app.io.row_reader import Cell, Problem, RowReader

COLUMNS = (
    "编号",
    "登记时间",
    "接待人",
    "投诉人",
    "房号",
    "联系电话",
    "投诉方式",
    "投诉内容",
    "投诉类别",
    "顾客要求",
    "要求答复时间",
    "严重程度",
    "紧急程度",
    "投诉性质",
    "原因归属",
    "责任部门",
    "投诉处理人",
    "处理措施",
    "完成时间",
    "答复时间",
    "答复内容",
    "回访时间",
    "回访人",
    "投诉人意见",
    "状态",
)
COMPUTED_COLUMNS = ("答复期限", "是否按时答复")
REQUIRED = ("登记时间", "投诉内容", "紧急程度")
WHO = ("投诉人", "房号")  # at least one of these columns, and in each row at least one value


def parse_row(cell: Cell, categories: Sequence[str]) -> tuple[Complaint | None, list[Problem]]:
    """One file row → a Complaint, or the problems found in it (all of them)."""
    r = RowReader(cell)
    for column in REQUIRED:
        r.need(column)
    received_at = r.when("登记时间")
    content = r.text("投诉内容")
    urgency = r.choice("紧急程度", Urgency)
    complainant, room = r.text("投诉人"), normalize_room(r.text("房号"))
    if not complainant and not room:
        r.problems.append(("投诉人", "投诉人和房号至少填写一项"))
    phone = r.phone("联系电话")
    category = r.listed("投诉类别", categories, "投诉类别表")
    visit = _visit(r)
    status = r.choice("状态", Status)
    fields = dict(
        no=r.text("编号"),
        receiver=r.text("接待人"),
        complainant=complainant,
        room=room,
        phone=phone,
        channel=r.choice("投诉方式", Channel, Channel.PHONE),
        content=content,
        category=category,
        request=r.text("顾客要求"),
        requested_reply_at=r.when("要求答复时间"),
        severity=r.choice("严重程度", Severity, Severity.NOT_SERIOUS),
        validity=r.choice("投诉性质", Validity),
        attribution=r.choice("原因归属", Attribution),
        responsible_dept=r.text("责任部门"),
        handler=r.text("投诉处理人"),
        measures=r.text("处理措施"),
        completed_at=r.when("完成时间"),
        replied_at=r.when("答复时间"),
        reply_content=r.text("答复内容"),
        visit=visit,
    )
    if r.problems or received_at is None or urgency is None:
        return None, r.problems
    c = Complaint(received_at=received_at, urgency=urgency, **fields)  # type: ignore[arg-type]
    return with_status(c, status), []


def with_status(c: Complaint, given: Status | None) -> Complaint:
    """The file's 状态 when given (checked later for consistency), else what the fields imply."""
    status = given or derive_status(c)
    closed_at = None
    if status == Status.CLOSED:
        closed_at = c.visit.visited_at if c.visit else c.replied_at
    return replace(c, status=status, closed_at=closed_at)


def _visit(r: RowReader) -> ReturnVisit | None:
    at, visitor, said = r.when("回访时间"), r.text("回访人"), r.text("投诉人意见")
    if not (at or visitor or said):
        return None
    opinion_word, _, remarks = said.replace(":", "：").partition("：")
    opinion = None
    for candidate in sorted(Opinion, key=lambda o: -len(o.value)):
        if opinion_word.startswith(candidate.value):
            opinion = candidate
            remarks = (opinion_word[len(candidate.value) :] + remarks).strip(" ，,")
            break
    missing = [
        name
        for name, value in (("回访时间", at), ("回访人", visitor), ("投诉人意见", opinion))
        if not value
    ]
    for name in missing:
        message = (
            "应以 满意/基本满意/不满意 开头，例如“不满意：仍有漏水”"
            if name == "投诉人意见" and said
            else "有回访记录时必填"
        )
        r.problems.append((name, message))
    if missing or at is None or opinion is None:
        return None
    return ReturnVisit(visited_at=at, visitor=visitor, method="", opinion=opinion, remarks=remarks)


def opinion_text(c: Complaint) -> str:
    if c.visit is None:
        return ""
    return c.visit.opinion.value + (f"：{c.visit.remarks}" if c.visit.remarks else "")


def export_values(
    c: Complaint, due_at: datetime, on_time: bool | None, phone: Callable[[str], str]
) -> list[object]:
    """One exported row: COLUMNS then COMPUTED_COLUMNS; `phone` says how 联系电话 is shown
    (masked or whole, see app/services/exporting.py)."""

    def v(e: StrEnum | None) -> str:
        return "" if e is None else e.value

    visit = c.visit
    return [
        c.no,
        c.received_at,
        c.receiver,
        c.complainant,
        c.room,
        phone(c.phone),
        c.channel.value,
        c.content,
        c.category,
        c.request,
        c.requested_reply_at,
        c.severity.value,
        c.urgency.value,
        v(c.validity),
        v(c.attribution),
        c.responsible_dept,
        c.handler,
        c.measures,
        c.completed_at,
        c.replied_at,
        c.reply_content,
        visit.visited_at if visit else None,
        visit.visitor if visit else "",
        opinion_text(c),
        c.status.value,
        due_at,
        {True: "是", False: "否", None: ""}[on_time],
    ]
