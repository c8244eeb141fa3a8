"""Repair import and export (CSV/XLSX): all or nothing in, computed columns out."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path

from app.db.connection import Database
from app.domain import repair_workflow as workflow
from app.domain.access import Permission
from app.domain.errors import FieldError
from app.domain.repair import RepairTicket
from app.domain.repair_listing import RepairFilter
from app.domain.repair_rules import is_late
from app.io import repair_columns as cols
from app.services.complaints import ComplaintService
from app.services.exporting import PhoneShown, write_export
from app.services.importing import (
    BeforeWrite,
    ImportFailedError,
    ImportReport,
    RowProblem,
    no_backup,
    number_problem,
    open_table,
    row_reader,
)
from app.services.progress import Progress, counted
from app.services.repairs import RepairService
from app.services.session import Session, requires
from app.store import numbering
from app.store.repairs import PREFIX

FIELD_COLUMNS = {
    "no": "编号",
    "reported_at": "报修时间",
    "reporter": "报修人",
    "room": "房号",
    "location": "位置/设施",
    "phone": "联系电话",
    "category": "类别",
    "description": "故障描述",
    "appointment_at": "预约时间",
    "dispatched_at": "派工时间",
    "repairer": "维修人员",
    "arrived_at": "到场时间",
    "completed_at": "完成时间",
    "result": "维修结果",
    "charges": "费用合计(元)",
    "acceptance": "验收结果",
    "visit": "回访结果",
    "status": "状态",
}


class RepairExchange:
    def __init__(
        self,
        database: Database,
        repairs: RepairService,
        complaints: ComplaintService,
        before_write: BeforeWrite = no_backup,
        *,
        session: Session,
    ) -> None:
        self.session = session
        self.before_write = before_write
        self.database = database
        self.repairs = repairs
        self.complaints = complaints

    @requires(Permission.IMPORT)
    def import_file(self, path: Path, progress: Progress | None = None) -> ImportReport:
        """Check every row, then write all of them in one transaction, or none (`progress`:
        as for complaints)."""
        report = ImportReport(path)
        table, columns = open_table(path, cols.COLUMNS, cols.REQUIRED, report)
        categories = self.repairs.reference.categories()
        parsed: list[RepairTicket] = []
        seen: dict[str, int] = {}
        rows = len(table.rows)
        for row in counted(table.rows, 2 * rows, progress):
            ticket, problems = cols.parse_row(
                row_reader(columns, row), categories, self.complaints.store.id_for_no
            )
            report.problems.extend(RowProblem(row.line, c, m) for c, m in problems)
            if ticket is not None:
                found = self._checked(ticket, row.line, seen)
                report.problems.extend(
                    RowProblem(row.line, FIELD_COLUMNS.get(p.field, p.field), p.message)
                    for p in found
                )
                parsed.append(ticket)
        if report.problems:
            raise ImportFailedError(report)
        self.before_write(progress)  # a verified backup before the register changes
        report.imported = self._write(parsed, progress, checked=rows)
        return report

    def _checked(self, t: RepairTicket, line: int, seen: dict[str, int]) -> list[FieldError]:
        problems = workflow.validate_intake(t) + workflow.check_consistency(t)
        for extra in (
            self.repairs.room_error(t.room),
            number_problem(t.no, line, seen, self.repairs.store.id_for_no),
        ):
            if extra is not None:
                problems.append(extra)
        return problems

    def _write(self, parsed: list[RepairTicket], progress: Progress | None, *, checked: int) -> int:
        store, now = self.repairs.store, self.repairs.now()
        with self.database.transaction():
            for t in parsed:
                if t.no:
                    numbering.claim_no(self.database, PREFIX, t.no)
            # oldest first, so a later ticket can be linked to an earlier one as its rework
            oldest_first = sorted(parsed, key=lambda t: t.reported_at)
            for t in counted(oldest_first, checked + len(parsed), progress, start=checked):
                no = t.no or numbering.next_no(self.database, PREFIX, t.reported_at.year, "repairs")
                t = dataclasses.replace(t, no=no)
                t = dataclasses.replace(t, rework_of=self.repairs.rework_of(t))
                repair_id = store.save(t, dues=self.repairs.dues(t), now=now)
                store.add_event(repair_id, now, "", "导入", t.status.value)
        return len(parsed)

    @requires(Permission.EXPORT)
    def export_file(
        self,
        path: Path,
        ids: Sequence[int] | None = None,
        *,
        unmasked: bool = False,
        progress: Progress | None = None,
    ) -> int:
        """Write the tickets with 到场/完成期限, 是否超时 and 是否返修 added.

        Phones are masked (138****5678) unless `unmasked`, which needs Permission.UNMASK and is
        noted in the audit trail (see app/services/exporting.py). `progress`: see write_export.
        """
        everything = RepairFilter()
        total = (
            len(ids)
            if ids is not None
            else self.repairs.store.count(everything, self.repairs.now())
        )
        return write_export(
            self.session,
            self.database,
            path,
            cols.COLUMNS + cols.COMPUTED_COLUMNS,
            lambda phone: self._rows(ids, phone),
            subject="repairs",
            unmasked=unmasked,
            total=total,
            progress=progress,
        )

    def _rows(self, ids: Sequence[int] | None, phone: PhoneShown) -> Iterator[list[object]]:
        now = self.repairs.now()
        complaint_nos: dict[int, str] = {}
        for t in self.repairs.store.iter_all(ids):
            d = self.repairs.deadlines(t)
            cid = t.complaint_id
            if cid is not None and cid not in complaint_nos:
                complaint_nos[cid] = self.complaints.get(cid).no
            yield cols.export_values(
                t,
                complaint_nos.get(cid, "") if cid else "",
                d.arrive_due,
                d.complete_due,
                is_late(t, d, now),
                phone,
            )
