"""工作传签单: the escalation sheet, with one opinion box per level it may pass through."""

from __future__ import annotations

from datetime import date

from app.domain.escalation import LEVEL_ORDER, LevelOpinion, TransferSheet
from app.forms.toolkit import (
    Block,
    DateSlot,
    Field,
    FormHeader,
    Row,
    Section,
    Signature,
    render_form,
)

TITLE = "工作传签单"


def render_transfer_sheet(sheet: TransferSheet | None, header: FormHeader) -> bytes:
    """The sheet as a PDF; all four level boxes are printed, unused ones left for hand signing."""
    blank = sheet is None
    s = sheet or TransferSheet(
        raised_on=date.min, initiator="", initiator_dept="", subject="", situation=""
    )
    opinions = {o.level: o for o in s.levels}
    blocks: list[Block] = [
        Row(
            Field("日期", DateSlot(None if blank else s.raised_on)),
            Field("发起人", s.initiator),
            Field("发起部门", s.initiator_dept),
        ),
        Row(
            Field("事由", s.subject, weight=1.9), Field("关联投诉编号", s.complaint_no, weight=1.1)
        ),
        Row(Field("情况说明", s.situation), lines=5),
        Row(Field("建议处理意见", s.proposal), lines=3),
        Section("逐级审批意见", *(_level_box(level, opinions.get(level)) for level in LEVEL_ORDER)),
        Row(
            Field("确定责任部门", s.responsible_dept),
            Field("工作安排通知单编号", s.notice_no, label_width=_WIDE_LABEL),
        ),
        Row(Field("处理结果", s.result), lines=3),
        Row(Field("答复顾客情况", s.customer_reply), lines=3),
        Row(
            Field("完成日期", DateSlot(s.completed_on)),
            Field("经办人", s.handled_by),
        ),
    ]
    return render_form(TITLE, s.no, header, blocks)


_WIDE_LABEL = 103.0  # "工作安排通知单编号" on one line


def _level_box(level: str, opinion: LevelOpinion | None) -> Row:
    sign = Signature(opinion.signer, opinion.signed_on) if opinion else Signature()
    return Row(Field(level, opinion.opinion if opinion else "", sign=sign), lines=5)
