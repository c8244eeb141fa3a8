"""Rows of labelled boxes, measured and flowed onto A4 pages (the layout half of the toolkit).

A row's height follows its fullest cell; a row that does not fit in what is left of a page is
split between two lines and continues on the next page, as often as needed, so nothing is cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from app.forms.inline import Line, Signature, Value, text_tokens, tokens, width_of, wrap

PAGE_WIDTH: float = A4[0]
PAGE_HEIGHT: float = A4[1]
MARGIN: float = 15 * mm
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


@dataclass(frozen=True)
class Field:
    """A label cell and its value cell; `weight` is its share of the row's width.

    `sign` puts a signature line ("签名：____ 日期：__") at the bottom right of the box.
    """

    label: str
    value: Value = ""
    weight: float = 1.0
    label_width: float | None = None
    sign: Signature | None = None


class Row:
    """A band of fields across the grid; `lines` is the least height in text lines."""

    __slots__ = ("fields", "lines")

    def __init__(self, *fields: Field, lines: int = 1) -> None:
        if not fields:
            raise ValueError("a row needs at least one field")
        self.fields = fields
        self.lines = lines


class Section:
    """Rows grouped under a vertical label in a narrow left column."""

    __slots__ = ("label", "rows")

    def __init__(self, label: str, *rows: Row) -> None:
        self.label = label
        self.rows = rows


Block: TypeAlias = Row | Section


# --------------------------------------------------------------------------- measuring


@dataclass(slots=True)
class Cell:
    x: float  # from the row's left edge
    width: float  # label and value together
    label_width: float
    label_lines: list[Line]
    body: list[Line]
    tail: list[Line]  # the signature line(s), right-aligned at the bottom

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


def _measure(row: Row, width: float, first_label: float) -> MeasuredRow:
    total = sum(f.weight for f in row.fields)
    cells: list[Cell] = []
    x = 0.0
    for i, field in enumerate(row.fields):
        w = width - x if i == len(row.fields) - 1 else width * field.weight / total
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
            )
        )
        x += w
    n = max(len(c.body) + len(c.tail) for c in cells)
    label_n = max(len(c.label_lines) for c in cells)
    return MeasuredRow(cells, row.lines, n, label_n)


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


def paginate(blocks: Sequence[Block]) -> list[list[Fragment]]:
    """Measure every row and flow them onto pages.

    The first label column lines up down the page: one width for all rows in sections, one
    for the rows outside them.
    """
    top_level = _column_width([b for b in blocks if isinstance(b, Row)])
    in_sections = _column_width([r for b in blocks if isinstance(b, Section) for r in b.rows])
    pager = Pager()
    for block in blocks:
        if isinstance(block, Row):
            pager.flow(_measure(block, GRID_WIDTH, top_level), None)
            continue
        measured = [_measure(r, GRID_WIDTH - SIDE_WIDTH, in_sections) for r in block.rows]
        if not pager.page_empty and pager.avail < _keep_together(block.label, measured):
            pager.new_page()
        for m in measured:
            pager.flow(m, block)
    return pager.pages


def _keep_together(label: str, rows: list[MeasuredRow]) -> float:
    """Room a section needs to start on this page: all of a short one; else its label's length."""
    total = sum(m.full_height() for m in rows)
    if total <= KEEP_SECTION:
        return total
    return max(len(label) * SIDE_LEADING + 2 * PAD_Y, rows[0].full_height() if rows else 0.0)
