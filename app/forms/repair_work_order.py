"""维修派工单（维修服务确认单）: one repair from the report to the return visit (procedure §2).

The office's paper form in the register's order: 报修, 派工 (with the calls when the owner was not
at home), 维修, 材料及人工 (a ruled table with its 合计), 业主验收, 回访, then the repairer's and
customer service's signatures. Printed filled in from a ticket, or blank for the desk.

A free repair (无偿) still lists the materials and labour as entered, so the office sees what it
cost, but its 合计 is 0.00 and says 无偿维修. The owner's signature is never printed: the box stays
empty for the pen, and says （纸质签名存档） once the owner has signed the paper form.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from app.domain.repair import (
    ChargeLine,
    NotHomeAction,
    NotHomeVisit,
    RepairChannel,
    RepairTicket,
    RepairUrgency,
    RepairVisit,
    Satisfaction,
)
from app.forms.toolkit import (
    Blank,
    Block,
    Choice,
    Column,
    DateSlot,
    Field,
    FormHeader,
    Row,
    Section,
    Signature,
    Table,
    Value,
    format_when,
    render_form,
)

TITLE = "维修派工单（维修服务确认单）"
PAID, FREE = "有偿", "无偿"
FREE_NOTE = "无偿维修"
SIGNED_ON_PAPER = "（纸质签名存档）"
BLANK_CHARGE_ROWS = 5  # rows to write in on a blank form
MIN_CHARGE_ROWS = 3  # ... and at least this many on a filled one
BLANK_NOT_HOME_ROWS = 2  # calls with nobody home, to write in on a blank form (one on a filled)

CHARGE_COLUMNS = (
    Column("序号", 0.55, "centre"),
    Column("项目（材料/人工）", 3.2),
    Column("单位", 0.7, "centre"),
    Column("数量", 0.8, "right"),
    Column("单价（元）", 1.15, "right"),
    Column("金额（元）", 1.3, "right"),
)
NOT_HOME_COLUMNS = (
    Column("业主不在家时间", 1.35),
    Column("处理", 1.2),
    Column("改约上门时间", 1.35),
    Column("说明", 2.1),
)


def render_work_order(
    ticket: RepairTicket | None,
    header: FormHeader,
    *,
    arrive_due: str = "",
    complete_due: str = "",
    complaint_no: str = "",
    rework_of_no: str = "",
    facility: str = "",
) -> bytes:
    """The work order as a PDF; None gives a blank form (every box empty, nothing ticked).

    `arrive_due` / `complete_due` are the 到场时限 / 完成时限 as printed ("2026-11-22 11:30 前");
    `complaint_no` / `rework_of_no` are the register numbers of the complaint it came from and of
    the ticket it reworks, and `facility` the ledger's name for the ticket's facility.
    """
    blocks = work_order_blocks(
        ticket,
        arrive_due=arrive_due,
        complete_due=complete_due,
        complaint_no=complaint_no,
        rework_of_no=rework_of_no,
        facility=facility,
    )
    return render_form(TITLE, ticket.no if ticket else "", header, blocks)


def work_order_blocks(
    ticket: RepairTicket | None,
    *,
    arrive_due: str = "",
    complete_due: str = "",
    complaint_no: str = "",
    rework_of_no: str = "",
    facility: str = "",
) -> list[Block]:
    """The form's sections and rows, as `render_work_order` prints them."""
    blank = ticket is None
    t = ticket or RepairTicket(reported_at=datetime.min, description="")
    return [
        _report(t, blank, facility, complaint_no, rework_of_no),
        _dispatch(t, blank, arrive_due, complete_due),
        Section(
            "维修",
            Row(
                Field("到场时间", DateSlot(t.arrived_at, time=True)),
                Field("完成时间", DateSlot(t.completed_at, time=True)),
            ),
            Row(Field("维修结果", t.result), lines=_writing_lines(blank)),
        ),
        _charges(t, blank),
        _acceptance(t),
        _return_visit(t),
        Row(Field("维修人员签名", "", sign=Signature())),
        Row(Field("客服确认", "", sign=Signature())),
    ]


# --------------------------------------------------------------------------- sections


def _writing_lines(blank: bool) -> int:
    """A blank form leaves a line more to write by hand; a filled one grows with its text."""
    return 3 if blank else 2


def _pick(options: Sequence[str], chosen: str | None) -> Choice:
    return Choice(options, () if chosen is None else (chosen,))


def _place(t: RepairTicket, blank: bool, facility: str) -> Field:
    """房号 for a home; 位置/设施 for a public place or a ledger facility; both when both."""
    public = t.location
    if facility and facility != t.location:
        public = f"{t.location}（设施：{facility}）" if t.location else facility
    if blank or (t.room and public):
        label, where = "房号/位置", "　".join(p for p in (t.room, public) if p)
    elif t.room:
        label, where = "房号", t.room
    else:
        label, where = "位置/设施", public
    return Field(label, where, weight=2.2)


def _report(
    t: RepairTicket, blank: bool, facility: str, complaint_no: str, rework_of_no: str
) -> Section:
    rows = [
        Row(
            Field("报修时间", DateSlot(None if blank else t.reported_at, time=True), weight=1.4),
            Field("报修人", t.reporter, weight=0.8),
            Field("联系电话", t.phone, weight=0.8),
        ),
        Row(_place(t, blank, facility), Field("类别", t.category, weight=0.8)),
        Row(Field("报修方式", _pick(list(RepairChannel), None if blank else t.channel))),
        Row(
            Field("紧急程度", _pick(list(RepairUrgency), None if blank else t.urgency)),
            Field("是否有偿", _pick((PAID, FREE), None if blank else _paid(t))),
        ),
        Row(Field("预约上门时间", DateSlot(t.appointment_at, time=True))),
        Row(Field("故障描述", t.description), lines=_writing_lines(blank)),
    ]
    if blank or complaint_no or rework_of_no:
        rows.append(Row(Field("关联投诉编号", complaint_no), Field("返修（原单号）", rework_of_no)))
    return Section("报修", *rows)


def _paid(t: RepairTicket) -> str:
    return PAID if t.chargeable else FREE


def _dispatch(t: RepairTicket, blank: bool, arrive_due: str, complete_due: str) -> Section:
    return Section(
        "派工",
        Row(
            Field("派工时间", DateSlot(t.dispatched_at, time=True)),
            Field("维修人员", t.repairer),
        ),
        Row(Field("到场时限", arrive_due), Field("完成时限", complete_due)),
        Table(NOT_HOME_COLUMNS, _not_home_rows(t.not_home, BLANK_NOT_HOME_ROWS if blank else 1)),
    )


def _not_home_rows(visits: Sequence[NotHomeVisit], least: int) -> list[tuple[Value, ...]]:
    """One row per call; padded to `least` with rows to fill in by hand, 留言/改约 to tick."""
    rows = [_not_home_row(v) for v in visits]
    empty: tuple[Value, ...] = ("", _pick(list(NotHomeAction), None), "", "")
    return rows + [empty] * (least - len(rows))


def _not_home_row(v: NotHomeVisit) -> tuple[Value, ...]:
    return (
        format_when(v.at, time=True),
        _pick(list(NotHomeAction), v.action),
        format_when(v.new_appointment, time=True),
        v.note,
    )


def _charges(t: RepairTicket, blank: bool) -> Section:
    lines = [_charge_row(i, line) for i, line in enumerate(t.charges, start=1)]
    weights = [c.weight for c in CHARGE_COLUMNS]
    if blank or (t.chargeable and not t.charges):  # nothing entered yet: to fill in by hand
        note: Value = ("人民币（大写）：", Blank(width=150))
        total = ""
    elif t.chargeable:
        note, total = f"人民币（大写）：{_capital(t.total_fen)}", _yuan(t.total_fen)
    else:
        note, total = FREE_NOTE, _yuan(0)
    return Section(
        "材料及人工",
        Table(
            CHARGE_COLUMNS,
            lines,
            min_rows=BLANK_CHARGE_ROWS if blank else MIN_CHARGE_ROWS,
        ),
        Row(
            Field("合计（元）", note, weight=sum(weights[:-1])),
            Field("", total, weight=weights[-1], align="right"),
        ),
    )


def _charge_row(no: int, line: ChargeLine) -> tuple[Value, ...]:
    return (
        str(no),
        line.item,
        line.unit,
        _quantity(line.quantity),
        _yuan(line.unit_price_fen),
        _yuan(line.total_fen),
    )


def _acceptance(t: RepairTicket) -> Section:
    a = t.acceptance
    verdict: Value = (
        _pick(list(Satisfaction), a.result if a else None),
        "\n",
        a.remarks if a else "",
    )
    signed = SIGNED_ON_PAPER if a is not None and a.signed_on_paper else ""
    return Section(
        "业主验收",
        Row(Field("验收意见", verdict), lines=2),
        Row(
            Field("业主签名", signed, weight=1.6, align="right"),
            Field("验收时间", DateSlot(a.at if a else None, time=True), weight=1.4),
        ),
    )


def _return_visit(t: RepairTicket) -> Section:
    v = t.visit
    verdict: Value = (
        _pick(list(Satisfaction), v.result if v else None),
        "\n",
        v.remarks if v else "",
    )
    rows = [
        Row(
            Field("回访时间", DateSlot(v.at if v else None, time=True)),
            Field("回访人", v.visitor if v else ""),
        ),
        Row(Field("回访结果", verdict), lines=2),
    ]
    if t.past_visits or t.reopen_count:
        rows.append(Row(Field("历次回访", _past_visits(t.past_visits, t.reopen_count))))
    return Section("回访", *rows)


def _past_visits(visits: Sequence[RepairVisit], reopen_count: int) -> str:
    lines = [
        f"第{i}次　{format_when(v.at, time=True)}　{v.visitor}　"
        f"{v.result.value}{'：' + v.remarks if v.remarks else ''}"
        for i, v in enumerate(visits, start=1)
    ]
    if reopen_count:
        lines.append(f"（业主不满意，已返工 {reopen_count} 次）")
    return "\n".join(lines)


# --------------------------------------------------------------------------- money


def _yuan(fen: int) -> str:
    """分 as yuan with two decimals: 1250 → "12.50", -5 → "-0.05"."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def _quantity(quantity: Decimal) -> str:
    """2 → "2", 0.50 → "0.5": no trailing zeros, never an exponent."""
    text = f"{quantity:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿")


def _capital(fen: int) -> str:
    """An amount in 分 in the capital numerals of Chinese receipts: 32050 → 叁佰贰拾元伍角整."""
    if fen < 0:
        return "负" + _capital(-fen)
    if fen >= 10**14:  # a trillion yuan and more: no 万亿 on a repair bill
        return _yuan(fen) + "元"
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    words = _capital_integer(yuan) + "元" if yuan else ""
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif yuan and cents:
        words += "零"
    if cents:
        words += _DIGITS[cents] + "分"
    else:
        words += "整"
    return words if fen else "零元整"


def _capital_integer(n: int) -> str:
    digits = str(n)
    words, zero = "", False
    for i, char in enumerate(digits):
        place = len(digits) - 1 - i
        if char == "0":
            zero = True
        else:
            if zero and words:
                words += "零"
            zero = False
            words += _DIGITS[int(char)] + _PLACES[place % 4]
        if place % 4 == 0 and place and int(digits[max(i - 3, 0) : i + 1]):
            words += _GROUPS[place // 4]
    return words
