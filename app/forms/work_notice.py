"""工作安排通知单: a superior assigns work to a department (§7.2.9)."""

from __future__ import annotations

from datetime import date

from app.domain.escalation import NoticeSource, WorkNotice
from app.forms.toolkit import (
    Blank,
    Block,
    Choice,
    DateSlot,
    Field,
    FormHeader,
    Row,
    Section,
    Signature,
    render_form,
)

TITLE = "工作安排通知单"


def render_work_notice(notice: WorkNotice | None, header: FormHeader) -> bytes:
    """The notice as a PDF; None gives a blank form."""
    blank = notice is None
    n = notice or WorkNotice(issued_on=date.min, issuer="", to_dept="", content="")
    blocks: list[Block] = [
        Row(
            Field("签发日期", DateSlot(None if blank else n.issued_on)),
            Field("签发人", n.issuer),
        ),
        Row(Field("接收部门", n.to_dept), Field("接收人", n.receiver)),
        Row(Field("来源", _source(n, blank))),
        Row(Field("工作内容", n.content), lines=10),
        Row(Field("要求", n.requirement), lines=5),
        Row(Field("完成时限", DateSlot(n.due_at, time=True))),
        Row(Field("接收人签收", Signature(n.signed_by, n.signed_at, time=True))),
        Section(
            "完成验收",
            Row(Field("完成情况", n.outcome), lines=7),
            Row(Field("完成时间", DateSlot(n.completed_at, time=True))),
            Row(
                Field(
                    "验收意见", n.acceptance, sign=Signature(n.accepted_by, n.accepted_on, "验收人")
                ),
                lines=5,
            ),
        ),
    ]
    return render_form(TITLE, n.no, header, blocks)


def _source(n: WorkNotice, blank: bool) -> Choice:
    """来源: ☐日常检查发现 ☐工作传签单（编号：____）☐其他."""
    number = Blank("" if blank else n.transfer_no, width=80)
    return Choice(
        list(NoticeSource),
        () if blank else (n.source,),
        {NoticeSource.TRANSFER: ("（编号：", number, "）"), NoticeSource.OTHER: ""},
    )
