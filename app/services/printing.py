"""Printing the office's forms to PDF from records (or blank for the front desk).

The form modules (and reportlab behind them) load at the first print, not at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.access import Permission
from app.domain.complaint import Complaint
from app.domain.deadline import Deadline
from app.domain.repair import RepairTicket
from app.io.atomic import write_bytes_atomically
from app.services.complaints import ComplaintService
from app.services.escalation import EscalationService
from app.services.reference import ReferenceService
from app.services.repairs import RepairService
from app.services.session import Session, requires

if TYPE_CHECKING:
    from app.forms.toolkit import FormHeader


def deadline_text(deadline: Deadline) -> str:
    text = f"{deadline.due_at:%Y-%m-%d %H:%M}（{deadline.rule}）"
    if deadline.estimated:
        text += "（节假日安排未公布，按周一至周五估算）"
    return text


class PrintService:
    def __init__(
        self,
        complaints: ComplaintService,
        escalation: EscalationService,
        reference: ReferenceService,
        repairs: RepairService,
        *,
        session: Session,
    ) -> None:
        self.session = session
        self.complaints = complaints
        self.escalation = escalation
        self.reference = reference
        self.repairs = repairs

    @requires(Permission.PRINT)
    def header(self) -> FormHeader:
        from app.forms.toolkit import FormHeader

        office = self.reference.office()
        return FormHeader(estate_name=office.estate_name, office_name=office.office_name)

    @requires(Permission.PRINT)
    def complaint_pdf(self, complaint: Complaint | None) -> bytes:
        """顾客投诉处理记录表, filled from the record or blank."""
        from app.forms.complaint_record import render_complaint_record

        if complaint is None:
            return render_complaint_record(None, self.header())
        sheets = self.escalation.sheets_for_complaint(complaint.id or 0)
        return render_complaint_record(
            complaint,
            self.header(),
            deadline_text=deadline_text(self.complaints.deadline(complaint)),
            transfer_nos=[s.no for s in sheets],
        )

    @requires(Permission.PRINT)
    def transfer_pdf(self, no: str | None) -> bytes:
        """工作传签单."""
        from app.forms.transfer_sheet import render_transfer_sheet

        sheet = None if no is None else self.escalation.sheet_by_no(no)
        return render_transfer_sheet(sheet, self.header())

    @requires(Permission.PRINT)
    def notice_pdf(self, no: str | None) -> bytes:
        """工作安排通知单."""
        from app.forms.work_notice import render_work_notice

        notice = None if no is None else self.escalation.notice_by_no(no)
        return render_work_notice(notice, self.header())

    @requires(Permission.PRINT)
    def work_order_pdf(self, ticket: RepairTicket | None) -> bytes:
        """维修派工单 / 维修服务确认单, filled from the ticket or blank."""
        from app.forms.repair_work_order import render_work_order

        if ticket is None:
            return render_work_order(None, self.header())
        d = self.repairs.deadlines(ticket)
        facility = ""
        if ticket.facility_id is not None:
            f = self.repairs.reference.facility(ticket.facility_id)
            facility = f"{f.name}（{f.kind}）" if f else ""
        complaint_no = (
            self.complaints.get(ticket.complaint_id).no if ticket.complaint_id is not None else ""
        )
        return render_work_order(
            ticket,
            self.header(),
            arrive_due=f"{d.arrive_due:%Y-%m-%d %H:%M}",
            complete_due=f"{d.complete_due:%Y-%m-%d %H:%M}",
            complaint_no=complaint_no,
            rework_of_no=self.repairs.no_of(ticket.rework_of),
            facility=facility,
        )

    @requires(Permission.PRINT)
    def save(self, pdf: bytes, path: Path) -> Path:
        write_bytes_atomically(path, pdf)
        return path
