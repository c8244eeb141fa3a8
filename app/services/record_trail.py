"""A register's records in the audit trail: who may correct one, and its 修改记录.

Every write leaves an entry in the audit trail (app.db.audit). The record's 处理日志 already
tells each step; the 修改记录 shows the corrections: an entry that changed the intake, or
replaced a value that had been recorded, with each field's earlier and later value. Steps that
only fill in what was still blank are the 处理日志's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from app.domain.access import Permission, PermissionDeniedError
from app.services.session import Session
from app.store.audit_trail import AuditTrail, Change, HistoryEntry

ERASED = "（已清除）"  # a personal value the retention job has erased from the trail

S = TypeVar("S")
Shown = Callable[[str, Any], str]
"""How a stored value reads to the signed-in user: (column, value) -> text."""


@dataclass(frozen=True)
class FieldChange:
    label: str  # the field as the paper form names it
    before: str  # "" for blank
    after: str


@dataclass(frozen=True)
class Correction:
    at: str  # as the trail keeps it (2026-11-20 10:05:00)
    actor: str
    changes: tuple[FieldChange, ...]


class RecordTrail:
    """One register's view of the trail (``table``: complaints, repairs). ``labels`` name the
    fields a correction shows, ``intake`` those of the registration itself, ``formats`` read
    stored values that are not text (是否有偿 …). Phone numbers read as the user may see them."""

    def __init__(
        self,
        trail: AuditTrail,
        session: Session,
        table: str,
        *,
        labels: Mapping[str, str],
        intake: Collection[str],
        formats: Mapping[str, Callable[[Any], str]] | None = None,
    ) -> None:
        self.trail = trail
        self.session = session
        self.table, self.labels, self.intake = table, labels, intake
        self.formats = {"phone": lambda v: session.show_phone(str(v)), **(formats or {})}

    def require_correct(self, record_id: int, is_draft: bool) -> None:
        """修改登记: anyone with CORRECT, or the registrar while nobody has acted on it."""
        self.session.require_correct(self.trail.creator(self.table, record_id), is_draft)

    def may_correct(self, record_id: int, is_draft: bool) -> bool:
        try:
            self.require_correct(record_id, is_draft)
        except PermissionDeniedError:
            return False
        return True

    def steps_for_user(
        self,
        steps: Collection[S],
        permissions: Mapping[S, Permission],
        correct_step: S,
        record_id: int,
        is_draft: bool,
    ) -> frozenset[S]:
        """Of the steps a record can take, those the signed-in user may do (the buttons)."""
        return frozenset(
            step
            for step in steps
            if self.session.can(permissions[step])
            and (step != correct_step or self.may_correct(record_id, is_draft))
        )

    def history(self, record_id: int) -> list[Correction]:
        return corrections(
            self.trail.history(self.table, record_id), self.labels, self.intake, self._shown
        )

    def _shown(self, column: str, value: Any) -> str:
        read = self.formats.get(column)
        return read(value) if read else str(value)


def corrections(
    entries: Sequence[HistoryEntry],
    labels: Mapping[str, str],
    intake: Collection[str],
    shown: Shown,
) -> list[Correction]:
    """The corrections among a record's trail entries, oldest first; fields in form order."""
    order = {column: n for n, column in enumerate(labels)}
    found = []
    for entry in entries:
        if entry.action != "update":
            continue
        changes = sorted(
            (c for c in entry.changes if c.column in labels), key=lambda c: order[c.column]
        )
        if any(c.column in intake or _filled(c.old) for c in changes):
            found.append(
                Correction(
                    entry.at,
                    entry.actor,
                    tuple(_field_change(labels[c.column], c, shown) for c in changes),
                )
            )
    return found


def _filled(value: Any) -> bool:
    return value is not None and value != ""


def _field_change(label: str, c: Change, shown: Shown) -> FieldChange:
    if c.old is None and c.new is None:  # a personal value no longer kept
        return FieldChange(label, ERASED, ERASED)
    return FieldChange(label, _text(c.column, c.old, shown), _text(c.column, c.new, shown))


def _text(column: str, value: Any, shown: Shown) -> str:
    return "" if value is None or value == "" else shown(column, value)
