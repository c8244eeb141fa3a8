"""Rows of labelled boxes, measured and flowed onto A4 pages (the layout half of the toolkit).

A row's height follows its fullest cell; a row that does not fit in what is left of a page is
split between two lines and continues on the next page, as often as needed, so nothing is cut.
A `Table` (a grey header row of column titles over ruled rows) never splits a row: a row that
does not fit moves to the next page, and the header is printed again above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

from app.forms.inline import Line, Signature, Value, text_tokens, tokens, width_of, wrap

MM = 72.0 / 2.54 * 0.1  # reportlab's mm, computed as it does (reportlab loads only to print)
PAGE_WIDTH: float = 210 * MM  # A4
PAGE_HEIGHT: float = 297 * MM
MARGIN: float = 15 * MM
GRID_LEFT = MARGIN
GRID_RIGHT = PAGE_WIDTH - MARGIN
GRID_WIDTH = GRID_RIGHT - GRID_LEFT
FIRST_TOP = PAGE_HEIGHT - MARGIN - 66  # the grid's top on page 1, under the header band
NEXT_TOP = PAGE_HEIGHT - MARGIN - 36  # on continuation pages
GRID_BOTTOM = MARGIN  # lowest the grid may reach; the page number sits in the margin below

PAD_X = 4.0
PAD_Y = 3.5  # a one-line row is 22 pt (7.8 mm): room to write by hand
LEADING = 15.0
BASELINE_DROP = 11.2  # from the top of a line box to its baseline
LABEL_MIN = 58.0  # a label cell fits four characters with air on both sides
LABEL_MAX = 82.0  # seven characters; longer labels wrap onto two lines
SIDE_WIDTH = 22.0  # the vertical section label column
SIDE_LEADING = 14.0
KEEP_SECTION = 160.0  # a section shorter than this is never split across pages

Align: TypeAlias = Literal["left", "centre", "right"]


@dataclass(frozen=True)
class Field:
    """A label cell and its value cell; `weight` is its share of the row's width.

    `sign` puts a signature line ("签名：____ 日期：__") at the bottom right of the box;
    `align` places the value's lines in the box ("right" for amounts).
    """

    label: str
    value: Value = ""
    weight: float = 1.0
    label_width: float | None = None
    sign: Signature | None = None
    align: Align = "left"


class Row:
    """A band of fields across the grid; `lines` is the least height in text lines."""

    __slots__ = ("fields", "lines")

    def __init__(self, *fields: Field, lines: int = 1) -> None:
        if not fields:
            raise ValueError("a row needs at least one field")
        self.fields = fields
        self.lines = lines


@dataclass(frozen=True)
class Column:
    """One column of a `Table`: its title, its share of the width, how its values align."""

    title: str
    weight: float = 1.0
    align: Align = "left"


class Table:
    """A ruled table: a grey header row of column titles, then one row per entry.

    Cells are values like a field's (text, `Choice`, `DateSlot`...) and wrap within their
    column; `min_rows` pads the table with empty rows to write in by hand. A `Row` whose
    field weights add up like the columns' (a 合计 line) lines up with the columns below it.
    """

    __slots__ = ("columns", "min_rows", "rows")

    def __init__(
        self, columns: Sequence[Column], rows: Sequence[Sequence[Value]] = (), *, min_rows: int = 0
    ) -> None:
        if not columns:
            raise ValueError("a table needs at least one column")
        for row in rows:
            if len(row) != len(columns):
                raise ValueError(f"a table row has {len(row)} cells for {len(columns)} columns")
        self.columns = tuple(columns)
        self.rows = tuple(tuple(row) for row in rows)
        self.min_rows = min_rows


class Section:
    """Rows (and tables) grouped under a vertical label in a narrow left column."""

    __slots__ = ("label", "rows")

    def __init__(self, label: str, *rows: Row | Table) -> None:
        self.label = label
        self.rows = rows


Block: TypeAlias = Row | Section | Table


# --------------------------------------------------------------------------- measuring


@dataclass(slots=True)
class Cell:
    x: float  # from the row's left edge
    width: float  # label and value together
    label_width: float
    label_lines: list[Line]
    body: list[Line]
    tail: list[Line]  # the signature line(s), right-aligned at the bottom
    align: Align = "left"

    @property
    def value_x(self) -> float:
        return self.x + self.label_width

    @property
    def value_width(self) -> float:
        return self.width - self.label_width


@dataclass(slots=True)
class MeasuredRow:
    cells: list[Cell]
    lines: int
    n: int  # value lines of the fullest cell
    label_n: int

    def height(self, count: int) -> float:
        return max(count, self.label_n, 1) * LEADING + 2 * PAD_Y

    def full_height(self, start: int = 0) -> float:
        rest = self.n - start
        return self.height(max(rest, self.lines) if start == 0 else rest)


def natural_label_width(label: str) -> float:
    """Room for the label's longest line with some air, within [LABEL_MIN, LABEL_MAX]."""
    if not label:
        return 0.0
    widest = max(width_of(line) for line in label.splitlines())
    return min(max(LABEL_MIN, widest + 2 * PAD_X + 6), LABEL_MAX)


def _column_width(rows: Sequence[Row]) -> float:
    """One width for the first label column of rows drawn from the same left edge."""
    widths = [
        natural_label_width(r.fields[0].label) for r in rows if r.fields[0].label_width is None
    ]
    return max(widths, default=LABEL_MIN)


def _wrap_label(label: str, width: float) -> list[Line]:
    """Wrap a label, balancing the lines ("部门负责/人审核", not "部门负责人审/核")."""
    lines = wrap(text_tokens(label), width)
    if len(lines) < 2 or "\n" in label:
        return lines
    narrowest = width_of(label) / len(lines)
    for extra in range(int(width - narrowest) + 1):
        balanced = wrap(text_tokens(label), narrowest + extra)
        if len(balanced) == len(lines):
            return balanced
    return lines


def _spans(weights: Sequence[float], width: float) -> list[tuple[float, float]]:
    """(x, width) of boxes sharing `width` by weight; the last one takes what is left."""
    total = sum(weights)
    spans: list[tuple[float, float]] = []
    x = 0.0
    for i, weight in enumerate(weights):
        w = width - x if i == len(weights) - 1 else width * weight / total
        spans.append((x, w))
        x += w
    return spans


def _measure(row: Row, width: float, first_label: float) -> MeasuredRow:
    cells: list[Cell] = []
    spans = _spans([f.weight for f in row.fields], width)
    for i, (field, (x, w)) in enumerate(zip(row.fields, spans, strict=True)):
        if field.label_width is not None or not field.label:
            lw = field.label_width or 0.0
        else:
            lw = first_label if i == 0 else natural_label_width(field.label)
        inner = w - lw - 2 * PAD_X
        cells.append(
            Cell(
                x=x,
                width=w,
                label_width=lw,
                label_lines=_wrap_label(field.label, lw - 2 * PAD_X) if lw else [],
                body=wrap(tokens(field.value), inner),
                tail=wrap(tokens(field.sign), inner) if field.sign else [],
                align=field.align,
            )
        )
    return _measured(cells, row.lines)


def _measured(cells: list[Cell], lines: int) -> MeasuredRow:
    n = max(len(c.body) + len(c.tail) for c in cells)
    label_n = max(len(c.label_lines) for c in cells)
    return MeasuredRow(cells, lines, n, label_n)


def _measure_table(table: Table, width: float) -> tuple[MeasuredRow, list[MeasuredRow]]:
    """The header row (every cell a grey label cell) and the body rows, padded to min_rows."""
    spans = _spans([c.weight for c in table.columns], width)
    header = [
        Cell(x, w, w, _wrap_label(col.title, w - 2 * PAD_X), [], [], "centre")
        for col, (x, w) in zip(table.columns, spans, strict=True)
    ]
    empty: tuple[Value, ...] = ("",) * len(table.columns)
    rows = [*table.rows, *[empty] * (table.min_rows - len(table.rows))]
    body = [
        _measured(
            [
                Cell(x, w, 0.0, [], wrap(tokens(value), w - 2 * PAD_X), [], col.align)
                for value, col, (x, w) in zip(row, table.columns, spans, strict=True)
            ],
            1,
        )
        for row in rows
    ]
    return _measured(header, 1), body


# --------------------------------------------------------------------------- paginating


@dataclass(slots=True)
class Fragment:
    """The part of a row that lands on one page: value lines [start, start + count)."""

    row: MeasuredRow
    start: int
    count: int
    height: float
    section: Section | None


class Pager:
    def __init__(self) -> None:
        self.pages: list[list[Fragment]] = [[]]
        self.avail = FIRST_TOP - GRID_BOTTOM

    def new_page(self) -> None:
        self.pages.append([])
        self.avail = NEXT_TOP - GRID_BOTTOM

    @property
    def page_empty(self) -> bool:
        return not self.pages[-1]

    def place(self, frag: Fragment) -> None:
        self.pages[-1].append(frag)
        self.avail -= frag.height

    def flow(self, row: MeasuredRow, section: Section | None) -> None:
        """Place a row, splitting it between lines across as many pages as it needs."""
        start = 0
        while True:
            rest = row.n - start
            whole = row.full_height(start)
            if whole <= self.avail + 0.01:
                self.place(Fragment(row, start, rest, whole, section))
                return
            fit = int((self.avail - 2 * PAD_Y) // LEADING)
            usable = row.label_n <= fit and rest > fit >= (1 if self.page_empty else 2)
            if usable:
                self.place(Fragment(row, start, fit, self.avail, section))
                start += fit
            elif self.page_empty:  # a row taller than a page that cannot split: clip its padding
                self.place(Fragment(row, start, rest, self.avail, section))
                return
            self.new_page()

    def flow_table(
        self, header: MeasuredRow, body: list[MeasuredRow], section: Section | None
    ) -> None:
        """Place a table: the header with its first row at least, each row whole, and the
        header again on top of every page the table continues on."""
        first = header.full_height() + (body[0].full_height() if body else 0.0)
        if not self.page_empty and first > self.avail + 0.01:
            self.new_page()
        self.flow(header, section)
        for row in body:
            if not self.page_empty and row.full_height() > self.avail + 0.01:
                self.new_page()
                self.flow(header, section)
            self.flow(row, section)


def paginate(blocks: Sequence[Block]) -> list[list[Fragment]]:
    """Measure every row and flow them onto pages.

    The first label column lines up down the page: one width for all rows in sections, one
    for the rows outside them.
    """
    top_level = _column_width([b for b in blocks if isinstance(b, Row)])
    in_sections = _column_width(
        [r for b in blocks if isinstance(b, Section) for r in b.rows if isinstance(r, Row)]
    )
    pager = Pager()
    for block in blocks:
        if isinstance(block, Row):
            pager.flow(_measure(block, GRID_WIDTH, top_level), None)
            continue
        if isinstance(block, Table):
            pager.flow_table(*_measure_table(block, GRID_WIDTH), None)
            continue
        width = GRID_WIDTH - SIDE_WIDTH
        parts = [
            _measure(r, width, in_sections) if isinstance(r, Row) else _measure_table(r, width)
            for r in block.rows
        ]
        flat = [m for p in parts for m in ([p] if isinstance(p, MeasuredRow) else [p[0], *p[1]])]
        if not pager.page_empty and pager.avail < _keep_together(block.label, flat):
            pager.new_page()
        for part in parts:
            if isinstance(part, MeasuredRow):
                pager.flow(part, block)
            else:
                pager.flow_table(*part, block)
    return pager.pages


def _keep_together(label: str, rows: list[MeasuredRow]) -> float:
    """Room a section needs to start on this page: all of a short one; else its label's length."""
    total = sum(m.full_height() for m in rows)
    if total <= KEEP_SECTION:
        return total
    return max(len(label) * SIDE_LEADING + 2 * PAD_Y, rows[0].full_height() if rows else 0.0)
