"""The grid-and-box toolkit every printed form is built with, so all forms look like one family.

A form is declared, not drawn: a title, a number, and a list of blocks. A `Row` is a band of
labelled boxes (`Field`: a grey label cell, then a value cell); a `Section` groups rows under a
vertical side label (登记 / 处理 / 回访 ...). `render_form` lays them out on A4 pages::

    render_form("工作安排通知单", "TZ2026-0003", header, [
        Row(Field("签发日期", DateSlot(day)), Field("签发人", "王主任")),
        Row(Field("工作内容", text), lines=5),                 # a tall free-text box
        Row(Field("验收意见", "", sign=Signature(label="验收人")), lines=3),
    ])

A row grows to fit its text; a row too tall for the rest of the page is split between lines and
continues on the next page under a "（续）" header, so nothing is ever cut off. Values are text,
`Choice` (tick boxes), `Blank`, `DateSlot`, `Signature`, or a tuple of those (see app.forms.inline).

A `Table` is a ruled list (materials, visits...): a grey header of column titles, one row per
entry, numbers right-aligned by their `Column`, empty rows to write in up to `min_rows`::

    Table([Column("项目", 3), Column("金额（元）", 1, "right")], [("水龙头", "35.00")], min_rows=5)
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.forms.fonts import font_name
from app.forms.inline import (
    FONT_SIZE,
    Blank,
    Choice,
    DateSlot,
    Line,
    Signature,
    Value,
    draw_line,
    format_when,
    tokens,
    width_of,
    wrap,
)
from app.forms.layout import (
    BASELINE_DROP,
    FIRST_TOP,
    GRID_LEFT,
    GRID_RIGHT,
    GRID_WIDTH,
    LEADING,
    MARGIN,
    MM,
    NEXT_TOP,
    PAD_X,
    PAD_Y,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SIDE_LEADING,
    SIDE_WIDTH,
    Align,
    Block,
    Cell,
    Column,
    Field,
    Fragment,
    Row,
    Section,
    Table,
    paginate,
)

if TYPE_CHECKING:  # reportlab loads when the first form is printed, not with the program
    from reportlab.pdfgen.canvas import Canvas

__all__ = [
    "Align",
    "Blank",
    "Block",
    "Choice",
    "Column",
    "DateSlot",
    "Field",
    "FormHeader",
    "Row",
    "Section",
    "Signature",
    "Table",
    "Value",
    "format_when",
    "render_form",
]

FOOTER_BASELINE = MARGIN - 14  # the page number, in the bottom margin
LABEL_GREY = 0.89
INNER_RULE = 0.5
OUTER_RULE = 1.5
CREATOR = "物业管理处办公系统"
MIN_SIDE_SCALE = 0.7  # a section label squeezed smaller than this is left out


@dataclass(frozen=True)
class FormHeader:
    """Who the form belongs to, printed above the title."""

    estate_name: str
    office_name: str


# --------------------------------------------------------------------------- drawing


def render_form(title: str, number: str, header: FormHeader, blocks: Sequence[Block]) -> bytes:
    """Lay the blocks out on A4 pages and return the PDF."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,  # no timestamps or random ids: the same record gives the same bytes
        pageCompression=1,
        initialFontName=font_name(),  # else reportlab references Helvetica on every page
    )
    canvas.setTitle(f"{title} {number}".strip())
    canvas.setSubject(title)
    canvas.setAuthor(f"{header.estate_name} {header.office_name}".strip())
    canvas.setCreator(CREATOR)
    pages = paginate(blocks)
    for page_no, frags in enumerate(pages, start=1):
        if page_no == 1:
            _draw_first_header(canvas, title, number, header)
        else:
            _draw_next_header(canvas, title, number)
        _draw_grid(canvas, frags, FIRST_TOP if page_no == 1 else NEXT_TOP)
        _centred(canvas, f"第{page_no}页 共{len(pages)}页", FOOTER_BASELINE, 9)
        canvas.showPage()
    _save_binary(canvas)
    return buffer.getvalue()


_a85_lock = threading.Lock()


def _save_binary(canvas: Canvas) -> None:
    """Save with plain Flate page streams: reportlab's default ASCII85 layer only adds a
    quarter to their size and a few milliseconds. The switch is global, so it is held
    only while this document is written."""
    from reportlab import rl_config

    with _a85_lock:
        before = rl_config.useA85
        rl_config.useA85 = 0
        try:
            canvas.save()
        finally:
            rl_config.useA85 = before


def _centred(canvas: Canvas, text: str, baseline: float, size: float, bold: bool = False) -> None:
    spacing = 2.0 if bold else 0.0
    width = width_of(text, size) + spacing * (len(text) - 1)
    canvas.saveState()  # character spacing and render mode would outlive the text object
    obj = canvas.beginText((PAGE_WIDTH - width) / 2, baseline)
    obj.setFont(font_name(), size)
    if bold:  # the font has no bold face: fill and stroke the glyphs
        obj.setTextRenderMode(2)
        obj.setCharSpace(spacing)
        canvas.setLineWidth(0.45)
    obj.textOut(text)
    canvas.drawText(obj)
    canvas.restoreState()


def _draw_number(canvas: Canvas, number: str, baseline: float) -> None:
    line = wrap(tokens(("编号：", number or Blank(width=34 * MM))), GRID_WIDTH)[0]
    draw_line(canvas, line, GRID_RIGHT - line.width, baseline)


def _draw_first_header(canvas: Canvas, title: str, number: str, header: FormHeader) -> None:
    top = PAGE_HEIGHT - MARGIN
    owner = "　".join(n for n in (header.estate_name, header.office_name) if n)
    if owner:
        _centred(canvas, owner, top - 10, 11)
    _centred(canvas, title, top - 40, 20, bold=True)
    _draw_number(canvas, number, FIRST_TOP + 6)


def _draw_next_header(canvas: Canvas, title: str, number: str) -> None:
    top = PAGE_HEIGHT - MARGIN
    _centred(canvas, f"{title}（续）", top - 12, 14, bold=True)
    _draw_number(canvas, number, NEXT_TOP + 6)


def _draw_grid(canvas: Canvas, frags: list[Fragment], top: float) -> None:
    tops: list[float] = []
    y = top
    for frag in frags:
        tops.append(y)
        y -= frag.height
    bottom = y
    groups = _section_groups(frags, tops)
    _fill_labels(canvas, frags, tops, groups)
    _rule_inner(canvas, frags, tops, groups)
    for i, (frag, frag_top) in enumerate(zip(frags, tops, strict=True)):
        for group_start, group_top, group_bottom in groups:
            if group_start == i and frag.section is not None:
                _draw_side_label(canvas, frag.section.label, group_top, group_bottom)
        _draw_frag_text(canvas, frag, frag_top)
    canvas.setLineWidth(OUTER_RULE)
    canvas.rect(GRID_LEFT, bottom, GRID_WIDTH, top - bottom, stroke=1, fill=0)


def _left(frag: Fragment) -> float:
    return GRID_LEFT + (SIDE_WIDTH if frag.section is not None else 0.0)


def _section_groups(frags: list[Fragment], tops: list[float]) -> list[tuple[int, float, float]]:
    """(index of first fragment, top, bottom) of each run of fragments in one section."""
    groups: list[tuple[int, float, float]] = []
    for i, frag in enumerate(frags):
        if frag.section is None:
            continue
        if i and frags[i - 1].section is frag.section:
            start, group_top, _ = groups[-1]
            groups[-1] = (start, group_top, tops[i] - frag.height)
        else:
            groups.append((i, tops[i], tops[i] - frag.height))
    return groups


def _fill_labels(
    canvas: Canvas, frags: list[Fragment], tops: list[float], groups: list[tuple[int, float, float]]
) -> None:
    canvas.setFillGray(LABEL_GREY)
    for frag, frag_top in zip(frags, tops, strict=True):
        left = _left(frag)
        for cell in frag.row.cells:
            if cell.label_width:
                bottom = frag_top - frag.height
                canvas.rect(left + cell.x, bottom, cell.label_width, frag.height, stroke=0, fill=1)
    for _, group_top, group_bottom in groups:
        canvas.rect(GRID_LEFT, group_bottom, SIDE_WIDTH, group_top - group_bottom, stroke=0, fill=1)
    canvas.setFillGray(0)


def _rule_inner(
    canvas: Canvas, frags: list[Fragment], tops: list[float], groups: list[tuple[int, float, float]]
) -> None:
    rules: list[tuple[float, float, float, float]] = []
    for i, (frag, frag_top) in enumerate(zip(frags, tops, strict=True)):
        left, bottom = _left(frag), frag_top - frag.height
        if i + 1 < len(frags):
            ends_group = frags[i + 1].section is not frag.section
            rules.append((GRID_LEFT if ends_group else left, bottom, GRID_RIGHT, bottom))
        for cell in frag.row.cells:
            if cell.x > 0:
                rules.append((left + cell.x, frag_top, left + cell.x, bottom))
            if cell.label_width:
                rules.append((left + cell.value_x, frag_top, left + cell.value_x, bottom))
    for _, group_top, group_bottom in groups:
        x = GRID_LEFT + SIDE_WIDTH
        rules.append((x, group_top, x, group_bottom))
    canvas.setLineWidth(INNER_RULE)
    canvas.lines(rules)


def _draw_side_label(canvas: Canvas, label: str, top: float, bottom: float) -> None:
    room = top - bottom - 2 * PAD_Y
    scale = min(1.0, room / (len(label) * SIDE_LEADING)) if label else 1.0
    if scale < MIN_SIDE_SCALE:  # a sliver of a section continued from the previous page
        return
    size, leading = FONT_SIZE * scale, SIDE_LEADING * scale
    first = (top + bottom) / 2 + (len(label) * leading) / 2 - leading + (leading - size) / 2
    obj = canvas.beginText()
    obj.setFont(font_name(), size)
    for i, char in enumerate(label):
        obj.setTextOrigin(GRID_LEFT + (SIDE_WIDTH - width_of(char, size)) / 2, first - i * leading)
        obj.textOut(char)
    canvas.drawText(obj)


def _draw_frag_text(canvas: Canvas, frag: Fragment, top: float) -> None:
    left, row = _left(frag), frag.row
    bottom = top - frag.height
    for cell in row.cells:
        if cell.label_lines:
            n = len(cell.label_lines)
            first = (top + bottom) / 2 + n * LEADING / 2 - BASELINE_DROP
            for i, line in enumerate(cell.label_lines):
                x = left + cell.x + (cell.label_width - line.width) / 2
                draw_line(canvas, line, x, first - i * LEADING)
        body = cell.body[frag.start : frag.start + frag.count]
        tail_from = max(frag.start - len(cell.body), 0)
        tail_to = max(frag.start + frag.count - len(cell.body), 0)
        tail = cell.tail[tail_from:tail_to]
        x = left + cell.value_x + PAD_X
        right = left + cell.x + cell.width - PAD_X
        if row.lines == 1 and frag.start == 0 and frag.count == row.n:  # centre a one-line row
            shown = [(line, _aligned(cell, line, x, right)) for line in body]
            shown += [(t, right - t.width) for t in tail]
            first = (top + bottom) / 2 + len(shown) * LEADING / 2 - BASELINE_DROP
            for i, (line, line_x) in enumerate(shown):
                draw_line(canvas, line, line_x, first - i * LEADING)
            continue
        for i, line in enumerate(body):
            line_x = _aligned(cell, line, x, right)
            draw_line(canvas, line, line_x, top - PAD_Y - BASELINE_DROP - i * LEADING)
        for i, line in enumerate(tail):
            baseline = bottom + PAD_Y + LEADING - BASELINE_DROP + (len(tail) - 1 - i) * LEADING
            draw_line(canvas, line, right - line.width, baseline)


def _aligned(cell: Cell, line: Line, left: float, right: float) -> float:
    """Where a value line starts between the box's padded edges."""
    if cell.align == "right":
        return right - line.width
    if cell.align == "centre":
        return (left + right - line.width) / 2
    return left
