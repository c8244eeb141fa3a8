"""The office's working-day calendar: the official PRC calendar plus the office's overrides."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.db.connection import Database
from app.domain.access import Permission
from app.domain.workdays import WorkCalendar
from app.services.session import Session, requires
from app.store.reference import ReferenceStore


class CalendarService:
    def __init__(self, database: Database, *, session: Session) -> None:
        self.session = session
        self.database = database
        self.store = ReferenceStore(database)
        self._calendar: WorkCalendar | None = None
        self.listeners: list[Callable[[], object]] = []  # e.g. recompute open deadlines

    @requires(Permission.VIEW)
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            overrides = {d: w for d, (w, _note) in self.store.calendar_overrides().items()}
            self._calendar = WorkCalendar(overrides)
        return self._calendar

    @requires(Permission.VIEW)
    def overrides(self) -> dict[date, tuple[bool, str]]:
        return self.store.calendar_overrides()

    @requires(Permission.EDIT_REFERENCE)
    def set_override(self, day: date, is_workday: bool | None, note: str = "") -> None:
        """Add, change or (is_workday None) remove an office override."""
        with self.database.transaction():
            self.store.set_calendar_override(day, is_workday, note)
            self._calendar = None
            for listener in self.listeners:
                listener()

    @requires(Permission.VIEW)
    def year_known(self, year: int) -> bool:
        return self.calendar().known_year(year)
