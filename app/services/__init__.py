"""The use cases the UI and the command line call. `open_services` wires them to one database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db.connection import Database, open_database
from app.db.errors import StorageError
from app.db.guard import AlreadyRunningError, FolderGuard, LocationRefusedError, open_guard
from app.db.migrations import DatabaseTooNewError
from app.paths import DataDir
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
from app.store.reference import Household, StaffMember

__all__ = [
    "AlreadyRunningError",
    "DatabaseTooNewError",
    "FolderGuard",
    "LocationRefusedError",
    "StorageError",
    "open_guard",
    "Household",
    "OfficeSettings",
    "Services",
    "StaffMember",
    "open_services",
]


@dataclass
class Services:
    database: Database
    data_dir: DataDir
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

    def close(self) -> None:
        self.database.close()


def open_services(data_dir: DataDir, clock: Clock = system_clock) -> Services:
    """Open (creating and migrating if needed) the data folder's database."""
    data_dir.ensure()
    database = open_database(data_dir.database)
    reference = ReferenceService(database)
    reference.ensure_seeded()
    calendar = CalendarService(database)
    complaints = ComplaintService(database, calendar, clock)
    escalation = EscalationService(database, complaints, clock)
    backups = BackupService(database, data_dir, clock, second_folder=_second_folder(reference))

    def before_import() -> None:
        backups.backup_now("before-import")

    repair_reference = RepairReferenceService(database)
    repair_reference.ensure_seeded()
    repairs = RepairService(database, repair_reference, calendar, complaints, clock)
    return Services(
        database=database,
        data_dir=data_dir,
        reference=reference,
        calendar=calendar,
        complaints=complaints,
        escalation=escalation,
        exchange=ComplaintExchange(database, complaints, reference, before_import),
        households=HouseholdImport(reference, before_import),
        printing=PrintService(complaints, escalation, reference, repairs),
        repairs=repairs,
        repair_reference=repair_reference,
        repair_exchange=RepairExchange(database, repairs, complaints, before_import),
        backups=backups,
    )


SECOND_BACKUP_FOLDER = "backup_second_folder"


def _second_folder(reference: ReferenceService) -> Path | None:
    """The office's second backup folder (e.g. a USB drive), when one is set."""
    folder = reference.store.setting(SECOND_BACKUP_FOLDER)
    return Path(folder) if folder else None
