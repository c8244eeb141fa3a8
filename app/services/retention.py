"""The retention job (保存期限, procedure §8): records kept whole for the retention period, then
their personal fields anonymised, the statistics left as they were.

Run from the settings page or the command line by a user with the SETTINGS permission. Each
slice of BATCH records is one transaction: the rows are rewritten (the audit trail logs every
change under the signed-in user), the trail's personal copies of them are erased and their
search entries rebuilt, so neither the row, the trail nor a search still yields the name or
phone number. One audit note records the run. A second run finds nothing left to do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from app.db.connection import Database
from app.domain.access import Permission
from app.domain.errors import WorkflowError
from app.domain.retention import (
    BATCH,
    YEARS_SETTING,
    RetentionPlan,
    RetentionResult,
    anonymised_name,
    cutoff,
    is_due,
    parse_years,
    scrub,
)
from app.services.clock import Clock
from app.services.progress import JobCancelled, Progress, report
from app.services.session import Session, requires
from app.store.audit_trail import AuditTrail
from app.store.complaints import ComplaintStore
from app.store.reference import ReferenceStore
from app.store.repairs import RepairStore
from app.store.retention import COMPLAINTS, REPAIRS, Register, RetentionStore
from app.store.rows import dt_out


class RetentionStopped(JobCancelled):
    """The user stopped the run: `result` says what was anonymised before it stopped."""

    def __init__(self, result: RetentionResult) -> None:
        Exception.__init__(
            self,
            f"已停止：已匿名化投诉 {result.complaints} 条、报修 {result.repairs} 条，"
            "其余的下次执行时处理",
        )
        self.result = result


class RetentionService:
    def __init__(
        self, database: Database, session: Session, clock: Clock, *, batch: int = BATCH
    ) -> None:
        self.database = database
        self.session = session
        self.clock = clock
        self.batch = batch
        self.settings = ReferenceStore(database)
        self.trail = AuditTrail(database)
        self.complaints = RetentionStore(database, COMPLAINTS, ComplaintStore(database).reindex)
        self.repairs = RetentionStore(database, REPAIRS, RepairStore(database).reindex)

    @requires(Permission.SETTINGS)
    def years(self) -> int:
        """The retention period in years (setting `retention_years`, 2 when not set)."""
        text = self.settings.setting(YEARS_SETTING)
        try:
            return parse_years(text)
        except ValueError as e:
            raise WorkflowError(f"系统设置有误：{e}。请在系统设置中改正后再试。") from e

    @requires(Permission.SETTINGS)
    def preview(self) -> RetentionPlan:
        """How many records of each register the job would anonymise now, and from when."""
        years = self.years()
        cut = cutoff(self.clock(), years)
        counts = [sum(map(len, self._due(store, cut))) for store in self._stores()]
        return RetentionPlan(cut, years, *counts)

    @requires(Permission.SETTINGS)
    def run(self, progress: Progress | None = None) -> RetentionResult:
        """Anonymise every record whose retention period is over; returns how many.

        `progress` hears how many of how many are done after each batch (a large estate's first
        run takes minutes: about 2 ms a record, most of it the audit trail's). When it answers
        False the job stops between two batches, raising RetentionStopped: what was done
        stays done (each batch is its own transaction) and the next run does the rest.
        """
        years = self.years()
        now = self.clock()
        cut = cutoff(now, years)
        total = self.preview().total if progress is not None else 0
        counts = [0, 0]
        stopped = False
        try:
            report(progress, 0, total)
            for i, store in enumerate(self._stores()):
                for ids in self._due(store, cut):
                    self._anonymise(store, ids, now)
                    counts[i] += len(ids)
                    report(progress, sum(counts), total)
        except JobCancelled:
            stopped = True
        result = RetentionResult(cut, years, *counts)
        details: dict[str, object] = {
            "cutoff": dt_out(cut),
            "years": years,
            "complaints": result.complaints,
            "repairs": result.repairs,
        }
        if stopped:
            details["stopped"] = True
        self.trail.note("retention", "retention", details)
        if stopped:
            raise RetentionStopped(result)
        return result

    def _stores(self) -> tuple[RetentionStore, RetentionStore]:
        return self.complaints, self.repairs

    def _due(self, store: RetentionStore, cut: datetime) -> Iterator[list[int]]:
        """Ids of the records due, a page of candidates at a time (one page in memory)."""
        after = 0
        while page := store.candidates(cut, after, self.batch):
            after = page[-1].id
            due = [r.id for r in page if is_due(r, cut)]
            if due:
                yield due

    def _anonymise(self, store: RetentionStore, ids: list[int], now: datetime) -> None:
        with self.database.transaction():
            children = store.child_texts(ids)  # read while the names are still there
            store.anonymise([_anonymised(store.register, row) for row in store.personal(ids)], now)
            store.rewrite_child_texts(
                [
                    dataclasses.replace(child, text=text)
                    for child in children
                    if (text := scrub(child.text, child.name)) != child.text
                ]
            )
            store.forget_personal_trail(ids)
            store.reindex(ids)


def _anonymised(register: Register, row: dict[str, Any]) -> dict[str, Any]:
    """A record's new personal fields and free text, with its id."""
    name = row[register.name]
    return {"id": row["id"], register.name: anonymised_name(name), register.phone: ""} | {
        column: None if row[column] is None else scrub(row[column], name)
        for column in register.texts
    }
