"""The one font every printed form uses: the shipped WenQuanYi Micro Hei (文泉驿微米黑).

Registering the 4.6 MB TrueType file with reportlab takes about half a second, so it is done once
per process, on first use, and never at import time. reportlab embeds only the glyphs a document
uses (a subset, with a ToUnicode map so the text can be searched and copied). System fonts are
never consulted, so a form prints the same on every PC.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from app.paths import FONT_FILE, resource_path

if TYPE_CHECKING:  # reportlab loads when the first form is printed, not with the program
    from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "WQYMicroHei"
MISSING = "□"  # printed for a character the font cannot draw (an emoji, a rare 汉字)

_lock = threading.Lock()
_font: TTFont | None = None


def _load() -> TTFont:
    global _font
    if _font is None:
        with _lock:
            if _font is None:
                from reportlab.pdfbase import pdfmetrics
                from reportlab.pdfbase.ttfonts import TTFont

                path = resource_path(FONT_FILE)
                if not path.is_file():
                    raise FileNotFoundError(f"打印字体文件缺失：{path}")
                font = TTFont(FONT_NAME, str(path))
                pdfmetrics.registerFont(font)
                _font = font
    return _font


def font_name() -> str:
    """The registered font's name, registering it on the first call."""
    _load()
    return FONT_NAME


def has_glyph(char: str) -> bool:
    """Whether the font can draw `char` (it has no ☐/☑, for instance)."""
    return ord(char) in _load().face.charToGlyph


def drawable(text: str) -> str:
    """`text` with each character the font lacks shown as □, rather than silently left blank."""
    glyphs = _load().face.charToGlyph
    if all(ord(ch) in glyphs for ch in text):
        return text
    return "".join(ch if ord(ch) in glyphs else MISSING for ch in text)
