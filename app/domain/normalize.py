"""Forgiving input: what clerks type and what imported files contain.

Full-width characters (全角) are folded to ASCII first, so every parser here accepts
``２０２６－１１－２２ ９：３０`` as readily as ``2026-11-22 09:30``. Parsers raise ``ValueError``
with a Chinese message fit to show to the clerk as it is.
"""

from __future__ import annotations

import re
from datetime import date, datetime

# Full-width ASCII block (！ .. ～) maps onto ASCII by a fixed offset; 　 (U+3000) is a space.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20
# Dash look-alikes that clerks paste into phone numbers and room numbers.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"))

DATETIME_EXAMPLE = "2026-11-22 09:30"
MIN_YEAR = 1900
MAX_YEAR = 2100

_DATE = (
    r"(?:(?P<y1>[0-9]{4})(?P<sep>[-/.])(?P<m1>[0-9]{1,2})(?P=sep)(?P<d1>[0-9]{1,2})"
    r"|(?P<y2>[0-9]{4}) ?年 ?(?P<m2>[0-9]{1,2}) ?月 ?(?P<d2>[0-9]{1,2}) ?[日号]?"
    r"|(?P<y3>[0-9]{4})(?P<m3>[0-9]{2})(?P<d3>[0-9]{2}))"
)
_TIME = (
    r"(?:(?P<h1>[0-9]{1,2}):(?P<i1>[0-9]{2})(?::(?P<s1>[0-9]{2}))?"
    r"|(?P<h2>[0-9]{1,2}) ?[时点] ?(?:(?P<half>半)|(?P<i2>[0-9]{1,2}) ?分?"
    r"(?: ?(?P<s2>[0-9]{1,2}) ?秒)?)?"
    r"|(?P<h3>[0-9]{2})(?P<i3>[0-9]{2})(?P<s3>[0-9]{2})?)"
)
_DATETIME = re.compile(rf"{_DATE}(?:(?: |T|(?<=[日号]) ?){_TIME})?")


def to_halfwidth(s: str) -> str:
    """全角转半角: full-width digits, letters, punctuation and space become ASCII."""
    return s.translate(_HALFWIDTH)


def _clean(s: str) -> str:
    """Half-width, dashes unified, runs of any whitespace collapsed to one space, trimmed."""
    return " ".join(to_halfwidth(s).translate(_DASHES).split())


def _shown(value: str, limit: int = 40) -> str:
    value = value.strip()
    return value if len(value) <= limit else value[:limit] + "…"


def parse_datetime(value: object) -> datetime:
    """Read a date-time as typed or as found in a file cell.

    Accepts ``datetime`` / ``date`` objects (a date means 00:00) and text such as
    ``2026-11-22 09:30``, ``2026/11/22 9:30:15``, ``2026.11.22 9:30``, ``2026-11-22T09:30``,
    ``2026年11月22日 9时30分``, ``2026年11月22日9:30``, ``2026年11月22日 9点半``,
    ``20261122 0930`` and any of these as a date alone (00:00), in full-width too.
    Seconds are kept when given. Anything else raises ``ValueError``.
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueError(f"无法识别的日期时间：{_shown(str(value))}（示例：{DATETIME_EXAMPLE}）")
    text = _clean(value)
    if not text:
        raise ValueError(f"日期时间不能为空（示例：{DATETIME_EXAMPLE}）")
    m = _DATETIME.fullmatch(text)
    if m is None:
        raise ValueError(f"无法识别的日期时间：{_shown(value)}（示例：{DATETIME_EXAMPLE}）")
    g = m.groupdict()
    form = next(i for i in "123" if g[f"y{i}"] is not None)
    y, mo, d = int(g["y" + form]), int(g["m" + form]), int(g["d" + form])
    try:
        day = date(y, mo, d)
    except ValueError:
        raise ValueError(f"日期不存在：{y:04d}-{mo:02d}-{d:02d}") from None
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(f"年份超出范围（{MIN_YEAR}–{MAX_YEAR}）：{_shown(value)}")
    hour = minute = second = 0
    for i in "123":
        if g[f"h{i}"] is not None:
            hour = int(g[f"h{i}"])
            minute = 30 if i == "2" and g["half"] else int(g[f"i{i}"] or 0)
            second = int(g[f"s{i}"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        shown = f"{hour:02d}:{minute:02d}" + (f":{second:02d}" if second else "")
        raise ValueError(f"时间不存在：{shown}")
    return datetime(day.year, day.month, day.day, hour, minute, second)


def parse_optional_datetime(value: object) -> datetime | None:
    """Like :func:`parse_datetime`, but ``None`` and blank text mean "not given"."""
    if value is None or (isinstance(value, str) and not _clean(value)):
        return None
    return parse_datetime(value)


# --- 联系电话 -----------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_EXTENSION = re.compile(r"(?:转|轉|分机|ext\.?|x|#) ?([0-9]{1,6})$", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"\+?[0-9 ()\-]+")


def _base_phone(digits: str, international: bool) -> str | None:
    """Canonical mobile or landline for a run of digits, else None."""
    if _MOBILE.fullmatch(digits):
        return digits
    if international:
        digits = "0" + digits
    if digits.startswith("0"):
        area_len = 3 if digits[1:2] in ("1", "2") else 4
        area, local = digits[:area_len], digits[area_len:]
        if 7 <= len(local) <= 8 and local[0] != "0":
            return f"{area}-{local}"
        return None
    if 7 <= len(digits) <= 8 and digits[0] != "0":
        return digits
    return None


def _split_prefix(digits: str) -> tuple[str, bool]:
    """Strip a +86 / 0086 / 86 country prefix; True when one was stripped."""
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix) :], True
    if digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        return digits[2:], True
    return digits, False


def normalize_phone(s: str) -> str:
    """联系电话 in one canonical form; empty stays empty.

    Mobiles become 11 digits (``13812345678``), with spaces, dashes and a +86/86 prefix removed.
    Landlines become ``0755-12345678`` (area code 3 digits for 010/02x, else 4) or a bare 7–8 digit
    local number; an extension (``-801``, ``转801``, ``分机801``, ``ext 801``) is kept as ``转801``.
    Anything else raises ``ValueError("联系电话格式不对：…")``.
    """
    text = _clean(s)
    if not text:
        return ""
    if "*" in text:
        raise ValueError(f"联系电话格式不对：{_shown(s)} 是隐去中间数字的号码，请填写完整号码")
    extension = ""
    m = _EXTENSION.search(text)
    if m is not None:
        extension, text = m.group(1), text[: m.start()].strip()
    tokens = [t for t in re.split(r"[ ()\-]+", text) if t] if _PHONE_CHARS.fullmatch(text) else []
    base = _phone_from_tokens(tokens)
    # "0755-12345678-801": the last group is an extension when the rest is a landline
    # (but "138-1234-567" is a mobile one digit short, not 1381234 with extension 567).
    ext_ok = len(tokens) >= 2 and len(tokens[-1]) <= 6 and not tokens[0].startswith("1")
    if base is None and not extension and ext_ok:
        base, extension = _phone_from_tokens(tokens[:-1]), tokens[-1]
    if base is None or (extension and _MOBILE.fullmatch(base)):
        raise ValueError(f"联系电话格式不对：{_shown(s)}（手机号11位，座机如 0755-12345678）")
    return f"{base}转{extension}" if extension else base


def _phone_from_tokens(tokens: list[str]) -> str | None:
    digits, international = _split_prefix("".join(tokens))
    return _base_phone(digits, international) if digits.isdigit() else None


def mask_phone(s: str) -> str:
    """Hide the middle of a phone number for printing and export.

    Mobiles show the first 3 and last 4 digits (``138****5678``). Landlines show the first 4 and
    the last 2 digits of the number, separators kept (``0755-******78``, ``010-1*****78``,
    ``1234**78``); an extension is shown as it is. Text that is not a valid number has every digit
    but the last 2 hidden.
    """
    if not _clean(s):
        return ""
    try:
        phone = normalize_phone(s)
    except ValueError:
        phone = _clean(s)
        total = sum(c.isdigit() for c in phone)
        return _mask_digits(phone, keep_head=0, keep_tail=min(2, total))
    if _MOBILE.fullmatch(phone):
        return phone[:3] + "****" + phone[7:]
    number, sep, extension = phone.partition("转")
    return _mask_digits(number, keep_head=4, keep_tail=2) + sep + extension


def _mask_digits(text: str, keep_head: int, keep_tail: int) -> str:
    total = sum(c.isdigit() for c in text)
    out: list[str] = []
    seen = 0
    for c in text:
        if c.isdigit():
            seen += 1
            out.append(c if seen <= keep_head or seen > total - keep_tail else "*")
        else:
            out.append(c)
    return "".join(out)


# --- 房号 ---------------------------------------------------------------------

_BUILDING = r"(?P<b>[A-Z]?[0-9]+|[A-Z])"
_ROOM = r"(?P<r>[0-9]+[A-Z]?)"
_ROOM_FORMS = (
    re.compile(
        rf"{_BUILDING} ?(?:号楼|栋|幢|座|号) ?(?:(?P<u>[0-9]+) ?单元 ?)?{_ROOM} ?(?:室|房|号)?"
    ),
    re.compile(rf"{_BUILDING} ?- ?(?:(?P<u>[0-9]+) ?- ?)?{_ROOM} ?(?:室|房|号)?"),
)


def normalize_room(s: str) -> str:
    """房号 as ``栋-单元-房`` (``3-2-1201``), or ``栋-房`` for a building without units.

    Accepts ``3栋2单元1201``, ``3幢2单元1201室``, ``3号楼2单元1201``, ``3-2-1201``, full-width
    ``３－２－１２０１``. Leading zeros of building and unit are dropped; the room is kept as
    typed. Text that is not room-shaped (``北门岗亭``) comes back trimmed but otherwise unchanged,
    since rooms are free text while the household register is empty.
    """
    text = _clean(s).upper()
    for form in _ROOM_FORMS:
        m = form.fullmatch(text)
        if m is not None:
            building = str(int(m["b"])) if m["b"].isdigit() else m["b"]
            parts = [building] + ([str(int(m["u"]))] if m["u"] else []) + [m["r"]]
            return "-".join(parts)
    return s.strip()
