"""Writing a register's export file with the phone numbers as the user may take them away.

Every export hides the middle of each phone number (138****5678) unless whole numbers are asked
for; only a holder of Permission.UNMASK (管理处主任/经理) may ask, and such an export is noted in
the audit trail (action ``export_unmasked``) in the same transaction as the file is written.
A masked number is refused by every importer, so a masked export never comes back in as data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from app.db.connection import Database
from app.domain.access import Permission
from app.domain.normalize import mask_phone
from app.io.tabular import write_table
from app.services.progress import Progress, counted
from app.services.session import Session
from app.store.audit_trail import AuditTrail

UNMASKED_EXPORT = "export_unmasked"

PhoneShown = Callable[[str], str]
Rows = Callable[[PhoneShown], Iterable[Sequence[object]]]


def whole(phone: str) -> str:
    return phone


def write_export(
    session: Session,
    database: Database,
    path: Path,
    columns: Sequence[str],
    rows: Rows,
    *,
    subject: str,
    unmasked: bool,
    total: int = 0,
    progress: Progress | None = None,
) -> int:
    """Write `rows(phone)` under `columns` to `path`; the number of records written.

    `subject` names the register in the audit entry ("complaints", "repairs"). A refused
    unmasked export raises PermissionDeniedError before anything is written. `progress` hears
    of every hundred of the `total` rows; cancelled (JobCancelled), the file is not written.
    """
    if not unmasked:
        return write_table(path, columns, counted(rows(mask_phone), total, progress))
    session.require(Permission.UNMASK)
    written = False
    try:
        with database.transaction():
            count = write_table(path, columns, counted(rows(whole), total, progress))
            written = True
            details: dict[str, object] = {
                "file": str(path),
                "rows": count,
                "format": path.suffix.lstrip(".").lower(),
            }
            AuditTrail(database).note(UNMASKED_EXPORT, subject, details)
    except BaseException:
        if written:  # no file of whole numbers without its audit entry
            path.unlink(missing_ok=True)
        raise
    return count
