"""The use cases the UI and the command line call. `open_services` wires them to one database.

The services a window needs to show its first list are made at once; importing, exporting and
the retention job are made (and their modules loaded) when first used.
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
from app.services.backups import BackupService
from app.services.calendar import CalendarService
from app.services.clock import Clock, system_clock
from app.services.complaints import ComplaintService
from app.services.escalation import EscalationService
from app.services.printing import PrintService
from app.services.reference import OfficeSettings, ReferenceService
from app.services.repair_reference import RepairReferenceService
from app.services.repairs import RepairService
from app.services.session import Session
from app.services.settings import SystemSettings, stored_second_folder
from app.store.reference import Household, StaffMember

if TYPE_CHECKING:
    from app.services.complaint_exchange import ComplaintExchange
    from app.services.households import HouseholdImport
    from app.services.repair_exchange import RepairExchange
    from app.services.retention import RetentionService

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
    database: Database
    data_dir: DataDir
    clock: Clock
    session: Session
    accounts: AccountService
    reference: ReferenceService
    calendar: CalendarService
    complaints: ComplaintService
    escalation: EscalationService
    printing: PrintService
    repairs: RepairService
    repair_reference: RepairReferenceService
    backups: BackupService
    settings: SystemSettings

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

    def _before_import(self) -> None:
        self.backups.backup_now("before-import")


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
    calendar = CalendarService(database, session=session)
    complaints = ComplaintService(database, calendar, clock, session=session)
    escalation = EscalationService(database, complaints, clock, session=session)
    backups = BackupService(
        database,
        data_dir,
        clock,
        session=session,
        second_folder=stored_second_folder(reference.store),
    )

    repair_reference = RepairReferenceService(database, session=session)
    repair_reference.ensure_seeded()
    repairs = RepairService(
        database, repair_reference, calendar, complaints, clock, session=session
    )
    return Services(
        database=database,
        data_dir=data_dir,
        clock=clock,
        session=session,
        accounts=AccountService(database, session, clock, hasher or PasswordHasher()),
        reference=reference,
        calendar=calendar,
        complaints=complaints,
        escalation=escalation,
        printing=PrintService(complaints, escalation, reference, repairs, session=session),
        repairs=repairs,
        repair_reference=repair_reference,
        backups=backups,
        settings=SystemSettings(database, reference.store, backups, session=session),
    )
