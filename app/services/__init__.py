"""The use cases the UI and the command line call. `open_services` wires them to one database.

What signing in needs is made at once; every register's services are made (and their modules
loaded) when first used. The window loads `LATER_MODULES` on a worker thread while the password
is checked (ui/preload.py), so by then they are ready.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from argon2 import PasswordHasher

from app.db.connection import Database, open_database
from app.db.errors import StorageError
from app.db.guard import (
    AlreadyRunningError,
    FolderGuard,
    HealthReport,
    LocationRefusedError,
    check_now,
    open_guard,
)
from app.db.migrations import DatabaseTooNewError
from app.paths import DataDir
from app.services.accounts import AccountService, SignInError
from app.services.clock import Clock, system_clock
from app.services.progress import Progress
from app.services.reference import OfficeSettings, ReferenceService
from app.services.session import Session
from app.store.reference import Household, StaffMember

if TYPE_CHECKING:
    from app.services.backups import BackupService
    from app.services.calendar import CalendarService
    from app.services.complaint_exchange import ComplaintExchange
    from app.services.complaints import ComplaintService
    from app.services.escalation import EscalationService
    from app.services.households import HouseholdImport
    from app.services.printing import PrintService
    from app.services.repair_exchange import RepairExchange
    from app.services.repair_reference import RepairReferenceService
    from app.services.repairs import RepairService
    from app.services.retention import RetentionService
    from app.services.settings import SystemSettings

LATER_MODULES = (
    "app.services.repair_reference",
    "app.services.calendar",
    "app.services.complaints",
    "app.services.escalation",
    "app.services.repairs",
    "app.services.printing",
    "app.services.backups",
    "app.services.settings",
)
"""What a window needs from the core after sign-in, loaded when first used."""

__all__ = [
    "AlreadyRunningError",
    "DatabaseTooNewError",
    "FolderGuard",
    "LocationRefusedError",
    "StorageError",
    "open_guard",
    "check_now",
    "HealthReport",
    "Household",
    "OfficeSettings",
    "Services",
    "Session",
    "SignInError",
    "StaffMember",
    "open_services",
]


@dataclass
class Services:
    """The wiring: what sign-in needs is made at once; each register's services are made (and
    their modules loaded) when first used, which for a window is after sign-in, while
    `LATER_MODULES` may already have been loaded in the background."""

    database: Database
    data_dir: DataDir
    clock: Clock
    session: Session
    accounts: AccountService
    reference: ReferenceService

    @cached_property
    def repair_reference(self) -> RepairReferenceService:
        """Seeded from data/ on a new database the first time it is used."""
        from app.services.repair_reference import RepairReferenceService

        repair_reference = RepairReferenceService(self.database, session=self.session)
        repair_reference.ensure_seeded()
        return repair_reference

    @cached_property
    def calendar(self) -> CalendarService:
        from app.services.calendar import CalendarService

        return CalendarService(self.database, session=self.session)

    @cached_property
    def complaints(self) -> ComplaintService:
        from app.services.complaints import ComplaintService

        return ComplaintService(self.database, self.calendar, self.clock, session=self.session)

    @cached_property
    def escalation(self) -> EscalationService:
        from app.services.escalation import EscalationService

        complaints, session = self.complaints, self.session
        return EscalationService(self.database, complaints, self.clock, session=session)

    @cached_property
    def repairs(self) -> RepairService:
        from app.services.repairs import RepairService

        return RepairService(
            self.database,
            self.repair_reference,
            self.calendar,
            self.complaints,
            self.clock,
            session=self.session,
        )

    @cached_property
    def printing(self) -> PrintService:
        from app.services.printing import PrintService

        return PrintService(
            self.complaints, self.escalation, self.reference, self.repairs, session=self.session
        )

    @cached_property
    def backups(self) -> BackupService:
        from app.services.backups import BackupService
        from app.services.settings import stored_second_folder

        return BackupService(
            self.database,
            self.data_dir,
            self.clock,
            session=self.session,
            second_folder=stored_second_folder(self.reference.store),
        )

    @cached_property
    def settings(self) -> SystemSettings:
        from app.services.settings import SystemSettings

        store, session = self.reference.store, self.session
        return SystemSettings(self.database, store, self.backups, session=session)

    @cached_property
    def exchange(self) -> ComplaintExchange:
        from app.services.complaint_exchange import ComplaintExchange

        return ComplaintExchange(
            self.database,
            self.complaints,
            self.reference,
            self._before_import,
            session=self.session,
        )

    @cached_property
    def households(self) -> HouseholdImport:
        from app.services.households import HouseholdImport

        return HouseholdImport(self.reference, self._before_import, session=self.session)

    @cached_property
    def repair_exchange(self) -> RepairExchange:
        from app.services.repair_exchange import RepairExchange

        return RepairExchange(
            self.database, self.repairs, self.complaints, self._before_import, session=self.session
        )

    @cached_property
    def retention(self) -> RetentionService:
        from app.services.retention import RetentionService

        return RetentionService(self.database, self.session, self.clock)

    @classmethod
    def names(cls) -> list[str]:
        """Every attribute holding a service or part of the wiring, the lazy ones included."""
        lazy = [n for n, v in vars(cls).items() if isinstance(v, cached_property)]
        return [f.name for f in dataclasses.fields(cls)] + lazy

    def close(self) -> None:
        self.database.close()

    def _before_import(self, progress: Progress | None = None) -> None:
        self.backups.backup_now("before-import", progress=progress)


def open_services(
    data_dir: DataDir, clock: Clock = system_clock, hasher: PasswordHasher | None = None
) -> Services:
    """Open (creating and migrating if needed) the data folder's database.

    Nobody is signed in yet: guarded calls are refused until `accounts.sign_in` succeeds.
    `hasher` lets tests use cheaper argon2id parameters than the default.
    """
    data_dir.ensure()
    database = open_database(data_dir.database)
    database.clock = clock
    session = Session(database)
    reference = ReferenceService(database, session=session)
    reference.ensure_seeded()
    return Services(
        database=database,
        data_dir=data_dir,
        clock=clock,
        session=session,
        accounts=AccountService(database, session, clock, hasher or PasswordHasher()),
        reference=reference,
    )
