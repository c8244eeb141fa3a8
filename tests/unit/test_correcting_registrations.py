"""Correcting a registration (修改登记): anyone with the CORRECT permission; a clerk only their
own registration, and only while nobody has acted on it yet (Session.require_correct, which
reads the registrar from the audit trail)."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.domain.access import PermissionDeniedError, Role
from app.domain.complaint import Complaint, Status, Urgency, Validity
from app.domain.repair import RepairTicket
from app.paths import DataDir
from app.services import Services
from tests.accounts_support import PASSWORD, open_signed_in, signed_in

RECEIVED = datetime(2026, 11, 20, 9, 30)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def clerk(services: Services, name: str) -> None:
    if services.accounts.store.by_name(name) is None:
        signed_in(services, frozenset({Role.CLERK}), name=name)
    else:
        services.accounts.sign_in(name, PASSWORD)


def test_a_clerk_corrects_their_own_new_complaint_only(services: Services) -> None:
    clerk(services, "前台甲")
    c = services.complaints.register(
        Complaint(
            received_at=RECEIVED, content="楼道灯不亮", urgency=Urgency.URGENT, complainant="张"
        )
    )
    c = services.complaints.correct_intake(dataclasses.replace(c, content="楼道灯不亮，三楼"))
    assert services.complaints.get(c.id or 0).content == "楼道灯不亮，三楼"
    clerk(services, "前台乙")
    with pytest.raises(PermissionDeniedError, match="前台乙.*修改他人的登记"):
        services.complaints.correct_intake(dataclasses.replace(c, content="别人改的"))
    signed_in(services, frozenset({Role.HANDLER}), name="处理人")
    services.complaints.judge(c.id or 0, Validity.VALID, handler="处理人")
    clerk(services, "前台甲")
    with pytest.raises(PermissionDeniedError, match="修改他人的登记"):
        services.complaints.correct_intake(dataclasses.replace(c, content="判定后再改"))
    assert services.complaints.get(c.id or 0).content == "楼道灯不亮，三楼"
    services.accounts.sign_in("处理人", PASSWORD)  # CORRECT: anyone's, after judging too
    fixed = services.complaints.correct_intake(dataclasses.replace(c, content="主管修改"))
    assert fixed.content == "主管修改"


def test_a_clerk_corrects_their_own_new_repair_only(services: Services) -> None:
    clerk(services, "前台甲")
    t = services.repairs.register(
        RepairTicket(reported_at=RECEIVED, description="水龙头漏水", room="3-2-1201")
    )
    t = services.repairs.correct_intake(dataclasses.replace(t, description="厨房水龙头漏水"))
    clerk(services, "前台乙")
    with pytest.raises(PermissionDeniedError, match="修改他人的登记"):
        services.repairs.correct_intake(dataclasses.replace(t, description="别人改的"))
    signed_in(services, frozenset({Role.HANDLER}), name="派工员")
    services.repairs.dispatch(t.id or 0, repairer="孙师傅", at=RECEIVED + timedelta(minutes=5))
    clerk(services, "前台甲")
    with pytest.raises(PermissionDeniedError, match="修改他人的登记"):
        services.repairs.correct_intake(dataclasses.replace(t, description="派工后再改"))
    assert services.repairs.get(t.id or 0).description == "厨房水龙头漏水"


def test_a_complaint_from_before_the_trail_is_corrected_only_by_a_holder_of_correct(
    tmp_path: Path,
) -> None:
    shutil.copy(FIXTURES / "schema_v1.db", tmp_path / "estate.db")
    s = open_signed_in(DataDir(tmp_path), roles=frozenset({Role.CLERK}))  # admin and clerk
    try:
        clerk(s, "前台甲")
        c = s.complaints.get_by_no("TS2026-00002")
        assert (
            c.status == Status.REGISTERED
            and s.complaints.trail.creator("complaints", c.id or 0) is None
        )
        with pytest.raises(PermissionDeniedError, match="修改他人的登记"):
            s.complaints.correct_intake(dataclasses.replace(c, content="改"))
        signed_in(s, frozenset({Role.HANDLER}), name="处理人")
        assert s.complaints.correct_intake(dataclasses.replace(c, content="改")).content == "改"
    finally:
        s.close()
