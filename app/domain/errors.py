"""Errors the core raises with a message a clerk can act on (in Chinese)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """A problem with one field: `field` is the record attribute, `message` is for the user."""

    field: str
    message: str


class ValidationError(ValueError):
    """One or more fields are wrong; nothing was saved."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("；".join(e.message for e in errors))


class WorkflowError(ValueError):
    """The action does not fit where the record stands (e.g. closing before the return visit)."""
