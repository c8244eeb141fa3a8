"""Complaint import and export (CSV/XLSX): all or nothing in, escaped and computed out."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path

from app.db.connection import Database
from app.domain import complaint_workflow as workflow
from app.domain.access import Permission
from app.domain.complaint import Complaint
from app.domain.deadline import reply_on_time
from app.domain.listing import ComplaintFilter, Sort
from app.io import complaint_columns as cols
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
from app.services.reference import ReferenceService
from app.services.session import Session, requires
from app.store import numbering
from app.store.complaints import PREFIX, ComplaintStore

FIELD_COLUMNS = {
    "no": "编号",
    "received_at": "登记时间",
    "complainant": "投诉人",
    "room": "房号",
    "phone": "联系电话",
    "content": "投诉内容",
    "requested_reply_at": "要求答复时间",
    "validity": "投诉性质",
    "attribution": "原因归属",
    "replied_at": "答复时间",
    "completed_at": "完成时间",
    "visit": "回访时间",
    "visited_at": "回访时间",
    "status": "状态",
}


class ComplaintExchange:
    def __init__(
        self,
        database: Database,
        complaints: ComplaintService,
        reference: ReferenceService,
        before_write: BeforeWrite = no_backup,
        *,
        session: Session,
    ) -> None:
        self.session = session
        self.before_write = before_write
        self.database = database
        self.complaints = complaints
        self.reference = reference
        self.store = ComplaintStore(database)

    @requires(Permission.IMPORT)
    def import_file(self, path: Path, progress: Progress | None = None) -> ImportReport:
        """Check every row, then write all of them in one transaction, or none.

        `progress` counts the rows checked, then the records written; cancelled
        (JobCancelled), nothing is written."""
        report = ImportReport(path)
        table, columns = open_table(path, cols.COLUMNS, cols.REQUIRED, report)
        if not any(name in columns for name in cols.WHO):
            report.problems.append(RowProblem(0, "", "缺少列：投诉人 或 房号（至少一列）"))
            raise ImportFailedError(report)
        categories = self.reference.categories()
        parsed: list[Complaint] = []
        seen_nos: dict[str, int] = {}
        rows = len(table.rows)
        for row in counted(table.rows, 2 * rows, progress):
            complaint, problems = cols.parse_row(row_reader(columns, row), categories)
            report.problems.extend(RowProblem(row.line, c, m) for c, m in problems)
            if complaint is None:
                continue
            complaint = self._checked(complaint, row.line, seen_nos, report)
            if complaint is not None:
                parsed.append(complaint)
        if report.problems:
            raise ImportFailedError(report)
        self.before_write(progress)  # a verified backup before the register changes
        report.imported = self._write(parsed, progress, checked=rows)
        return report

    def _checked(
        self, c: Complaint, line: int, seen_nos: dict[str, int], report: ImportReport
    ) -> Complaint | None:
        """The record-level rules: the same ones the screens apply."""
        problems = workflow.validate_intake(c) + workflow.check_consistency(c)
        for extra in (
            self.complaints.room_error(c.room),
            number_problem(c.no, line, seen_nos, self.store.id_for_no),
        ):
            if extra is not None:
                problems.append(extra)
        report.problems.extend(
            RowProblem(line, FIELD_COLUMNS.get(p.field, p.field), p.message) for p in problems
        )
        return None if problems else c

    def _write(self, parsed: list[Complaint], progress: Progress | None, *, checked: int) -> int:
        store = self.store
        now = self.complaints.now()
        with self.database.transaction():
            for c in parsed:
                if c.no:
                    numbering.claim_no(self.database, PREFIX, c.no)
            for c in counted(parsed, checked + len(parsed), progress, start=checked):
                if not c.no:
                    c = dataclasses.replace(
                        c,
                        no=numbering.next_no(
                            self.database, PREFIX, c.received_at.year, "complaints"
                        ),
                    )
                due = self.complaints.deadline(c)
                complaint_id = store.insert(c, due_at=due.due_at, estimated=due.estimated, now=now)
                store.add_event(complaint_id, now, "", "导入", c.status.value)
        return len(parsed)

    @requires(Permission.EXPORT)
    def export_file(
        self,
        path: Path,
        flt: ComplaintFilter | None = None,
        *,
        unmasked: bool = False,
        progress: Progress | None = None,
    ) -> int:
        """Write the register (or the filtered list) with 答复期限 and 是否按时答复 added.

        Phones are masked (138****5678) unless `unmasked`, which needs Permission.UNMASK and is
        noted in the audit trail (see app/services/exporting.py). `progress`: see write_export.
        """
        ids = None if flt is None else self.complaints.list_ids(flt, Sort("received_at", False))
        total = self.store.count() if ids is None else len(ids)
        return write_export(
            self.session,
            self.database,
            path,
            cols.COLUMNS + cols.COMPUTED_COLUMNS,
            lambda phone: self._rows(ids, phone),
            subject="complaints",
            unmasked=unmasked,
            total=total,
            progress=progress,
        )

    def _rows(self, ids: Sequence[int] | None, phone: PhoneShown) -> Iterator[list[object]]:
        now = self.complaints.now()
        store = self.store
        for c in store.iter_all(ids):
            due_at, _estimated = store.due(c.id or 0)
            on_time = reply_on_time(due_at, c.replied_at, now)
            yield cols.export_values(c, due_at, on_time, phone)
