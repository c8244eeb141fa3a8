"""作废: how a record leaves the office's work without leaving the register.

Nothing inside its retention period is deleted. A complaint, a repair ticket, a 工作传签单 or a
工作安排通知单 entered by mistake (a duplicate, the wrong household) is voided instead: it
keeps every value, shows as 已作废 with who voided it, when and why, and takes no further step.
Voiding is final; a record voided by mistake is registered again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.domain.text_checks import MEDIUM, check_text

VOIDED = "已作废"  # how a voided record's status reads in lists and on the record


class ShownVoided:
    """For a list row: whether the record is voided, and the status the list shows."""

    status: StrEnum
    void_reason: str | None

    @property
    def voided(self) -> bool:
        return self.void_reason is not None

    @property
    def status_text(self) -> str:
        return VOIDED if self.voided else self.status.value


@dataclass(frozen=True)
class Voiding:
    """When, by whom and why a record was voided."""

    at: datetime
    by: str
    reason: str


def void_record(
    current: Voiding | None, reason: str, *, at: datetime, by: str, what: str
) -> Voiding:
    """作废 `what` (e.g. "投诉 TS2026-00012"): a reason is required; voiding twice is refused."""
    if current is not None:
        raise WorkflowError(
            f"{what}已于 {current.at:%Y-%m-%d %H:%M} 由 {current.by or '—'} 作废，不能再次作废"
        )
    error = check_text("reason", "作废原因", reason, limit=MEDIUM, multiline=True)
    if error is None and not reason.strip():
        error = FieldError("reason", "请填写作废原因")
    if error is not None:
        raise ValidationError([error])
    return Voiding(at, by, reason.strip())


def refuse_if_voided(voiding: Voiding | None, what: str, action: str) -> None:
    """A voided record takes no further step: say so in the office's words."""
    if voiding is not None:
        raise WorkflowError(f"{what}已作废，不能{action}")
