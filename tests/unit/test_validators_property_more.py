"""hypothesis on the validators and importers beyond the complaint register's
(tests/unit/test_validators_property.py): repairs, escalation sheets and notices, account names
and passwords, the repair and household file rows. Every problem comes back as a Chinese
message (ValidationError / WorkflowError, or a row problem), never as another exception, and
a valid record survives save and load unchanged."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import repair_workflow as rwf
from app.domain.access import Role
from app.domain.accounts import name_problem, normalize_name, password_problem
from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.domain.escalation import (
    Level,
    LevelOpinion,
    TransferSheet,
    WorkNotice,
    add_level_opinion,
    complete_sheet,
    validate_notice,
    validate_sheet,
)
from app.domain.repair import RepairChannel, RepairTicket, RepairUrgency
from app.io import repair_columns
from app.services import Services, SignInError
from app.services.households import COLUMNS as HOUSEHOLD_COLUMNS
from app.services.households import parse_household
from tests.accounts_support import PASSWORD

CHINESE = re.compile(r"[\u4e00-\u9fff]")
DAY = date(2026, 11, 20)
AT = datetime(2026, 11, 20, 9, 30)

printable_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
# Any text, with the characters that trip validators up mixed in more often than chance would.
tricky = st.sampled_from(["\x00", "\t", "\n", "\u3000", "\u200b", "\ufeff", "，", ",", " ", "０"])
# … and long texts around the length limits (50, 1,000 and 5,000 characters), built cheaply
long_text = st.builds(lambda ch, n: ch * n, printable_cjk, st.sampled_from([51, 1001, 5001]))
any_text = st.text(st.one_of(st.characters(), tricky), max_size=60) | long_text
cjk = st.text(printable_cjk, min_size=1, max_size=40)
cells = st.one_of(any_text, st.none(), st.integers(), st.floats(), st.datetimes(), st.dates())
runs = settings(max_examples=60, deadline=None)
saves = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def speaks_chinese(errors: list[FieldError], fields: set[str] | None = None) -> None:
    assert errors
    for e in errors:
        assert CHINESE.search(e.message), e.message
        assert fields is None or e.field in fields, e.field


def refused_in_chinese(call: object, fields: set[str] | None = None) -> None:
    """Run `call`; any refusal is a ValidationError or WorkflowError worded in Chinese."""
    try:
        call()  # type: ignore[operator]
    except ValidationError as e:
        speaks_chinese(e.errors, fields)
    except WorkflowError as e:
        assert CHINESE.search(str(e)), str(e)


# ----- repairs

REPAIR_TEXT = ("reporter", "room", "location", "phone", "category", "description")


@runs
@given(st.dictionaries(st.sampled_from(REPAIR_TEXT), any_text), st.booleans())
def test_repair_intake_validation_never_raises_and_speaks_chinese(
    values: dict[str, str], appointment_before: bool
) -> None:
    fields = {"description": "漏水", "room": "3-2-1201"} | values
    appointment = AT + timedelta(hours=-1 if appointment_before else 1)
    t = RepairTicket(reported_at=AT, appointment_at=appointment, **fields)
    errors = rwf.validate_intake(t)
    if errors:
        speaks_chinese(errors, {*REPAIR_TEXT, "reported_at", "appointment_at"})
    refused_in_chinese(lambda: rwf.register(t))
    refused_in_chinese(lambda: rwf.correct_intake(rwf.register(dataclasses.replace(t)), t))


@runs
@given(st.dictionaries(st.sampled_from(repair_columns.COLUMNS), cells))
def test_repair_file_rows_never_raise(row: dict[str, object]) -> None:
    ticket, problems = repair_columns.parse_row(
        row.get, ["给排水", "电气"], lambda no: 7 if no == "TS2026-00001" else None
    )
    assert (ticket is None) == bool(problems)
    for column, message in problems:
        assert column in repair_columns.COLUMNS
        assert CHINESE.search(message), message
    if ticket is not None:
        refused_in_chinese(lambda: rwf.validate_intake(ticket) + rwf.check_consistency(ticket))


@saves
@given(
    description=cjk,
    reporter=st.text(printable_cjk, max_size=8),
    location=st.text(max_size=50).filter(str.isprintable),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 800),
    urgency=st.sampled_from(list(RepairUrgency)),
    channel=st.sampled_from(list(RepairChannel)),
    chargeable=st.booleans(),
)
def test_a_valid_repair_survives_save_and_load(
    services: Services,
    description: str,
    reporter: str,
    location: str,
    minutes: int,
    urgency: RepairUrgency,
    channel: RepairChannel,
    chargeable: bool,
) -> None:
    reported = datetime(2025, 12, 30, 0, 0) + timedelta(minutes=minutes)
    saved = services.repairs.register(
        RepairTicket(
            reported_at=reported,
            description=description,
            reporter=reporter,
            location=location.strip() or "地下车库",
            urgency=urgency,
            channel=channel,
            chargeable=chargeable,
            category="给排水",
        )
    )
    loaded = services.repairs.get(saved.id or 0)
    assert loaded == saved
    assert (loaded.description, loaded.reporter, loaded.location, loaded.reported_at) == (
        description,
        reporter,
        location.strip() or "地下车库",
        reported,
    )


# ----- escalation: 工作传签单 and 工作安排通知单

SHEET_TEXT = ("initiator", "initiator_dept", "subject", "situation", "proposal")
NOTICE_TEXT = ("issuer", "to_dept", "receiver", "content", "requirement", "outcome", "acceptance")


@runs
@given(st.dictionaries(st.sampled_from(SHEET_TEXT), any_text), any_text, any_text, any_text)
def test_sheet_validation_never_raises_and_speaks_chinese(
    values: dict[str, str], opinion: str, signer: str, result: str
) -> None:
    fields = {"initiator": "王", "initiator_dept": "工程部", "subject": "漏水", "situation": "渗水"}
    sheet = TransferSheet(raised_on=DAY, **(fields | values))
    refused_in_chinese(lambda: validate_sheet(sheet), set(SHEET_TEXT))
    signed = LevelOpinion(Level.DEPT_HEAD, opinion, signer, DAY)
    refused_in_chinese(lambda: add_level_opinion(sheet, signed), {"opinion", "signer"})
    one = dataclasses.replace(sheet, levels=[LevelOpinion(Level.DEPT_HEAD, "同意", "李", DAY)])
    refused_in_chinese(
        lambda: complete_sheet(
            one, result=result, customer_reply=opinion, completed_on=DAY, handled_by=signer
        ),
        {"result", "customer_reply", "handled_by"},
    )


@runs
@given(st.dictionaries(st.sampled_from(NOTICE_TEXT), any_text), st.integers(-3, 3))
def test_notice_validation_never_raises_and_speaks_chinese(
    values: dict[str, str], due_in_days: int
) -> None:
    fields = {"issuer": "周", "to_dept": "工程部", "content": "检修水泵"}
    due = datetime(2026, 11, 20, 17, 0) + timedelta(days=due_in_days)
    notice = WorkNotice(issued_on=DAY, due_at=due, **(fields | values))
    refused_in_chinese(lambda: validate_notice(notice), {*NOTICE_TEXT, "due_at"})


@saves
@given(subject=cjk, situation=st.text(max_size=500).filter(str.isprintable), content=cjk)
def test_a_valid_sheet_and_notice_survive_save_and_load(
    services: Services, subject: str, situation: str, content: str
) -> None:
    esc = services.escalation
    sheet = esc.raise_sheet(
        TransferSheet(
            raised_on=DAY,
            initiator="王主管",
            initiator_dept="客服部",
            subject=subject,
            situation=situation.strip() or "说明",
        )
    )
    assert esc.sheet(sheet.id or 0) == sheet
    assert (sheet.subject, sheet.situation) == (subject, situation.strip() or "说明")
    notice = esc.issue_notice(
        WorkNotice(issued_on=DAY, issuer="周经理", to_dept="工程部", content=content)
    )
    assert esc.notice(notice.id or 0) == notice and notice.content == content


# ----- accounts

names = st.text(st.one_of(st.characters(), tricky, st.just("\udcff")), max_size=30)
passwords = st.text(st.one_of(st.characters(), tricky, st.just("\udcff")), max_size=140)


@runs
@given(names, passwords)
def test_account_rules_never_raise_and_speak_chinese(name: str, password: str) -> None:
    for problem in (name_problem(name), password_problem(password, name)):
        if problem is not None:
            speaks_chinese([problem], {"name", "password"})


@saves
@given(name=names, password=passwords)
def test_adding_a_user_accepts_or_refuses_in_chinese_and_the_user_signs_in(
    services: Services, name: str, password: str
) -> None:
    accounts = services.accounts
    admin = accounts.session.name
    try:
        user = accounts.add_user(name, password, [])
    except ValidationError as e:
        speaks_chinese(e.errors, {"name", "password", "roles"})
    else:
        pytest.fail(f"a user without roles was added: {user}")
    try:
        user = accounts.add_user(name, password, [Role.CLERK])
    except ValidationError as e:
        speaks_chinese(e.errors, {"name", "password"})
        return
    assert user.name == normalize_name(name)
    assert accounts.sign_in(name, password).name == user.name
    accounts.sign_in(admin, PASSWORD)


@saves
@given(
    name=st.text(
        st.one_of(printable_cjk, st.sampled_from("abcXYZ019._-ｗ０")), min_size=1, max_size=20
    ),
    password=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=8, max_size=128),
)
def test_a_valid_user_signs_in_with_exactly_what_was_typed(
    services: Services, name: str, password: str
) -> None:
    if len(set(password)) < 3 or password.strip().lower() == normalize_name(name).lower():
        return  # refused, as the test above shows
    accounts, admin = services.accounts, services.session.name
    if accounts.store.by_name(normalize_name(name)) is not None:
        return  # drawn twice
    user = accounts.add_user(name, password, [Role.CLERK])
    assert accounts.sign_in(normalize_name(name), password) == user
    with pytest.raises(SignInError):
        accounts.sign_in(name, password + "x")
    accounts.sign_in(admin, PASSWORD)


# ----- the household register's file rows


@runs
@given(st.dictionaries(st.sampled_from(HOUSEHOLD_COLUMNS), cells))
def test_household_file_rows_never_raise(row: dict[str, object]) -> None:
    household, problems = parse_household(row.get)
    assert (household is None) == bool(problems)
    for column, message in problems:
        assert column in HOUSEHOLD_COLUMNS
        assert CHINESE.search(message), message
    if household is not None:
        assert household.room and household.label


@saves
@given(
    building=st.integers(1, 99),
    unit=st.integers(1, 9),
    room=st.integers(101, 3299),
    owner=st.text(printable_cjk, max_size=6),
    phone=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
)
def test_a_valid_household_survives_save_and_load(
    services: Services, building: int, unit: int, room: int, owner: str, phone: str
) -> None:
    row = {"栋": building, "单元": unit, "房号": room, "业主姓名": owner}
    household, problems = parse_household((row | {"联系电话": phone}).get)
    assert not problems and household is not None
    services.reference.save_households([household])
    assert services.reference.household(household.label) == household
