"""The retention job (保存期限, procedure §8): the rules, then the job on a real database."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from app.db import audit_check
from app.db.audit import PERSONAL
from app.domain.access import PermissionDeniedError, Role
from app.domain.complaint import (
    Complaint,
    Opinion,
    ReplyMethod,
    ReturnVisit,
    Urgency,
    Validity,
)
from app.domain.errors import WorkflowError
from app.domain.listing import ComplaintFilter, Sort
from app.domain.repair import (
    Acceptance,
    NotHomeAction,
    NotHomeVisit,
    RepairTicket,
    RepairVisit,
    Satisfaction,
)
from app.domain.repair_listing import RepairFilter
from app.domain.retention import (
    ANONYMISED_NAME,
    RetentionRecord,
    cutoff,
    is_due,
    mask_mobiles,
    parse_years,
    scrub,
)
from app.services import Services
from app.services.retention import RetentionService, RetentionStopped
from app.store.audit_trail import AuditTrail
from app.store.retention import COMPLAINTS, REPAIRS
from tests.accounts_support import TESTER, signed_in

# tests.conftest.NOW is 2026-11-20 10:00, so with 2 years the cutoff is 2024-11-20 10:00
CUT = datetime(2024, 11, 20, 10, 0)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)

# ----- the rules


@pytest.mark.parametrize(
    ("now", "years", "expected"),
    [
        (datetime(2026, 11, 20, 10, 0), 2, datetime(2024, 11, 20, 10, 0)),
        (datetime(2026, 11, 20, 10, 0, 45), 2, datetime(2024, 11, 20, 10, 0)),  # to the minute
        (datetime(2026, 12, 31, 23, 59), 2, datetime(2024, 12, 31, 23, 59)),  # year end
        (datetime(2027, 1, 1, 0, 0), 2, datetime(2025, 1, 1, 0, 0)),  # new year's midnight
        (datetime(2028, 2, 29, 9, 30), 2, datetime(2026, 2, 28, 9, 30)),  # leap day → 28th
        (datetime(2028, 2, 29, 9, 30), 4, datetime(2024, 2, 29, 9, 30)),  # leap year to leap
        (datetime(2028, 3, 1, 0, 0), 2, datetime(2026, 3, 1, 0, 0)),
        (datetime(2026, 2, 28, 12, 0), 2, datetime(2024, 2, 28, 12, 0)),
        (datetime(2026, 11, 20, 10, 0), 5, datetime(2021, 11, 20, 10, 0)),
    ],
)
def test_cutoff_is_calendar_years_back(now: datetime, years: int, expected: datetime) -> None:
    assert cutoff(now, years) == expected


def record(**kw: Any) -> RetentionRecord:
    fields: dict[str, Any] = dict(
        id=1,
        received_at=datetime(2022, 5, 1, 9, 0),
        closed=True,
        closed_at=CUT - DAY,
        voided_at=None,
        anonymised_at=None,
    )
    return RetentionRecord(**(fields | kw))


@pytest.mark.parametrize(
    ("case", "r", "due"),
    [
        ("closed just outside the period", record(closed_at=CUT - DAY), True),
        ("closed a minute before the cutoff", record(closed_at=CUT - MINUTE), True),
        ("closed exactly at the cutoff", record(closed_at=CUT), False),
        ("closed 1 day inside the period", record(closed_at=CUT + DAY), False),
        ("open, however old", record(closed=False, closed_at=None), False),
        ("reopened: closing time kept, not closed", record(closed=False), False),
        ("closed status without a closing time", record(closed_at=None), False),
        ("already anonymised", record(anonymised_at=CUT), False),
        (
            "voided long ago, never closed",
            record(closed=False, closed_at=None, voided_at=datetime(2022, 5, 2)),
            True,
        ),
        (
            "received long ago, voided inside the period",
            record(closed=False, closed_at=None, voided_at=CUT + DAY),
            False,
        ),
        (
            "voided exactly at the cutoff",
            record(closed=False, closed_at=None, voided_at=CUT),
            False,
        ),
        ("closed long ago, voided inside the period", record(voided_at=CUT + DAY), False),
    ],
)
def test_which_records_are_due(case: str, r: RetentionRecord, due: bool) -> None:
    assert is_due(r, CUT) is due, case


@pytest.mark.parametrize(
    ("text", "years"),
    [("", 2), ("2", 2), (" 3 ", 3), ("５", 5), ("30", 30)],
)
def test_retention_years_setting(text: str, years: int) -> None:
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["1", "0", "-2", "2.5", "两年", "31", "3年"])
def test_retention_years_refused(text: str) -> None:
    with pytest.raises(ValueError, match="保存期限应为 2 到 30 之间的整数年"):
        parse_years(text)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("请回电13812345678谢谢", "请回电138****5678谢谢"),
        ("电话 138 1234 5678", "电话 138****5678"),
        ("+86 138-1234-5678 或 8613912345678", "138****5678 或 139****5678"),
        ("１３８１２３４５６７８", "138****5678"),
        ("甲13812345678乙15900001111", "甲138****5678乙159****1111"),
        ("座机0755-12345678不动", "座机0755-12345678不动"),
        ("单号2024111012345678不动", "单号2024111012345678不动"),
        ("12345678901 不是手机号", "12345678901 不是手机号"),
        ("138****5678", "138****5678"),
        ("1381234567 少一位", "1381234567 少一位"),
        ("", ""),
    ],
)
def test_mobile_numbers_in_free_text(text: str, masked: str) -> None:
    assert mask_mobiles(text) == masked


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("张三家漏水，电话13812345678", "张三", f"{ANONYMISED_NAME}家漏水，电话138****5678"),
        ("王先生说王先生不在", "王先生", f"{ANONYMISED_NAME}说{ANONYMISED_NAME}不在"),
        ("王家楼上漏水", "王", "王家楼上漏水"),  # one character is too common to replace
        ("楼上漏水", "", "楼上漏水"),
        ("楼上漏水", ANONYMISED_NAME, "楼上漏水"),
    ],
)
def test_scrubbing_free_text(text: str, name: str, expected: str) -> None:
    assert scrub(text, name) == expected


def test_the_registers_personal_columns_are_the_trails() -> None:
    for register in (COMPLAINTS, REPAIRS):
        assert {register.name, register.phone} == set(PERSONAL[register.table])


# ----- the job


def closed_complaint(
    services: Services,
    closed_at: datetime,
    *,
    name: str = "张三丰",
    phone: str = "13812345678",
    content: str = "楼上漏水，张三丰请回电13812345678",
    category: str = "维修",
) -> int:
    """An invalid complaint, closed by its reply at `closed_at`."""
    c = services.complaints.register(
        Complaint(
            received_at=closed_at - DAY,
            content=content,
            urgency=Urgency.NOT_URGENT,
            complainant=name,
            phone=phone,
            room="3-2-1201",
            category=category,
        )
    )
    services.complaints.judge(c.id, Validity.INVALID, handler="王主管")
    services.complaints.reply(
        c.id, at=closed_at, method=ReplyMethod.ORAL, content=f"已电话告知{name}"
    )
    return c.id or 0


def open_complaint(services: Services, received_at: datetime) -> int:
    c = services.complaints.register(
        Complaint(
            received_at=received_at,
            content="电梯异响",
            urgency=Urgency.NOT_URGENT,
            complainant="李四",
            phone="13900001111",
            room="5-1-301",
        )
    )
    return c.id or 0


def closed_repair(services: Services, closed_at: datetime, *, name: str = "赵六") -> int:
    r = services.repairs
    t = r.register(
        RepairTicket(
            reported_at=closed_at - 2 * DAY,
            description=f"厨房水龙头漏水，{name}电话15900002222",
            reporter=name,
            phone="15900002222",
            room="7-1-502",
            category="给排水",
        )
    )
    r.dispatch(t.id, repairer="孙师傅", at=t.reported_at + MINUTE)
    r.record_not_home(
        t.id,
        NotHomeVisit(
            t.reported_at + 2 * MINUTE, NotHomeAction.NOTE_LEFT, note="留言请回电15900002222"
        ),
    )
    r.arrive(t.id, closed_at - DAY)
    r.complete(t.id, at=closed_at - DAY + MINUTE, result="已更换", charges=[], chargeable=False)
    r.accept(t.id, Acceptance(closed_at - DAY + 2 * MINUTE, Satisfaction.SATISFIED))
    r.return_visit(t.id, RepairVisit(closed_at, "周敏", Satisfaction.SATISFIED))
    return t.id or 0


def void(services: Services, table: str, record_id: int, at: datetime) -> None:
    with services.database.transaction() as conn:
        conn.execute(
            f"UPDATE {table} SET voided_at = ?, voided_by = '钱主任', "
            "void_reason = '重复登记，业主电话13900001111' "
            "WHERE id = ?",
            (at.isoformat(sep=" ", timespec="minutes"), record_id),
        )


def row(services: Services, table: str, record_id: int) -> dict[str, Any]:
    (found,) = services.database.query(f"SELECT * FROM {table} WHERE id = ?", (record_id,))
    return found


def personal_trail(services: Services, table: str, record_id: int) -> int:
    return int(
        services.database.scalar(
            "SELECT count(*) FROM audit_personal WHERE record_type = ? AND record_id = ?",
            (table, record_id),
        )
    )


def complaint_hits(services: Services, text: str) -> set[int]:
    return set(services.complaints.list_ids(ComplaintFilter(text=text), Sort()))


def repair_hits(services: Services, text: str) -> set[int]:
    return set(services.repairs.list_ids(RepairFilter(text=text), Sort()))


def statistics(services: Services) -> list[tuple[Any, ...]]:
    """What the reports count: by register, category, department, building, status, month."""
    return [
        tuple(r)
        for table, dept, received in (
            ("complaints", "responsible_dept", "received_at"),
            ("repairs", "repairer", "reported_at"),
        )
        for r in services.database.reader().execute(
            f"SELECT '{table}', category, {dept}, substr(room, 1, instr(room, '-')), status, "
            f"substr({received}, 1, 7), substr(closed_at, 1, 7), count(*) FROM {table} "
            "GROUP BY 2, 3, 4, 5, 6, 7 ORDER BY 2, 3, 4, 5, 6, 7"
        )
    ]


@pytest.fixture
def estate(services: Services) -> dict[str, int]:
    """Records on both sides of the cutoff (2024-11-20 10:00 with 2 years)."""
    ids = {
        "outside": closed_complaint(services, CUT - DAY),
        "inside": closed_complaint(services, CUT + DAY),
        "at_cutoff": closed_complaint(
            services, CUT, name="钱七", phone="13700003333", content="钱七家门口积水"
        ),
        "open_old": open_complaint(services, datetime(2020, 3, 2, 9, 0)),
        "voided_old": open_complaint(services, datetime(2022, 6, 1, 9, 0)),
        "voided_recently": open_complaint(services, datetime(2022, 6, 2, 9, 0)),
        "repair_outside": closed_repair(services, datetime(2023, 8, 8, 15, 0)),
        "repair_inside": closed_repair(services, CUT + DAY, name="孙八"),
    }
    void(services, "complaints", ids["voided_old"], datetime(2022, 6, 3, 9, 0))
    void(services, "complaints", ids["voided_recently"], CUT + DAY)
    return ids


def test_preview_then_run_anonymise_only_what_is_due(
    services: Services, estate: dict[str, int]
) -> None:
    job = services.retention
    plan = job.preview()
    assert (plan.cutoff, plan.years, plan.complaints, plan.repairs) == (CUT, 2, 2, 1)
    result = job.run()
    assert (result.cutoff, result.complaints, result.repairs, result.total) == (CUT, 2, 1, 3)
    stamped = {
        name
        for name, record_id in estate.items()
        if row(services, "repairs" if "repair" in name else "complaints", record_id)[
            "anonymised_at"
        ]
    }
    assert stamped == {"outside", "voided_old", "repair_outside"}
    assert job.run().total == 0  # idempotent
    assert job.preview().total == 0


def test_personal_fields_are_gone_from_row_trail_and_search(
    services: Services, estate: dict[str, int]
) -> None:
    old, kept = estate["outside"], estate["inside"]
    assert complaint_hits(services, "张三丰") == {old, kept}
    assert complaint_hits(services, "13812345678") == {old, kept}
    assert personal_trail(services, "complaints", old) > 0
    services.retention.run()
    r = row(services, "complaints", old)
    assert (r["complainant"], r["phone"], r["room"]) == (ANONYMISED_NAME, "", "3-2-1201")
    assert r["content"] == f"楼上漏水，{ANONYMISED_NAME}请回电138****5678"
    assert r["reply_content"] == f"已电话告知{ANONYMISED_NAME}"
    assert r["anonymised_at"] == "2026-11-20 10:00" and r["void_reason"] is None
    voided = row(services, "complaints", estate["voided_old"])
    assert (voided["complainant"], voided["void_reason"]) == (
        ANONYMISED_NAME,
        "重复登记，业主电话139****1111",
    )
    assert personal_trail(services, "complaints", old) == 0
    history = AuditTrail(services.database).history("complaints", old)
    assert all(
        (ch.old, ch.new) == (None, None)
        for entry in history
        for ch in entry.changes
        if ch.column in ("complainant", "phone")
    )
    assert complaint_hits(services, "张三丰") == {kept}
    assert complaint_hits(services, "13812345678") == {kept}
    assert old in complaint_hits(services, "楼上漏水")  # still found by what it was about
    assert old in complaint_hits(services, "已匿名")
    ticket = row(services, "repairs", estate["repair_outside"])
    assert (ticket["reporter"], ticket["phone"]) == (ANONYMISED_NAME, "")
    assert ticket["description"] == f"厨房水龙头漏水，{ANONYMISED_NAME}电话159****2222"
    assert repair_hits(services, "赵六") == set()
    assert repair_hits(services, "15900002222") == {estate["repair_inside"]}
    (note,) = services.database.query(
        "SELECT note FROM repair_not_home WHERE repair_id = ?", (estate["repair_outside"],)
    )
    assert note["note"] == "留言请回电159****2222"


def test_records_inside_their_period_are_not_touched(
    services: Services, estate: dict[str, int]
) -> None:
    kept = {
        name: (row(services, table, estate[name]), personal_trail(services, table, estate[name]))
        for name, table in (
            ("inside", "complaints"),
            ("at_cutoff", "complaints"),
            ("open_old", "complaints"),
            ("voided_recently", "complaints"),
            ("repair_inside", "repairs"),
        )
    }
    services.retention.run()
    for name, (before, trail) in kept.items():
        table = "repairs" if "repair" in name else "complaints"
        assert row(services, table, estate[name]) == before, name
        assert personal_trail(services, table, estate[name]) == trail > 0, name


def test_statistics_and_the_audit_chain_survive(services: Services, estate: dict[str, int]) -> None:
    before = statistics(services)
    assert services.retention.run().total == 3
    assert statistics(services) == before
    report = audit_check.verify(services.database.conn)
    assert report.ok, report.lines()
    (entry,) = services.database.query(
        "SELECT actor, record_type, changes FROM audit_log WHERE action = 'retention'"
    )
    assert entry["actor"] == TESTER and entry["record_type"] == "retention"
    assert entry["changes"] == (
        '{"complaints": 2, "cutoff": "2024-11-20 10:00", "repairs": 1, "years": 2}'
    )
    last_change = services.database.query(
        "SELECT actor FROM audit_log WHERE record_type = 'complaints' AND record_id = ? "
        "ORDER BY seq DESC LIMIT 1",
        (estate["outside"],),
    )
    assert last_change == [{"actor": TESTER}]


def test_past_visit_remarks_are_scrubbed(services: Services) -> None:
    complaints = services.complaints
    closed = CUT - 30 * DAY
    c = complaints.register(
        Complaint(
            received_at=closed - 5 * DAY,
            content="电梯停运",
            urgency=Urgency.NOT_URGENT,
            complainant="周九",
            phone="13600004444",
        )
    )
    complaints.judge(c.id, Validity.VALID, handler="王主管")
    complaints.reply(c.id, at=closed - 4 * DAY, method=ReplyMethod.ORAL, content="已修")
    complaints.return_visit(
        c.id,
        ReturnVisit(closed - 3 * DAY, "周敏", "电话", Opinion.UNSATISFIED, "周九说还坏着"),
    )
    complaints.reply(c.id, at=closed - DAY, method=ReplyMethod.ORAL, content="已更换主板")
    complaints.return_visit(
        c.id, ReturnVisit(closed, "周敏", "电话", Opinion.SATISFIED, "满意，13600004444")
    )
    services.retention.run()
    done = complaints.get(c.id or 0)
    assert done.past_visits[0].remarks == f"{ANONYMISED_NAME}说还坏着"
    assert done.visit is not None and done.visit.remarks == "满意，136****4444"
    assert audit_check.verify(services.database.conn).ok


def test_a_clerk_is_refused_and_nothing_changes(services: Services, estate: dict[str, int]) -> None:
    signed_in(services, frozenset({Role.CLERK}), name="前台小林")
    before = row(services, "complaints", estate["outside"])
    entries = services.database.scalar("SELECT count(*) FROM audit_log")
    for call in (services.retention.run, services.retention.preview, services.retention.years):
        with pytest.raises(PermissionDeniedError, match="系统设置"):
            call()
    assert row(services, "complaints", estate["outside"]) == before
    assert services.database.scalar("SELECT count(*) FROM audit_log") == entries


def test_the_period_comes_from_the_settings(services: Services, estate: dict[str, int]) -> None:
    with services.database.transaction():
        services.reference.store.set_setting("retention_years", "3")
    plan = services.retention.preview()
    # only the voided complaint (2022) and the repair closed 2023-08 are more than 3 years old
    assert (plan.years, plan.cutoff, plan.complaints, plan.repairs) == (
        3,
        datetime(2023, 11, 20, 10, 0),
        1,
        1,
    )
    with services.database.transaction():
        services.reference.store.set_setting("retention_years", "1")
    with pytest.raises(WorkflowError, match="保存期限应为 2 到 30"):
        services.retention.run()
    assert row(services, "complaints", estate["outside"])["anonymised_at"] is None


def test_large_registers_go_a_batch_at_a_time(services: Services) -> None:
    # five due, then four closed long ago but voided inside the period (candidates that are
    # not due, so one page holds nothing due), then one more due, and a repair
    due = [closed_complaint(services, CUT - (i + 1) * DAY, name=f"业主{i}") for i in range(5)]
    for i in range(4):
        kept = closed_complaint(services, CUT - DAY, name=f"住户{i}")
        void(services, "complaints", kept, CUT + (i + 1) * DAY)
    due.append(closed_complaint(services, CUT - 9 * DAY, name="最后一位"))
    closed_repair(services, CUT - DAY)
    job = RetentionService(services.database, services.session, services.retention.clock, batch=2)
    seen: list[tuple[int, int]] = []
    result = job.run(progress=lambda done, total: seen.append((done, total)) or True)
    assert (result.complaints, result.repairs) == (6, 1)
    # at the start, then after each batch (transaction): the running total of the 7 due
    assert seen == [(0, 7), (2, 7), (4, 7), (5, 7), (6, 7), (7, 7)]
    assert all(row(services, "complaints", i)["complainant"] == ANONYMISED_NAME for i in due)
    assert audit_check.verify(services.database.conn).ok


def test_a_stopped_run_keeps_its_finished_batches_and_the_next_run_does_the_rest(
    services: Services,
) -> None:
    due = [closed_complaint(services, CUT - (i + 1) * DAY, name=f"业主{i}") for i in range(5)]
    job = RetentionService(services.database, services.session, services.retention.clock, batch=2)
    with pytest.raises(RetentionStopped, match="已停止：已匿名化投诉 2 条、报修 0 条") as stopped:
        job.run(progress=lambda done, _total: done < 2)  # 取消 pressed after the first batch
    assert (stopped.value.result.complaints, stopped.value.result.repairs) == (2, 0)
    names = [row(services, "complaints", i)["complainant"] for i in due]
    assert names.count(ANONYMISED_NAME) == 2 and "业主4" in names  # the first batch only
    note = (
        services.database.reader()
        .execute(
            "SELECT changes FROM audit_log WHERE action = 'retention' ORDER BY seq DESC LIMIT 1"
        )
        .fetchone()[0]
    )
    assert '"stopped": true' in note and '"complaints": 2' in note
    assert job.run().complaints == 3  # the next run finishes
    assert all(row(services, "complaints", i)["complainant"] == ANONYMISED_NAME for i in due)
    assert audit_check.verify(services.database.conn).ok
