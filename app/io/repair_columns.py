"""The repair register's file columns (import/export), in the issue's order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from app.domain.normalize import normalize_room
from app.domain.repair import (
    Acceptance,
    ChargeLine,
    RepairChannel,
    RepairStatus,
    RepairTicket,
    RepairUrgency,
    RepairVisit,
    Satisfaction,
)
from app.domain.repair_rules import format_money, parse_money
from app.domain.repair_workflow import derive_status
from app.io.row_reader import Problem, RowReader

COLUMNS = (
    "编号",
    "报修时间",
    "报修人",
    "房号",
    "位置/设施",
    "联系电话",
    "报修方式",
    "类别",
    "故障描述",
    "紧急程度",
    "是否有偿",
    "预约时间",
    "派工时间",
    "维修人员",
    "到场时间",
    "完成时间",
    "维修结果",
    "费用合计(元)",
    "验收结果",
    "回访时间",
    "回访结果",
    "关联投诉编号",
    "状态",
)
COMPUTED_COLUMNS = ("到场期限", "完成期限", "是否超时", "是否返修")
REQUIRED = ("报修时间", "故障描述")
IMPORTED_TOTAL = "费用合计（导入）"
_YES, _NO = {"是", "有偿", "收费"}, {"否", "无偿", "免费", ""}


def parse_row(
    cell: Callable[[str], object],
    categories: Sequence[str],
    complaint_ids: Callable[[str], int | None],
) -> tuple[RepairTicket | None, list[Problem]]:
    """One file row → a RepairTicket, or every problem found in it."""
    r = RowReader(cell)
    for column in REQUIRED:
        r.need(column)
    reported_at = r.when("报修时间")
    room, location = normalize_room(r.text("房号")), r.text("位置/设施")
    if not room and not location:
        r.problems.append(("房号", "房号和位置/设施至少填写一项"))
    phone = r.phone("联系电话")
    category = r.listed("类别", categories, "维修类别表")
    paid = r.text("是否有偿")
    if paid not in _YES | _NO:
        r.problems.append(("是否有偿", f"“{paid}”应为 是 或 否"))
    charges = _charges(r)
    complaint_no = r.text("关联投诉编号")
    complaint_id = complaint_ids(complaint_no) if complaint_no else None
    if complaint_no and complaint_id is None:
        r.problems.append(("关联投诉编号", f"没有编号为 {complaint_no} 的投诉"))
    completed_at = r.when("完成时间")
    acceptance = _acceptance(r, completed_at)
    visit = _visit(r)
    status = r.choice("状态", RepairStatus)
    fields = dict(
        no=r.text("编号"),
        reporter=r.text("报修人"),
        room=room,
        location=location,
        phone=phone,
        channel=r.choice("报修方式", RepairChannel, RepairChannel.PHONE),
        category=category,
        description=r.text("故障描述"),
        urgency=r.choice("紧急程度", RepairUrgency, RepairUrgency.NORMAL),
        chargeable=paid in _YES,
        appointment_at=r.when("预约时间"),
        dispatched_at=r.when("派工时间"),
        repairer=r.text("维修人员"),
        arrived_at=r.when("到场时间"),
        completed_at=completed_at,
        result=r.text("维修结果"),
        charges=charges,
        acceptance=acceptance,
        visit=visit,
        complaint_id=complaint_id,
    )
    if r.problems or reported_at is None:
        return None, r.problems
    t = RepairTicket(reported_at=reported_at, **fields)  # type: ignore[arg-type]
    status = status or derive_status(t)
    closed_at = visit.at if status == RepairStatus.CLOSED and visit else None
    return replace(t, status=status, closed_at=closed_at), []


def _charges(r: RowReader) -> list[ChargeLine]:
    total = r.text("费用合计(元)")
    if not total:
        return []
    try:
        fen = parse_money(total)
    except ValueError as e:
        r.problems.append(("费用合计(元)", str(e)))
        return []
    return [ChargeLine(IMPORTED_TOTAL, Decimal(1), fen)] if fen else []


def _satisfaction(r: RowReader, column: str) -> tuple[Satisfaction | None, str]:
    said = r.text(column).replace(":", "：")
    word, _, remarks = said.partition("：")
    for candidate in sorted(Satisfaction, key=lambda s: -len(s.value)):
        if word.startswith(candidate.value):
            return candidate, (word[len(candidate.value) :] + remarks).strip(" ，,")
    if said:
        r.problems.append((column, "应以 满意/基本满意/不满意 开头，例如“不满意：仍漏水”"))
    return None, ""


def _acceptance(r: RowReader, completed_at: datetime | None) -> Acceptance | None:
    result, remarks = _satisfaction(r, "验收结果")
    if result is None:
        return None
    if completed_at is None:
        r.problems.append(("验收结果", "有验收结果时须填写完成时间"))
        return None
    return Acceptance(completed_at, result, True, remarks)


def _visit(r: RowReader) -> RepairVisit | None:
    at = r.when("回访时间")
    result, remarks = _satisfaction(r, "回访结果")
    if at is None and result is None:
        return None
    if at is None or result is None:
        column = "回访结果" if result is None else "回访时间"
        r.problems.append((column, "回访时间和回访结果须同时填写"))
        return None
    return RepairVisit(at, "", result, remarks)


def _said(result: Satisfaction | None, remarks: str) -> str:
    if result is None:
        return ""
    return result.value + (f"：{remarks}" if remarks else "")


def export_values(
    t: RepairTicket,
    complaint_no: str,
    arrive_due: datetime,
    complete_due: datetime,
    late: bool,
    phone: Callable[[str], str],
) -> list[object]:
    """One exported row: COLUMNS then COMPUTED_COLUMNS; `phone` says how 联系电话 is shown."""
    a, v = t.acceptance, t.visit
    return [
        t.no,
        t.reported_at,
        t.reporter,
        t.room,
        t.location,
        phone(t.phone),
        t.channel.value,
        t.category,
        t.description,
        t.urgency.value,
        "是" if t.chargeable else "否",
        t.appointment_at,
        t.dispatched_at,
        t.repairer,
        t.arrived_at,
        t.completed_at,
        t.result,
        format_money(t.total_fen),
        _said(a.result, a.remarks) if a else "",
        v.at if v else None,
        _said(v.result, v.remarks) if v else "",
        complaint_no,
        t.status.value,
        arrive_due,
        complete_due,
        "是" if late else "否",
        "是" if t.rework_of else "否",
    ]
