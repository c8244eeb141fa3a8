"""工作传签单 (escalation sheet) and 工作安排通知单 (work assignment notice), §7.2.8-9."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.domain.text_checks import LONG, MEDIUM, SHORT, check_texts, missing
from app.domain.voiding import Voiding


class Level(StrEnum):
    """The levels a 工作传签单 passes up, lowest first."""

    DEPT_HEAD = "部门负责人"
    OFFICE_DIRECTOR = "管理处主任"
    DEPUTY_GM = "主管副总经理"
    GENERAL_MANAGER = "总经理"


LEVEL_ORDER: tuple[Level, ...] = tuple(Level)


class NoticeSource(StrEnum):
    """来源 of a 工作安排通知单."""

    INSPECTION = "日常检查发现"  # §7.2.9 a: issued on a superior's own initiative
    TRANSFER = "工作传签单"
    OTHER = "其他"


@dataclass
class LevelOpinion:
    """One level's box on the sheet: 意见, 签名, 日期."""

    level: Level
    opinion: str
    signer: str
    signed_on: date


@dataclass
class TransferSheet:
    """工作传签单: raised by a handler who cannot resolve a case."""

    raised_on: date  # 日期
    initiator: str  # 发起人 (the handler)
    initiator_dept: str  # 发起部门
    subject: str  # 事由
    situation: str  # 情况说明
    proposal: str = ""  # 建议处理意见
    complaint_id: int | None = None
    complaint_no: str = ""  # 关联投诉编号
    levels: list[LevelOpinion] = field(default_factory=list)
    responsible_dept: str = ""  # 确定责任部门
    notice_no: str = ""  # 工作安排通知单编号
    result: str = ""  # 处理结果
    customer_reply: str = ""  # 答复顾客情况
    completed_on: date | None = None  # 完成日期
    handled_by: str = ""  # 经办人
    no: str = ""
    id: int | None = None
    void: Voiding | None = None  # 作废

    @property
    def is_open(self) -> bool:
        return self.completed_on is None


@dataclass
class WorkNotice:
    """工作安排通知单: a superior assigns work to a department."""

    issued_on: date  # 签发日期
    issuer: str  # 签发人
    to_dept: str  # 接收部门
    content: str  # 工作内容
    source: NoticeSource = NoticeSource.INSPECTION
    receiver: str = ""  # 接收人
    transfer_id: int | None = None
    transfer_no: str = ""  # 来源传签单编号
    requirement: str = ""  # 要求 (standard to reach)
    due_at: datetime | None = None  # 完成时限
    signed_by: str = ""  # 接收人签收
    signed_at: datetime | None = None
    outcome: str = ""  # 完成情况
    completed_at: datetime | None = None  # 完成时间
    acceptance: str = ""  # 验收意见
    accepted_by: str = ""  # 验收人
    accepted_on: date | None = None
    no: str = ""
    id: int | None = None
    void: Voiding | None = None  # 作废


def add_level_opinion(sheet: TransferSheet, opinion: LevelOpinion) -> TransferSheet:
    """The sheet passes up: each new box is a higher level than the last one filled."""
    if not sheet.is_open:
        raise WorkflowError("传签单已办结，不能再签署意见")
    if sheet.levels:
        last = LEVEL_ORDER.index(sheet.levels[-1].level)
        if LEVEL_ORDER.index(opinion.level) <= last:
            raise WorkflowError(f"传签单已到“{sheet.levels[-1].level.value}”，只能再往上一级签署")
        if opinion.signed_on < sheet.levels[-1].signed_on:
            raise ValidationError([FieldError("signed_on", "签署日期早于上一级的签署日期")])
    if opinion.signed_on < sheet.raised_on:
        raise ValidationError([FieldError("signed_on", "签署日期早于传签单日期")])
    errors = check_texts(
        [
            ("opinion", "意见", opinion.opinion, MEDIUM, True),
            ("signer", "签名", opinion.signer, SHORT, False),
        ]
    )
    errors += missing(opinion, (("opinion", "请填写意见"), ("signer", "请填写签名人")))
    if errors:
        raise ValidationError(errors)
    return replace(sheet, levels=[*sheet.levels, opinion])


def complete_sheet(
    sheet: TransferSheet, *, result: str, customer_reply: str, completed_on: date, handled_by: str
) -> TransferSheet:
    """处理结果 written back by the handler: the sheet is 办结."""
    if not sheet.is_open:
        raise WorkflowError("传签单已办结")
    if not sheet.levels:
        raise WorkflowError("传签单还没有任何一级签署意见，不能办结")
    done = replace(
        sheet,
        result=result,
        customer_reply=customer_reply,
        completed_on=completed_on,
        handled_by=handled_by,
    )
    errors = check_texts(
        [
            ("result", "处理结果", result, MEDIUM, True),
            ("customer_reply", "答复顾客情况", customer_reply, MEDIUM, True),
            ("handled_by", "经办人", handled_by, SHORT, False),
        ]
    )
    errors += missing(done, (("result", "请填写处理结果"), ("handled_by", "请填写经办人")))
    if completed_on < sheet.raised_on:
        errors.append(FieldError("completed_on", "完成日期早于传签单日期"))
    if errors:
        raise ValidationError(errors)
    return done


def validate_sheet(sheet: TransferSheet) -> None:
    errors = check_texts(
        [
            ("initiator", "发起人", sheet.initiator, SHORT, False),
            ("initiator_dept", "发起部门", sheet.initiator_dept, SHORT, False),
            ("subject", "事由", sheet.subject, MEDIUM, False),
            ("situation", "情况说明", sheet.situation, LONG, True),
            ("proposal", "建议处理意见", sheet.proposal, MEDIUM, True),
        ]
    )
    errors += missing(
        sheet,
        (("initiator", "请填写发起人"), ("subject", "请填写事由"), ("situation", "请填写情况说明")),
    )
    if errors:
        raise ValidationError(errors)


def validate_notice(notice: WorkNotice) -> None:
    errors = check_texts(
        [
            ("issuer", "签发人", notice.issuer, SHORT, False),
            ("to_dept", "接收部门", notice.to_dept, SHORT, False),
            ("receiver", "接收人", notice.receiver, SHORT, False),
            ("content", "工作内容", notice.content, LONG, True),
            ("requirement", "要求", notice.requirement, MEDIUM, True),
            ("outcome", "完成情况", notice.outcome, MEDIUM, True),
            ("acceptance", "验收意见", notice.acceptance, MEDIUM, True),
        ]
    )
    errors += missing(
        notice,
        (("issuer", "请填写签发人"), ("to_dept", "请选择接收部门"), ("content", "请填写工作内容")),
    )
    if notice.source == NoticeSource.TRANSFER and notice.transfer_id is None:
        errors.append(FieldError("source", "来源为工作传签单时须关联传签单"))
    if notice.due_at is not None and notice.due_at.date() < notice.issued_on:
        errors.append(FieldError("due_at", "完成时限早于签发日期"))
    if errors:
        raise ValidationError(errors)


def levels_above(sheet: TransferSheet) -> list[Level]:
    """The levels that may still sign: only those above the last one that did."""
    if not sheet.levels:
        return list(LEVEL_ORDER)
    return list(LEVEL_ORDER[LEVEL_ORDER.index(sheet.levels[-1].level) + 1 :])


class SheetStep(StrEnum):
    SIGN = "sign"
    FIX_DEPT = "fix_dept"
    ISSUE_NOTICE = "issue"
    COMPLETE = "complete"


def sheet_steps(sheet: TransferSheet) -> frozenset[SheetStep]:
    """What can still be done on a 工作传签单 (nothing once 办结 or voided)."""
    if not sheet.is_open or sheet.void is not None:
        return frozenset()
    steps = {SheetStep.FIX_DEPT, SheetStep.ISSUE_NOTICE}
    if levels_above(sheet):
        steps.add(SheetStep.SIGN)
    if sheet.levels:
        steps.add(SheetStep.COMPLETE)
    return frozenset(steps)


class NoticeStep(StrEnum):
    SIGN = "sign_notice"  # 接收人签收
    COMPLETE = "complete_notice"  # 完成情况
    ACCEPT = "accept_notice"  # 验收


def notice_steps(notice: WorkNotice) -> frozenset[NoticeStep]:
    """What a 工作安排通知单 is waiting for: 签收 once, 完成 once, then 验收 once (nothing once
    voided)."""
    steps: set[NoticeStep] = set()
    if notice.void is not None:
        return frozenset()
    if not notice.signed_by:
        steps.add(NoticeStep.SIGN)
    if notice.completed_at is None:
        steps.add(NoticeStep.COMPLETE)
    elif notice.accepted_on is None:
        steps.add(NoticeStep.ACCEPT)
    return frozenset(steps)
