"""Phone numbers in exports (PIPL): masked for everyone by default, whole only for a 管理处主任/经理
who asks, and then noted in the audit trail; a masked export cannot come back in as data."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.db.audit_check import verify
from app.domain.access import PermissionDeniedError, Role
from app.domain.complaint import Complaint, Urgency
from app.domain.normalize import mask_phone, normalize_phone
from app.domain.repair import RepairTicket
from app.io.tabular import read_table
from app.paths import DataDir
from app.services import Services
from app.services.importing import ImportFailedError
from app.store.audit_trail import AuditTrail
from tests.accounts_support import open_signed_in, signed_in

AT = datetime(2026, 11, 20, 9, 0)
PHONES = ["13812345678", "0755-12345678", ""]
WHOLE = PHONES
MASKED = ["138****5678", "0755-******78", ""]
HANDLER, MANAGER, CLERK = (frozenset({r}) for r in (Role.HANDLER, Role.MANAGER, Role.CLERK))
REGISTERS = ["complaints", "repairs"]
FORMATS = [".csv", ".xlsx"]


def exchange(s: Services, register: str) -> Any:
    return s.exchange if register == "complaints" else s.repair_exchange


@pytest.fixture
def office(services: Services) -> Services:
    """Three complaints and three repair tickets: a mobile, a landline and no phone."""
    for i, phone in enumerate(PHONES):
        room = f"3-2-120{i}"
        services.complaints.register(
            Complaint(
                received_at=AT,
                content="楼道灯不亮",
                urgency=Urgency.NOT_URGENT,
                complainant=f"住户{i}",
                room=room,
                phone=phone,
            )
        )
        services.repairs.register(
            RepairTicket(reported_at=AT, description="水龙头漏水", room=room, phone=phone)
        )
    return services


def phones_in(path: Path) -> list[str]:
    return [str(row.values.get("联系电话") or "") for row in read_table(path).rows]


def unmasked_notes(s: Services) -> list[dict[str, Any]]:
    return s.database.query(
        "SELECT actor, record_type, changes FROM audit_log WHERE action = 'export_unmasked'"
    )


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("roles", [HANDLER, MANAGER], ids=["handler", "manager"])
def test_an_export_masks_the_phones_for_everyone_by_default(
    office: Services, tmp_path: Path, register: str, suffix: str, roles: frozenset[Role]
) -> None:
    signed_in(office, roles)
    out = tmp_path / f"out{suffix}"
    assert exchange(office, register).export_file(out) == 3
    assert phones_in(out) == MASKED
    assert unmasked_notes(office) == []


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("register", REGISTERS)
def test_a_manager_may_export_whole_numbers_and_it_is_audited(
    office: Services, tmp_path: Path, register: str, suffix: str
) -> None:
    signed_in(office, MANAGER, name="王经理")
    out = tmp_path / f"全部{suffix}"
    assert exchange(office, register).export_file(out, unmasked=True) == 3
    assert phones_in(out) == WHOLE
    [note] = unmasked_notes(office)
    assert (note["actor"], note["record_type"]) == ("王经理", register)
    assert json.loads(note["changes"]) == {
        "file": str(out),
        "rows": 3,
        "format": suffix.lstrip("."),
    }
    assert verify(office.database.conn).ok  # the note is part of the hash chain


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize(
    ("roles", "unmasked"),
    [(HANDLER, True), (CLERK, False), (CLERK, True)],
    ids=["handler-whole", "clerk", "clerk-whole"],
)
def test_a_refused_export_writes_nothing(
    office: Services, tmp_path: Path, register: str, roles: frozenset[Role], unmasked: bool
) -> None:
    signed_in(office, roles)
    out = tmp_path / "out.csv"
    out.write_text("上次导出的文件", encoding="utf-8")
    with pytest.raises(PermissionDeniedError):
        exchange(office, register).export_file(out, unmasked=unmasked)
    assert out.read_text(encoding="utf-8") == "上次导出的文件"
    assert unmasked_notes(office) == []


def test_no_file_of_whole_numbers_is_left_without_its_audit_entry(
    office: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_note(*_args: object, **_kw: object) -> None:
        raise RuntimeError("audit entry not written")

    monkeypatch.setattr(AuditTrail, "note", failing_note)
    out = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError):
        office.exchange.export_file(out, unmasked=True)
    assert not out.exists()
    assert unmasked_notes(office) == []


@pytest.mark.parametrize("register", REGISTERS)
def test_a_masked_export_is_refused_on_import_row_by_row(
    office: Services, tmp_path: Path, register: str
) -> None:
    out = tmp_path / "masked.xlsx"
    exchange(office, register).export_file(out)
    other = open_signed_in(DataDir(tmp_path / "other"), clock=office.complaints.clock)
    try:
        with pytest.raises(ImportFailedError) as e:
            exchange(other, register).import_file(out)
        found = {p.line: p.message for p in e.value.report.problems if p.column == "联系电话"}
        assert sorted(found) == [2, 3]  # the rows that had a phone, each named
        assert "138****5678" in found[2] and "0755-******78" in found[3]
        assert other.database.scalar(f"SELECT count(*) FROM {register}") == 0
    finally:
        other.close()


@pytest.mark.parametrize(
    "phone",
    ["13812345678", "0755-12345678", "010-87654321", "87654321", "0755-12345678转123"],
)
def test_a_masked_number_never_reads_as_a_phone(phone: str) -> None:
    masked = mask_phone(phone)
    assert "*" in masked
    with pytest.raises(ValueError, match="联系电话"):
        normalize_phone(masked)
