"""Forgiving input: full-width text, date-times, phone numbers, room numbers."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.normalize import (
    mask_phone,
    normalize_phone,
    normalize_room,
    parse_datetime,
    parse_optional_datetime,
    to_halfwidth,
)

DT = datetime(2026, 11, 22, 9, 30)
MIDNIGHT = datetime(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("０１２３４５６７８９", "0123456789"),
        ("ＡＢＣｘｙｚ", "ABCxyz"),
        ("２０２６－１１／２２　９：３０", "2026-11/22 9:30"),
        ("（０７５５）", "(0755)"),
        ("北门岗亭", "北门岗亭"),
        ("", ""),
    ],
)
def test_to_halfwidth(text: str, expected: str) -> None:
    assert to_halfwidth(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-22 09:30", DT),
        ("2026-11-22 9:30", DT),
        ("2026-11-22 9:30:15", DT.replace(second=15)),
        ("2026/11/22 9:30", DT),
        ("2026.11.22 9:30", DT),
        ("2026-11-22T09:30", DT),
        ("2026-11-22T09:30:15", DT.replace(second=15)),
        ("2026年11月22日 9时30分", DT),
        ("2026年11月22日9:30", DT),
        ("2026年11月22日 9点30", DT),
        ("2026年11月22日 9点30分", DT),
        ("2026年11月22日 9点半", DT),
        ("2026年11月22日 9点", DT.replace(minute=0)),
        ("2026年11月22日 9时30分15秒", DT.replace(second=15)),
        ("2026 年 11 月 22 日 9 点 30 分", DT),
        ("2026年11月22号 9:30", DT),
        ("20261122 0930", DT),
        ("20261122 093015", DT.replace(second=15)),
        ("2026-11-22 23:59", datetime(2026, 11, 22, 23, 59)),
        ("2026-1-2 0:05", datetime(2026, 1, 2, 0, 5)),
        # date only → 00:00
        ("2026-11-22", MIDNIGHT),
        ("2026/11/22", MIDNIGHT),
        ("2026.11.22", MIDNIGHT),
        ("2026年11月22日", MIDNIGHT),
        ("20261122", MIDNIGHT),
        # full-width, odd spacing
        ("２０２６－１１－２２　０９：３０", DT),
        ("２０２６年１１月２２日　９点半", DT),
        ("  2026-11-22   09:30 \t", DT),
        ("2026-11-22\u00a009:30", DT),
        # cell objects
        (DT, DT),
        (date(2026, 11, 22), MIDNIGHT),
        (datetime(2026, 2, 28, 8, 0, 5), datetime(2026, 2, 28, 8, 0, 5)),
        ("2028-02-29 12:00", datetime(2028, 2, 29, 12, 0)),
    ],
)
def test_parse_datetime(value: str | date, expected: datetime) -> None:
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "日期不存在：2026-02-30"),
        ("2026-2-29 10:00", "日期不存在：2026-02-29"),
        ("2026年13月1日", "日期不存在：2026-13-01"),
        ("2026-11-22 25:00", "时间不存在：25:00"),
        ("2026-11-22 24:00", "时间不存在：24:00"),
        ("2026-11-22 9:60", "时间不存在：09:60"),
        ("2026-11-22 9:30:61", "时间不存在：09:30:61"),
        ("0202-11-22", "年份超出范围"),
        ("昨天下午", "无法识别的日期时间：昨天下午（示例：2026-11-22 09:30）"),
        ("2026-11/22 9:30", "无法识别的日期时间：2026-11/22 9:30"),
        ("22/11/2026", "无法识别的日期时间"),
        ("26-11-22", "无法识别的日期时间"),
        ("2026-11-22 930", "无法识别的日期时间"),
        ("2026-11-229:30", "无法识别的日期时间"),
        ("", "日期时间不能为空"),
        ("   ", "日期时间不能为空"),
        (46000, "无法识别的日期时间：46000"),
        (None, "无法识别的日期时间：None"),
    ],
)
def test_parse_datetime_rejects(value: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_datetime(value)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("　 ", None), ("2026-11-22 09:30", DT), (DT, DT)],
)
def test_parse_optional_datetime(value: object, expected: datetime | None) -> None:
    assert parse_optional_datetime(value) == expected


def test_parse_optional_datetime_still_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="无法识别"):
        parse_optional_datetime("下周")


@given(st.text(max_size=40))
def test_parse_datetime_only_raises_value_error(text: str) -> None:
    try:
        result = parse_datetime(text)
    except ValueError:
        return
    assert isinstance(result, datetime)


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31, 23, 59)))
def test_parse_datetime_round_trips(dt: datetime) -> None:
    expected = dt.replace(second=0, microsecond=0)
    assert parse_datetime(dt.strftime("%Y-%m-%d %H:%M")) == expected
    assert parse_datetime(to_fullwidth(dt.strftime("%Y-%m-%d %H:%M"))) == expected


def to_fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in s)


@pytest.mark.parametrize(
    ("text", "expected", "masked"),
    [
        ("13812345678", "13812345678", "138****5678"),
        ("138 1234 5678", "13812345678", "138****5678"),
        ("138-1234-5678", "13812345678", "138****5678"),
        ("１３８－１２３４－５６７８", "13812345678", "138****5678"),
        ("+86 138 1234 5678", "13812345678", "138****5678"),
        ("+86-13812345678", "13812345678", "138****5678"),
        ("8613812345678", "13812345678", "138****5678"),
        ("0086 13812345678", "13812345678", "138****5678"),
        ("19912345678", "19912345678", "199****5678"),
        ("0755-12345678", "0755-12345678", "0755-******78"),
        ("075512345678", "0755-12345678", "0755-******78"),
        ("(0755) 1234 5678", "0755-12345678", "0755-******78"),
        ("0755 2345678", "0755-2345678", "0755-*****78"),
        ("010-12345678", "010-12345678", "010-1*****78"),
        ("02112345678", "021-12345678", "021-1*****78"),
        ("+86 755 12345678", "0755-12345678", "0755-******78"),
        ("12345678", "12345678", "1234**78"),
        ("2345678", "2345678", "2345*78"),
        ("0755-12345678-801", "0755-12345678转801", "0755-******78转801"),
        ("0755-12345678转801", "0755-12345678转801", "0755-******78转801"),
        ("0755-12345678 分机 801", "0755-12345678转801", "0755-******78转801"),
        ("0755-12345678 ext.801", "0755-12345678转801", "0755-******78转801"),
        ("", "", ""),
        ("  ", "", ""),
    ],
)
def test_normalize_and_mask_phone(text: str, expected: str, masked: str) -> None:
    assert normalize_phone(text) == expected
    assert mask_phone(text) == masked
    assert normalize_phone(expected) == expected  # canonical form is stable


@pytest.mark.parametrize(
    "text",
    [
        "1381234567",  # a digit short
        "138123456789",  # a digit too many
        "12812345678",  # no 12x mobiles
        "138-1234-567",  # not "1381234 转567"
        "13812345678转8",  # mobiles have no extension
        "0755-0123456",  # local numbers do not start with 0
        "0755-123456",  # too short
        "12345",
        "+852 9123 4567",  # only mainland numbers
        "138abc45678",
        "张先生",
    ],
)
def test_normalize_phone_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=f"^联系电话格式不对：{re.escape(text)}"):
        normalize_phone(text)


@pytest.mark.parametrize(
    ("text", "masked"),
    [("12345", "***45"), ("张先生", "张先生"), ("138-1234-567", "***-****-*67")],
)
def test_mask_phone_of_invalid_text_hides_all_but_last_two_digits(text: str, masked: str) -> None:
    assert mask_phone(text) == masked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3栋2单元1201", "3-2-1201"),
        ("3-2-1201", "3-2-1201"),
        ("３－２－１２０１", "3-2-1201"),
        ("3幢2单元1201室", "3-2-1201"),
        ("3号楼2单元1201", "3-2-1201"),
        ("3座 2单元 1201房", "3-2-1201"),
        (" 3 - 2 - 1201 ", "3-2-1201"),
        ("3—2—1201", "3-2-1201"),
        ("03-02-0801", "3-2-0801"),
        ("A栋2单元1201", "A-2-1201"),
        ("a-2-1201", "A-2-1201"),
        ("3栋1201", "3-1201"),
        ("12-1201A", "12-1201A"),
        ("北门岗亭", "北门岗亭"),
        ("  地下车库B区  ", "地下车库B区"),
        ("3栋楼顶", "3栋楼顶"),
        ("", ""),
    ],
)
def test_normalize_room(text: str, expected: str) -> None:
    assert normalize_room(text) == expected
