"""Escalation use cases (§7.2.8-9): 工作传签单 up the levels, 工作安排通知单 to a department,
and the results flowing back to the complaint. Sheets and notices are voided (作废), never
deleted."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from app.db.connection import Database
from app.domain.access import Permission
from app.domain.complaint import Status
from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.domain.escalation import (
    LevelOpinion,
    NoticeSource,
    NoticeStep,
    TransferSheet,
    WorkNotice,
    add_level_opinion,
    complete_sheet,
    notice_steps,
    validate_notice,
    validate_sheet,
)
from app.domain.voiding import refuse_if_voided, void_record
from app.services.clock import Clock
from app.services.complaints import ComplaintService
from app.services.session import Session, requires
from app.store import numbering
from app.store.escalation import NOTICE_PREFIX, TRANSFER_PREFIX, EscalationStore

_NOTICE_ACTIONS = {
    NoticeStep.SIGN: "签收",
    NoticeStep.COMPLETE: "登记完成情况",
    NoticeStep.ACCEPT: "验收",
}
_NOTICE_REFUSED = {
    NoticeStep.SIGN: "通知单已签收",
    NoticeStep.COMPLETE: "通知单已登记完成情况",
    NoticeStep.ACCEPT: "通知单尚未完成或已验收，不能验收",
}


class EscalationService:
    def __init__(
        self, database: Database, complaints: ComplaintService, clock: Clock, *, session: Session
    ) -> None:
        self.session = session
        self.database = database
        self.store = EscalationStore(database)
        self.complaints = complaints
        self.clock = clock

    @requires(Permission.VIEW)
    def now(self) -> datetime:
        return self.clock()

    # ----- reading
    @requires(Permission.VIEW)
    def sheet(self, sheet_id: int) -> TransferSheet:
        s = self.store.sheet(sheet_id)
        if s is None:
            raise WorkflowError(f"找不到工作传签单（id {sheet_id}）")
        return s

    @requires(Permission.VIEW)
    def sheet_by_no(self, no: str) -> TransferSheet:
        sheet_id = self.store.sheet_id_for_no(no.strip())
        if sheet_id is None:
            raise WorkflowError(f"找不到编号为 {no} 的工作传签单")
        return self.sheet(sheet_id)

    @requires(Permission.VIEW)
    def notice(self, notice_id: int) -> WorkNotice:
        n = self.store.notice(notice_id)
        if n is None:
            raise WorkflowError(f"找不到工作安排通知单（id {notice_id}）")
        return n

    @requires(Permission.VIEW)
    def notice_by_no(self, no: str) -> WorkNotice:
        notice_id = self.store.notice_id_for_no(no.strip())
        if notice_id is None:
            raise WorkflowError(f"找不到编号为 {no} 的工作安排通知单")
        return self.notice(notice_id)

    @requires(Permission.VIEW)
    def sheets_for_complaint(self, complaint_id: int) -> list[TransferSheet]:
        return self.store.sheets_for_complaint(complaint_id)

    @requires(Permission.VIEW)
    def sheet_summaries(self) -> list[dict[str, Any]]:
        return self.store.sheet_summaries()

    @requires(Permission.VIEW)
    def notice_summaries(self) -> list[dict[str, Any]]:
        return self.store.notice_summaries()

    # ----- 工作传签单
    @requires(Permission.ESCALATE)
    def raise_sheet(self, sheet: TransferSheet, *, actor: str = "") -> TransferSheet:
        """发起 a 工作传签单, from a complaint (complaint_id set) or on its own."""
        validate_sheet(sheet)
        now = self.clock()
        with self.database.transaction():
            if sheet.complaint_id is not None:
                c = self.complaints.get(sheet.complaint_id)
                refuse_if_voided(c.void, f"投诉 {c.no}", "升级")
                if c.status == Status.CLOSED:
                    raise WorkflowError("投诉已关闭，不能再升级")
                if sheet.raised_on < c.received_at.date():
                    raise ValidationError([FieldError("raised_on", "传签单日期早于投诉登记日期")])
            no = numbering.next_no(
                self.database, TRANSFER_PREFIX, sheet.raised_on.year, "transfer_sheets"
            )
            sheet = dataclasses.replace(sheet, no=no)
            sheet = dataclasses.replace(sheet, id=self.store.save_sheet(sheet, now))
            if sheet.complaint_id is not None:
                self.complaints.note(
                    sheet.complaint_id, "升级", f"发起工作传签单 {no}", actor or sheet.initiator
                )
        return self.sheet(sheet.id or 0)

    @requires(Permission.ESCALATE)
    def sign_level(self, sheet_id: int, opinion: LevelOpinion, *, actor: str = "") -> TransferSheet:
        """One level writes its opinion and signs; the sheet moves up."""
        with self.database.transaction():
            sheet = add_level_opinion(self._live_sheet(sheet_id, "签署意见"), opinion)
            self.store.save_sheet(sheet, self.clock())
            self._note(
                sheet,
                f"{opinion.level.value}意见",
                f"{opinion.signer}：{opinion.opinion}",
                actor or opinion.signer,
            )
        return self.sheet(sheet_id)

    @requires(Permission.ESCALATE)
    def fix_department(self, sheet_id: int, dept: str, *, actor: str = "") -> TransferSheet:
        """确定责任部门 (the superior's decision); the complaint's department follows."""
        if not dept.strip():
            raise ValidationError([FieldError("responsible_dept", "请选择责任部门")])
        with self.database.transaction():
            sheet = self._live_sheet(sheet_id, "确定责任部门")
            if not sheet.is_open:
                raise WorkflowError("传签单已办结")
            self.store.save_sheet(dataclasses.replace(sheet, responsible_dept=dept), self.clock())
            self._note(sheet, "确定责任部门", dept, actor)
        return self.sheet(sheet_id)

    @requires(Permission.ESCALATE)
    def complete_sheet(
        self,
        sheet_id: int,
        *,
        result: str,
        customer_reply: str,
        completed_on: date,
        handled_by: str,
        actor: str = "",
    ) -> TransferSheet:
        """处理结果: the sheet is done and its result flows back to the complaint."""
        with self.database.transaction():
            sheet = complete_sheet(
                self._live_sheet(sheet_id, "办结"),
                result=result,
                customer_reply=customer_reply,
                completed_on=completed_on,
                handled_by=handled_by,
            )
            self.store.save_sheet(sheet, self.clock())
            if sheet.complaint_id is not None:
                self.complaints.apply_escalation_result(
                    sheet.complaint_id, sheet, actor=actor or handled_by
                )
        return self.sheet(sheet_id)

    # ----- 工作安排通知单
    @requires(Permission.ESCALATE)
    def issue_notice(self, notice: WorkNotice, *, actor: str = "") -> WorkNotice:
        """签发: from a 工作传签单 (transfer_id set) or after an inspection (§7.2.9 a)."""
        if notice.transfer_id is not None:
            notice = dataclasses.replace(notice, source=NoticeSource.TRANSFER)
        validate_notice(notice)
        with self.database.transaction():
            no = numbering.next_no(
                self.database, NOTICE_PREFIX, notice.issued_on.year, "work_notices"
            )
            notice = dataclasses.replace(notice, no=no)
            notice_id = self.store.save_notice(notice, self.clock())
            if notice.transfer_id is not None:
                sheet = self._live_sheet(notice.transfer_id, "签发通知单")
                if not sheet.responsible_dept:
                    self.store.save_sheet(
                        dataclasses.replace(sheet, responsible_dept=notice.to_dept), self.clock()
                    )
                self._note(
                    sheet, "工作安排通知", f"签发 {no} 给{notice.to_dept}", actor or notice.issuer
                )
        return self.notice(notice_id)

    @requires(Permission.ESCALATE)
    def sign_notice(self, notice_id: int, *, signed_by: str, at: datetime) -> WorkNotice:
        """接收人签收."""
        return self._update_notice(
            notice_id,
            NoticeStep.SIGN,
            signed_by=signed_by,
            signed_at=at,
            required=(("signed_by", "请填写签收人"),),
        )

    @requires(Permission.ESCALATE)
    def complete_notice(self, notice_id: int, *, outcome: str, at: datetime) -> WorkNotice:
        """完成情况 reported by the receiving department."""
        return self._update_notice(
            notice_id,
            NoticeStep.COMPLETE,
            outcome=outcome,
            completed_at=at,
            required=(("outcome", "请填写完成情况"),),
        )

    @requires(Permission.ESCALATE)
    def accept_notice(
        self, notice_id: int, *, acceptance: str, accepted_by: str, accepted_on: date
    ) -> WorkNotice:
        """验收 by the issuer."""
        return self._update_notice(
            notice_id,
            NoticeStep.ACCEPT,
            acceptance=acceptance,
            accepted_by=accepted_by,
            accepted_on=accepted_on,
            required=(("acceptance", "请填写验收意见"), ("accepted_by", "请填写验收人")),
        )

    def _update_notice(
        self,
        notice_id: int,
        step: NoticeStep,
        *,
        required: tuple[tuple[str, str], ...],
        **changes: Any,
    ) -> WorkNotice:
        errors = [FieldError(f, m) for f, m in required if not str(changes[f]).strip()]
        if errors:
            raise ValidationError(errors)
        with self.database.transaction():
            notice = self.notice(notice_id)
            refuse_if_voided(notice.void, f"通知单 {notice.no}", _NOTICE_ACTIONS[step])
            if step not in notice_steps(notice):
                raise WorkflowError(_NOTICE_REFUSED[step])
            notice = dataclasses.replace(notice, **changes)
            validate_notice(notice)
            self.store.save_notice(notice, self.clock())
        return self.notice(notice_id)

    # ----- 作废
    @requires(Permission.VOID)
    def void_sheet(self, sheet_id: int, reason: str) -> TransferSheet:
        """作废 a 工作传签单: kept as 已作废 with the reason; no longer an open escalation."""
        now, who = self.clock(), self.session.name
        with self.database.transaction():
            sheet = self.sheet(sheet_id)
            voiding = void_record(sheet.void, reason, at=now, by=who, what=f"传签单 {sheet.no}")
            self.store.void_sheet(sheet_id, voiding)
            self.store.sheet_events.add(sheet_id, now, who, "作废", voiding.reason)
            self._note(sheet, "传签单作废", voiding.reason, who)
        return self.sheet(sheet_id)

    @requires(Permission.VOID)
    def void_notice(self, notice_id: int, reason: str) -> WorkNotice:
        """作废 a 工作安排通知单: kept as 已作废 with the reason; no further 签收/完成/验收."""
        now, who = self.clock(), self.session.name
        with self.database.transaction():
            notice = self.notice(notice_id)
            voiding = void_record(notice.void, reason, at=now, by=who, what=f"通知单 {notice.no}")
            self.store.void_notice(notice_id, voiding)
            self.store.notice_events.add(notice_id, now, who, "作废", voiding.reason)
        return self.notice(notice_id)

    def _live_sheet(self, sheet_id: int, action: str) -> TransferSheet:
        sheet = self.sheet(sheet_id)
        refuse_if_voided(sheet.void, f"传签单 {sheet.no}", action)
        return sheet

    def _note(self, sheet: TransferSheet, action: str, detail: str, actor: str) -> None:
        if sheet.complaint_id is not None:
            self.complaints.note(sheet.complaint_id, action, f"{sheet.no} {detail}", actor)
