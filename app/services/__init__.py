"""The use cases the UI and the command line call. `open_services` wires them to one database."""

from __future__ import annotations

from dataclasses import dataclass

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
from app.services.complaint_exchange import ComplaintExchange
from app.services.complaints import ComplaintService
from app.services.escalation import EscalationService
from app.services.households import HouseholdImport
from app.services.printing import PrintService
from app.services.reference import OfficeSettings, ReferenceService
from app.services.repair_exchange import RepairExchange
from app.services.repair_reference import RepairReferenceService
from app.services.repairs import RepairService
from app.services.retention import RetentionService
from app.services.session import Session
from app.services.settings import SystemSettings, stored_second_folder
from app.store.reference import Household, StaffMember

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
    session: Session
    accounts: AccountService
    reference: ReferenceService
    calendar: CalendarService
    complaints: ComplaintService
    escalation: EscalationService
    exchange: ComplaintExchange
    households: HouseholdImport
    printing: PrintService
    repairs: RepairService
    repair_reference: RepairReferenceService
    repair_exchange: RepairExchange
    backups: BackupService
    settings: SystemSettings
    retention: RetentionService

    def close(self) -> None:
        self.database.close()


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

    def before_import() -> None:
        backups.backup_now("before-import")

    repair_reference = RepairReferenceService(database, session=session)
    repair_reference.ensure_seeded()
    repairs = RepairService(
        database, repair_reference, calendar, complaints, clock, session=session
    )
    return Services(
        database=database,
        data_dir=data_dir,
        session=session,
        accounts=AccountService(database, session, clock, hasher or PasswordHasher()),
        reference=reference,
        calendar=calendar,
        complaints=complaints,
        escalation=escalation,
        exchange=ComplaintExchange(database, complaints, reference, before_import, session=session),
        households=HouseholdImport(reference, before_import, session=session),
        printing=PrintService(complaints, escalation, reference, repairs, session=session),
        repairs=repairs,
        repair_reference=repair_reference,
        repair_exchange=RepairExchange(
            database, repairs, complaints, before_import, session=session
        ),
        backups=backups,
        settings=SystemSettings(database, reference.store, backups, session=session),
        retention=RetentionService(database, session, clock),
    )
