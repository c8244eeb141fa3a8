"""Header-row tables in CSV and XLSX: the one reader and writer behind every register's
import and export (complaints now, repairs and households later).

Reading gives a `Table`: the cleaned header names and the non-empty rows, each with the row
number the user sees in Excel (header = 1), so an import can say "第 12 行：…" and be right.
CSV cells come back as `str`; XLSX cells keep their types (datetime, int, float, str, None …).

Writing makes files that open right in Excel on a Chinese Windows: CSV is UTF-8 with a BOM
and CRLF line ends; XLSX has a bold, frozen header row, real datetimes and fitted columns.
Text that Excel would take as a formula (= + - @, tab, CR) is never written as one: CSV gets a
leading apostrophe (removed again when we read it back), XLSX gets a plain text cell.
Files are written to a temporary file beside the target and swapped in with `os.replace`.

Every problem the user can fix is a `TableError` with a Chinese message ready to show.
No Qt and no database here.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from app.io.atomic import atomic_file

# openpyxl is imported by the functions that read or write a workbook (it takes a while to
# load, and the window starts without it). Its ILLEGAL_CHARACTERS_RE and ERROR_CODES:
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_ERROR_VALUES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")

__all__ = [
    "ColumnMap",
    "Table",
    "TableError",
    "TableRow",
    "match_columns",
    "read_table",
    "write_table",
]

CSV_SUFFIX = ".csv"
XLSX_SUFFIX = ".xlsx"

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"

# A text cell starting with one of these is taken as a formula by Excel or LibreOffice.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CSV_DELIMITERS = (",", "\t", ";")  # in order of preference when a header is ambiguous
_CHUNK = 1 << 20
_WIDTH_SAMPLE_ROWS = 200
_MIN_WIDTH = 6
_MAX_WIDTH = 50
_HEADER_JUNK = {0xFEFF: None, 0x200B: None}  # BOM, zero-width space
_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "(", "〕": ")"})


class TableError(Exception):
    """A problem with the user's file; the message is Chinese and ready to show."""


@dataclass(frozen=True, slots=True)
class TableRow:
    """One non-empty data row.

    `line` is the row number as Excel shows it (header = 1). For a CSV file it is the record
    number, which is also the text-editor line unless a quoted cell spans several lines.
    """

    line: int
    values: dict[str, object]


@dataclass(slots=True)
class Table:
    headers: list[str]
    rows: list[TableRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """How a file's headers line up with the columns a register knows.

    `columns` maps each known column found to the header as written in the file; `unknown`
    lists the file's headers that match nothing (the caller may warn that they are ignored);
    `missing` lists known, optional columns the file lacks.
    """

    columns: dict[str, str]
    unknown: list[str]
    missing: list[str]

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def get(self, row: TableRow, name: str, default: object = None) -> object:
        """The row's cell for the known column `name`; `default` if the file lacks it."""
        header = self.columns.get(name)
        if header is None:
            return default
        return row.values.get(header, default)


# --------------------------------------------------------------------------------- reading


def read_table(path: Path) -> Table:
    """Read a header-row table from a .csv or .xlsx file."""
    suffix = path.suffix.lower()
    if suffix == CSV_SUFFIX:
        return _read_csv(path)
    if suffix == XLSX_SUFFIX:
        return _read_xlsx(path)
    raise TableError("只支持 .csv 和 .xlsx 文件")


def _read_csv(path: Path) -> Table:
    encoding = _detect_encoding(path)
    try:
        with path.open(encoding=encoding, newline="") as f:
            delimiter = _sniff_delimiter(f.readline())
            f.seek(0)
            reader = csv.reader(f, delimiter=delimiter)
            builder: _TableBuilder | None = None
            line = 0
            try:
                for line, record in enumerate(reader, start=1):
                    if builder is None:
                        builder = _TableBuilder(record)
                    else:
                        builder.add(line, [_csv_unescape(v) for v in record], fill="")
            except csv.Error as e:
                raise TableError(f"第 {line + 1} 行不是有效的 CSV 内容：{e}") from e
    except OSError as e:
        raise _read_error(path, e) from e
    if builder is None:
        raise TableError(f"文件是空的：{path.name}")
    return builder.table


def _read_xlsx(path: Path) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except OSError as e:
        raise _read_error(path, e) from e
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, ParseError) as e:
        raise TableError(
            f"无法打开 Excel 文件：{path.name}，它可能已损坏、加了密码或是旧的 .xls 格式，"
            "请用 Excel 另存为 .xlsx 后再试"
        ) from e
    try:
        if not wb.worksheets:
            raise TableError(f"Excel 文件里没有工作表：{path.name}")
        ws = wb.worksheets[0]
        # Some programs write a wrong <dimension>; read every row that is really there.
        ws.reset_dimensions()
        builder: _TableBuilder | None = None
        for line, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            if builder is None:
                builder = _TableBuilder(["" if v is None else str(v) for v in cells])
            else:
                builder.add(line, cells, fill=None)
    except (zipfile.BadZipFile, KeyError, ValueError, ParseError, OSError) as e:
        raise TableError(f"读取 Excel 文件失败：{path.name}（{e}）") from e
    finally:
        wb.close()
    if builder is None:
        raise TableError(f"第一个工作表是空的：{path.name}")
    return builder.table


class _TableBuilder:
    """Checks the header row, then collects the non-empty data rows as dicts."""

    def __init__(self, raw_headers: Sequence[str]) -> None:
        headers = [_clean_header(h) for h in raw_headers]
        while headers and not headers[-1]:  # Excel often leaves empty columns at the end
            headers.pop()
        if not headers:
            raise TableError("第 1 行（表头）是空的：第一行应当是列名")
        empty = [_column_label(i) for i, h in enumerate(headers) if not h]
        if empty:
            raise TableError(f"表头有空的列名：{'、'.join(empty)}，每一列都需要列名")
        seen: set[str] = set()
        duplicates: list[str] = []
        for h in headers:
            if h in seen and h not in duplicates:
                duplicates.append(h)
            seen.add(h)
        if duplicates:
            names = "、".join(f"「{h}」" for h in duplicates)
            raise TableError(f"表头有重复的列名：{names}，每个列名只能出现一次")
        self.table = Table(headers=headers)

    def add(self, line: int, cells: Sequence[object], fill: object) -> None:
        if all(_is_blank(v) for v in cells):
            return
        headers = self.table.headers
        width = len(headers)
        for i in range(width, len(cells)):
            if not _is_blank(cells[i]):
                raise TableError(
                    f"第 {line} 行的{_column_label(i)}有内容，但这一列没有列名："
                    "请补上列名或删除这些内容（CSV 文件里，内容中的逗号需要用引号括起来）"
                )
        values: dict[str, object] = {}
        for i, header in enumerate(headers):
            values[header] = cells[i] if i < len(cells) else fill
        self.table.rows.append(TableRow(line=line, values=values))


def _detect_encoding(path: Path) -> str:
    """'utf-8-sig' (BOM optional) or 'gb18030', checked over the whole file."""
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    raise TableError(f"无法识别文件编码：{path.name}，请另存为 UTF-8 或 GB18030 的 CSV")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                # NUL never occurs in a text CSV; it means UTF-16/32 or a binary file.
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError as e:
        raise _read_error(path, e) from e
    return True


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter giving the header the most columns; comma when none splits it."""
    best, best_count = ",", 1
    for delimiter in _CSV_DELIMITERS:
        fields = next(csv.reader([header_line], delimiter=delimiter), [])
        if len(fields) > best_count:
            best, best_count = delimiter, len(fields)
    return best


def _csv_unescape(value: str) -> str:
    """Undo write_table's formula guard: "'=1+2" reads back as "=1+2"."""
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_PREFIXES:
        return value[1:]
    return value


def _clean_header(value: str) -> str:
    return value.translate(_HEADER_JUNK).strip()  # strip() also trims U+3000 and U+00A0


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_label(index: int) -> str:
    """'第 3 列（C 列）' for the 0-based column index 2."""
    return f"第 {index + 1} 列（{column_letter(index + 1)} 列）"


def _read_error(path: Path, e: OSError) -> TableError:
    if isinstance(e, FileNotFoundError):
        return TableError(f"找不到文件：{path}")
    if isinstance(e, PermissionError):
        return TableError(f"无法读取文件：{path.name}，文件可能正被其他程序占用或没有权限")
    return TableError(f"无法读取文件：{path.name}（{e.strerror or e}）")


# --------------------------------------------------------------------------------- writing


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a header row and `rows` to a .csv or .xlsx file; returns the data rows written.

    Each row must have one value per header (a mismatch is a programming error:
    ValueError). The target is replaced only once the whole file has been written.
    """
    suffix = path.suffix.lower()
    if suffix not in (CSV_SUFFIX, XLSX_SUFFIX):
        raise TableError("只支持 .csv 和 .xlsx 文件")
    _check_write_headers(headers)
    try:
        with atomic_file(path) as raw:
            if suffix == CSV_SUFFIX:
                return _write_csv(raw, headers, rows)
            return _write_xlsx(raw, headers, rows)
    except OSError as e:
        raise _write_error(path, e) from e


def _check_write_headers(headers: Sequence[str]) -> None:
    if not headers:
        raise ValueError("write_table needs at least one header")
    if any(not _clean_header(h) for h in headers):
        raise ValueError(f"empty header name in {list(headers)!r}")
    if len(set(headers)) != len(headers):
        raise ValueError(f"duplicate header names in {list(headers)!r}")


def _checked_rows(
    headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> Iterator[Sequence[object]]:
    width = len(headers)
    for n, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ValueError(f"row {n} has {len(row)} values for {width} headers")
        yield row


def _write_csv(raw: BinaryIO, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([_csv_text(h) for h in headers])
        count = 0
        for row in _checked_rows(headers, rows):
            writer.writerow([_csv_cell(v) for v in row])
            count += 1
        text.flush()
    finally:
        text.detach()  # the raw file belongs to atomic_file
    return count


def _csv_cell(value: object) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return _format_time_of(value.date().isoformat() + " ", value.time())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return _format_time_of("", value)
    if isinstance(value, int | float):
        return "" if isinstance(value, float) and not math.isfinite(value) else str(value)
    return _csv_text(str(value))


def _format_time_of(prefix: str, t: time) -> str:
    spec = "minutes" if t.second == 0 and t.microsecond == 0 else "seconds"
    return prefix + t.replace(tzinfo=None).isoformat(timespec=spec)


def _csv_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _plain(value: object) -> object:
    """Enums by value; aware datetimes as local wall-clock time (Excel has no zones)."""
    while isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    elif isinstance(value, time) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return value


def _write_xlsx(raw: BinaryIO, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    import openpyxl
    from openpyxl.cell.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    checked = _checked_rows(headers, rows)

    # Column widths and the frozen pane go at the top of the sheet XML, so they must be set
    # before the first row is appended: size the columns from the header and a first sample.
    sample: list[list[object]] = []
    for row in checked:
        sample.append([_xlsx_value(v) for v in row])
        if len(sample) >= _WIDTH_SAMPLE_ROWS:
            break
    for i, header in enumerate(headers):
        width = max([_display_width(header) + 2] + [_display_width(r[i]) for r in sample])
        letter = column_letter(i + 1)
        ws.column_dimensions[letter].width = min(max(width, _MIN_WIDTH), _MAX_WIDTH) + 2
    ws.freeze_panes = "A2"

    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, _xlsx_value(header))
        cell.data_type = "s"  # a header is text, whatever it starts with
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)

    count = 0
    for values in sample:
        ws.append([_xlsx_cell(ws, v) for v in values])
        count += 1
    del sample
    for row in checked:
        ws.append([_xlsx_cell(ws, _xlsx_value(v)) for v in row])
        count += 1
    wb.save(raw)
    return count


def _xlsx_value(value: object) -> object:
    """A value openpyxl can store: text cleaned of characters XML cannot hold."""
    value = _plain(value)
    if value is None or isinstance(value, int | float | datetime | date | time):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value
    text = _ILLEGAL_XML.sub("", str(value))
    return text or None


def _xlsx_cell(ws: object, value: object) -> object:
    """The value itself when openpyxl infers the right cell, else a styled write-only cell."""
    if isinstance(value, str) and not (
        value.startswith(_FORMULA_PREFIXES) or value in _ERROR_VALUES
    ):
        return value
    if not isinstance(value, str | datetime | date | time):
        return value
    from openpyxl.cell.cell import WriteOnlyCell

    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"  # text, never a formula or an error value
        cell.quotePrefix = True  # Excel keeps it text if the user edits the cell
        return cell
    if isinstance(value, datetime):
        number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        number_format = DATE_FORMAT
    else:
        number_format = TIME_FORMAT
    cell = WriteOnlyCell(ws, value)
    cell.number_format = number_format
    return cell


def column_letter(number: int) -> str:
    """Excel's column name for the 1-based column `number`: 1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _display_width(value: object) -> int:
    """Roughly how many Latin characters wide the value shows in Excel."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len("2000-01-01 00:00")
    if isinstance(value, date):
        return len("2000-01-01")
    if isinstance(value, time):
        return len("00:00")
    text = str(value)
    # Only the first stretch matters once it passes the cap; keep long notes cheap to measure.
    return max(
        sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[: _MAX_WIDTH * 2])
        for line in text.splitlines() or [""]
    )


def _write_error(path: Path, e: OSError) -> TableError:
    if isinstance(e, PermissionError):
        return TableError(
            f"无法写入文件：{path.name}，文件可能正被 Excel 或其他程序打开，请关闭后再试"
        )
    if isinstance(e, FileNotFoundError):
        return TableError(f"无法写入文件：文件夹不存在：{path.parent}")
    return TableError(f"无法写入文件：{path.name}（{e.strerror or e}）")


# --------------------------------------------------------------------------------- columns


def match_columns(
    headers: Sequence[str], known: Sequence[str], required: Sequence[str]
) -> ColumnMap:
    """Line the file's headers up with a register's known columns, by name.

    Names match after trimming, full-width → half-width (brackets, letters, digits) and
    ignoring spaces, so 「金额（元）」 matches "金额(元)". Raises TableError listing the
    required columns the file lacks, or naming two headers that claim the same column.
    """
    if not set(required) <= set(known):
        raise ValueError(f"required columns not in known: {set(required) - set(known)!r}")
    by_key: dict[str, str] = {}
    for name in known:
        key = _column_key(name)
        if key in by_key:
            raise ValueError(f"known columns {by_key[key]!r} and {name!r} look the same")
        by_key[key] = name

    columns: dict[str, str] = {}
    unknown: list[str] = []
    for header in headers:
        match = by_key.get(_column_key(header))
        if match is None:
            unknown.append(header)
        elif match in columns:
            raise TableError(
                f"「{columns[match]}」和「{header}」两列都是「{match}」，请删除其中一列"
            )
        else:
            columns[match] = header

    missing_required = [name for name in required if name not in columns]
    if missing_required:
        found = "、".join(h for h in headers if h) or "无"
        raise TableError(f"缺少必需的列：{'、'.join(missing_required)}（文件中的列：{found}）")
    missing = [name for name in known if name not in columns]
    return ColumnMap(columns=columns, unknown=unknown, missing=missing)


def _column_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", _clean_header(name)).translate(_BRACKETS)
    return "".join(text.split()).casefold()
