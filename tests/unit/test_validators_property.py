"""hypothesis feeds the validators and the importer arbitrary text: every problem comes back
as a clear Chinese message, never as an exception, and valid records survive save and load."""

from __future__ import annotations

import re
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import complaint_workflow as wf
from app.domain.complaint import Complaint, Urgency
from app.domain.errors import ValidationError
from app.io.complaint_columns import COLUMNS, parse_row
from app.paths import DataDir
from tests.accounts_support import open_signed_in

CHINESE = re.compile(r"[\u4e00-\u9fff]")
TEXT_FIELDS = (
    "receiver",
    "complainant",
    "room",
    "phone",
    "content",
    "category",
    "request",
    "immediate_reply",
)
any_text = st.text(max_size=300)
cjk_text = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=200
)


@given(st.dictionaries(st.sampled_from(TEXT_FIELDS), any_text))
def test_intake_validation_never_raises_and_speaks_chinese(values: dict[str, str]) -> None:
    fields = {"content": "漏水", "complainant": "张三"} | values
    c = Complaint(received_at=datetime(2026, 11, 20, 9, 30), urgency=Urgency.URGENT, **fields)
    for error in wf.validate_intake(c):
        assert error.field in TEXT_FIELDS
        assert CHINESE.search(error.message), error.message
    try:
        wf.register(c)
    except ValidationError as e:
        assert e.errors and all(CHINESE.search(x.message) for x in e.errors)


@given(
    st.dictionaries(
        st.sampled_from(COLUMNS),
        st.one_of(any_text, st.none(), st.integers(), st.floats(), st.datetimes()),
    )
)
def test_import_row_parsing_never_raises(cells: dict[str, object]) -> None:
    complaint, problems = parse_row(lambda name: cells.get(name), ["维修", "清洁"])
    assert (complaint is None) == bool(problems)
    for column, message in problems:
        assert column in COLUMNS
        assert CHINESE.search(message), message


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=cjk_text,
    complainant=st.text(
        alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=8
    ),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 800),
    urgency=st.sampled_from(list(Urgency)),
    request=st.text(max_size=100).filter(lambda s: s.isprintable()),
)
def test_a_valid_record_survives_save_and_load(
    content: str, complainant: str, minutes: int, urgency: Urgency, request: str
) -> None:
    received = datetime(2025, 12, 30, 0, 0) + timedelta(minutes=minutes)
    c = Complaint(
        received_at=received,
        content=content,
        urgency=urgency,
        complainant=complainant or "某业主",
        request=request,
    )
    with tempfile.TemporaryDirectory() as tmp:
        services = open_signed_in(DataDir(Path(tmp)), clock=lambda: received)
        try:
            saved = services.complaints.register(c)
            loaded = services.complaints.get(saved.id or 0)
            assert loaded == saved
            assert (loaded.content, loaded.complainant, loaded.request) == (
                content,
                complainant or "某业主",
                request,
            )
        finally:
            services.close()
