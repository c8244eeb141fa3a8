"""What goes inside a value box: text, tick-box choices, blanks to write on, dates and signatures.

A value is turned into a stream of tokens, the tokens are wrapped into lines of a given width, and
each line is drawn. Chinese has no spaces, so text breaks between any two characters; a run of
latin letters and digits ("TS2026-0001", "2026-11-22") stays together unless it is wider than the
whole line, and closing punctuation never starts a line (，。、）…). Nothing is ever dropped.

The font has no ☐/☑ glyphs (and its "✓" is too thin to see on paper), so tick boxes and ticks
are drawn as lines. An invisible "✓" character sits under each drawn tick, so "✓有效" can be
searched for and copied from the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, TypeAlias

from app.forms.fonts import drawable, font_name

if TYPE_CHECKING:  # reportlab loads when the first form is printed, not with the program
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.pdfgen.textobject import PDFTextObject as TextObject

FONT_SIZE = 10.5  # 五号, the usual size of Chinese office forms
TICK = "✓"
BOX = 8.0  # side of a tick box
BOX_GAP = 2.5  # between a tick box and its option text
OPTION_GAP = 11.0  # between two options
BLANK_WIDTH = 64.0  # an empty line to write a name on


# --------------------------------------------------------------------------- public values


@dataclass(frozen=True)
class Choice:
    """Options with tick boxes ("☑有效 ☐无效"); the selected ones are ticked.

    `write_in` names the options followed by a line to write on, with the text to print on it:
    {"其他": ""} gives "☐其他：____"; a non-str value is printed as given after the option,
    e.g. {"工作传签单": ("（编号：", Blank(no), "）")}.
    """

    options: Sequence[str]
    selected: Collection[str] = ()
    write_in: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True)
class Blank:
    """An underlined slot to write on, holding `text` when it is known."""

    text: str = ""
    width: float = BLANK_WIDTH


@dataclass(frozen=True)
class DateSlot:
    """A date (2026-11-22) or date and time (2026-11-22 09:30); "  年  月  日" when unknown."""

    value: date | datetime | None
    time: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Signature:
    """签名：______ 日期：____年__月__日, with the name and date printed when known."""

    name: str = ""
    when: date | datetime | None = None
    label: str = "签名"
    date_label: str = "日期"
    time: bool = False


Value: TypeAlias = "str | Choice | Blank | DateSlot | Signature | tuple[Value, ...] | list[Value]"


def format_when(value: date | datetime | None, *, time: bool = False) -> str:
    """2026-11-22, or 2026-11-22 09:30 when `time` and the value has one; "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M" if time else "%Y-%m-%d")
    return value.strftime("%Y-%m-%d")


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    width: float
    underline: bool = False


@dataclass(frozen=True, slots=True)
class Gap:
    width: float
    underline: bool = False


@dataclass(frozen=True, slots=True)
class Tick:
    checked: bool
    width: float = BOX + BOX_GAP


@dataclass(frozen=True, slots=True)
class Space:
    """A place the line may break; dropped at the start and end of a line.

    `text` is the space characters typed in a value; a spacer between options has none.
    """

    text: str
    width: float


@dataclass(frozen=True, slots=True)
class Break:
    """A forced line break (a newline in the text)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """Pieces that stay on one line ("☐其他", "  年  月  日")."""

    parts: tuple[Text | Gap | Tick, ...]
    width: float


Piece: TypeAlias = Text | Gap | Tick
Token: TypeAlias = Text | Gap | Tick | Space | Break | Unit

_CLOSING = "，。、；：？！）》」』】〕〉”’…—·%,.;:!?)]}"
_OPENING = "（《「『【〔〈“‘([{"
_TOKEN = re.compile(
    r"(?P<nl>\r\n|\r|\n)"
    r"|(?P<sp>[^\S\r\n]+)"
    rf"|(?P<word>[{re.escape(_OPENING)}]*(?:[\x21-\x7e]+|\S)[{re.escape(_CLOSING)}]*)"
)


@lru_cache(maxsize=8192)
def width_of(text: str, size: float = FONT_SIZE) -> float:
    """Advance width in points (cached: most words are a single, oft-repeated 汉字)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font_name(), size))


def text_tokens(text: str, *, underline: bool = False) -> Iterator[Token]:
    """Break text into words: one CJK character each (with its punctuation), or a latin run."""
    for match in _TOKEN.finditer(text):
        kind, piece = match.lastgroup, match.group()
        if kind == "nl":
            yield Break()
        elif kind == "sp":
            spaces = "".join(ch if ch == "\u3000" else " " for ch in piece.replace("\t", "    "))
            if underline:
                yield Text(spaces, width_of(spaces), underline)
            else:
                yield Space(spaces, width_of(spaces))
        else:
            piece = drawable(piece)
            yield Text(piece, width_of(piece), underline)


def _unit(*parts: Piece) -> Unit:
    return Unit(tuple(parts), sum(p.width for p in parts))


def _date_tokens(slot: DateSlot) -> Iterator[Token]:
    known = format_when(slot.value, time=slot.time)
    if known:
        yield from text_tokens(known, underline=slot.underline)
        return
    u = slot.underline
    yield _unit(Gap(24, u), _label("年"), Gap(14, u), _label("月"), Gap(14, u), _label("日"))
    if slot.time:
        yield Space(" ", width_of(" "))
        yield _unit(Gap(14, u), _label("时"), Gap(14, u), _label("分"))


def _label(text: str) -> Text:
    return Text(text, width_of(text))


def _blank_tokens(blank: Blank) -> Iterator[Token]:
    if not blank.text:
        yield Gap(blank.width, underline=True)
        return
    words = list(text_tokens(blank.text, underline=True))
    yield from words
    used = sum(w.width for w in words if isinstance(w, Text))
    yield Gap(max(blank.width - used, 6.0), underline=True)


def _choice_tokens(choice: Choice) -> Iterator[Token]:
    chosen = set(choice.selected)
    for i, option in enumerate(choice.options):
        if i:
            yield Space("", OPTION_GAP)
        tick = Tick(option in chosen)
        extra = choice.write_in.get(option)
        if isinstance(extra, str):
            yield _unit(tick, _label(option + "："))
            yield from _blank_tokens(Blank(extra, width=56))
        else:
            yield _unit(tick, _label(option))
            if extra is not None:
                yield from tokens(extra)


def _signature_tokens(sig: Signature) -> Iterator[Token]:
    head = _label(sig.label + "：")
    if sig.name:
        yield head
        yield from _blank_tokens(Blank(sig.name))
    else:
        yield _unit(head, Gap(BLANK_WIDTH, underline=True))
    yield Space("", 16.0)
    yield _label(sig.date_label + "：")
    yield from _date_tokens(DateSlot(sig.when, time=sig.time, underline=True))


def tokens(value: Value) -> list[Token]:
    """The tokens of a value, in reading order."""
    if isinstance(value, str):
        return list(text_tokens(value))
    if isinstance(value, Choice):
        return list(_choice_tokens(value))
    if isinstance(value, Blank):
        return list(_blank_tokens(value))
    if isinstance(value, DateSlot):
        return list(_date_tokens(value))
    if isinstance(value, Signature):
        return list(_signature_tokens(value))
    return [tok for part in value for tok in tokens(part)]


# --------------------------------------------------------------------------- wrapping


@dataclass(slots=True)
class Line:
    """One wrapped line: pieces at x offsets from the line's start."""

    pieces: list[tuple[float, Piece]]
    width: float


def _fitted(toks: Iterable[Token], width: float) -> Iterator[Token]:
    """Tokens with any piece wider than a whole line broken up (per character, per part)."""
    for tok in toks:
        if isinstance(tok, Unit) and tok.width > width:
            yield from _fitted(tok.parts, width)
        elif isinstance(tok, Text) and tok.width > width and len(tok.text) > 1:
            yield from (Text(ch, width_of(ch), tok.underline) for ch in tok.text)
        elif isinstance(tok, Gap) and tok.width > width:
            yield Gap(width, tok.underline)
        else:
            yield tok


def wrap(toks: Iterable[Token], width: float) -> list[Line]:
    """Greedy line filling; an empty value gives no lines at all.

    Spaces where a line wraps are dropped; spaces opening a paragraph (the customary "　　"
    indent) are kept.
    """
    lines: list[Line] = []
    current: list[tuple[float, Token]] = []
    x = 0.0
    paragraph_start = True
    for tok in _fitted(toks, width):
        if isinstance(tok, Break):
            lines.append(_finish(current))
            current, x, paragraph_start = [], 0.0, True
            continue
        if isinstance(tok, Space) and not current and not paragraph_start:
            continue
        if x + tok.width > width + 0.01 and current:
            lines.append(_finish(current))
            current, x, paragraph_start = [], 0.0, False
            if isinstance(tok, Space):
                continue
        current.append((x, tok))
        x += tok.width
    if current:
        lines.append(_finish(current))
    return lines


def _finish(items: list[tuple[float, Token]]) -> Line:
    while items and isinstance(items[-1][1], Space):
        items.pop()
    pieces: list[tuple[float, Piece]] = []
    for x, tok in items:
        if isinstance(tok, Unit):
            for part in tok.parts:
                pieces.append((x, part))
                x += part.width
        elif isinstance(tok, Space):
            pieces.append((x, Text(tok.text, tok.width) if tok.text else Gap(tok.width)))
        elif not isinstance(tok, Break):
            pieces.append((x, tok))
    width = pieces[-1][0] + pieces[-1][1].width if pieces else 0.0
    return Line(pieces, width)


# --------------------------------------------------------------------------- drawing

UNDERLINE_DROP = 2.2  # underline distance below the baseline
BOX_DROP = 1.0  # tick box bottom below the baseline


def draw_line(canvas: Canvas, line: Line, x0: float, baseline: float) -> None:
    """Draw one wrapped line whose start is at x0: text in one text object, then the rules."""
    text = canvas.beginText()
    text.setFont(font_name(), FONT_SIZE)
    rules: list[tuple[float, float, float, float]] = []
    boxes: list[tuple[float, bool]] = []
    run: list[str] = []
    rule_y = baseline - UNDERLINE_DROP
    for x, piece in line.pieces:
        left = x0 + x
        if isinstance(piece, Text):
            if not run:
                text.setTextOrigin(left, baseline)
            run.append(piece.text)
        else:
            _flush(text, run)
            if isinstance(piece, Tick):
                boxes.append((left, piece.checked))
                if piece.checked:  # the drawn tick is the visible one; this one is for search
                    text.setTextRenderMode(3)
                    text.setTextOrigin(left, baseline)
                    text.textOut(TICK)
                    text.setTextRenderMode(0)
        if getattr(piece, "underline", False):
            rules.append((left, rule_y, left + piece.width, rule_y))
    _flush(text, run)
    canvas.drawText(text)
    _draw_rules_and_boxes(canvas, rules, boxes, baseline)


def _flush(text: TextObject, run: list[str]) -> None:
    if run:
        text.textOut("".join(run))
        run.clear()


def _draw_rules_and_boxes(
    canvas: Canvas,
    rules: list[tuple[float, float, float, float]],
    boxes: list[tuple[float, bool]],
    baseline: float,
) -> None:
    if not rules and not boxes:
        return
    canvas.setLineWidth(0.5)
    if rules:
        canvas.lines(rules)
    bottom = baseline - BOX_DROP
    for left, _ in boxes:
        canvas.rect(left, bottom, BOX, BOX, stroke=1, fill=0)
    ticked = [left for left, checked in boxes if checked]
    if ticked:
        canvas.saveState()
        canvas.setLineWidth(1.2)
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        for left in ticked:
            path = canvas.beginPath()
            path.moveTo(left + 1.4, bottom + 4.4)
            path.lineTo(left + 3.4, bottom + 1.7)
            path.lineTo(left + 8.2, bottom + 9.2)
            canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()
