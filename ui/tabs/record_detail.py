"""The read-only record beside a register's list (投诉, 报修 …): rich text in a browser, with
the small HTML helpers every register's panel shares (key/value rows, sections, the log)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

TIME = "%Y-%m-%d %H:%M"
CSS = """
h3 { margin: 0 0 4px 0; }
h4 { margin: 10px 0 2px 0; color: #35506b; }
td { padding: 1px 6px 1px 0; vertical-align: top; }
td.k { color: #5f6b77; white-space: nowrap; }
td.n { text-align: right; white-space: nowrap; }
th { color: #5f6b77; font-weight: normal; text-align: left; padding: 1px 6px 1px 0; }
.warn { color: #b45f06; }
.late { color: #c62828; font-weight: bold; }
.muted { color: #7a848e; }
"""


def when(value: datetime | None) -> str:
    return f"{value:{TIME}}" if value else ""


def rows(pairs: Iterable[tuple[str, str]]) -> str:
    """Key/value lines; values are HTML already (escape what was typed), empty ones left out."""
    cells = "".join(f'<tr><td class="k">{escape(k)}</td><td>{v}</td></tr>' for k, v in pairs if v)
    return f"<table>{cells}</table>"


def section(title: str, body: str) -> str:
    return f"<h4>{escape(title)}</h4>{body}"


def lines(texts: Iterable[str]) -> str:
    """Plain lines, escaped, one under another."""
    return "<br>".join(escape(t) for t in texts)


def multiline(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def event_log(events: Iterable[dict[str, Any]]) -> str:
    """处理日志: when, what (bold), who, and the detail."""
    return "<br>".join(
        "{} <b>{}</b> {} {}".format(
            escape(str(e["at"])[:16].replace("T", " ")),
            escape(e["action"]),
            escape(e["actor"] or ""),
            escape(e["detail"] or ""),
        )
        for e in events
    )


class RecordDetailPanel(QWidget):
    """Read-only; ``show_record(None)`` shows the hint to pick one. Subclasses give
    ``EMPTY_HINT`` (a source text in ``tr_context``) and :meth:`record_html`."""

    tr_context = "RecordDetailPanel"
    EMPTY_HINT = ""
    OBJECT_NAME = "recordDetail"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.record: Any = None
        self.browser = QTextBrowser(objectName=self.OBJECT_NAME, openLinks=False)
        self.browser.document().setDefaultStyleSheet(CSS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)

    def text(self) -> str:
        """What the panel shows, as plain text."""
        return self.browser.toPlainText()

    def show_record(self, record: Any) -> None:
        self.record = record
        if record is None:
            hint = QCoreApplication.translate(self.tr_context, self.EMPTY_HINT)
            self.browser.setHtml(f'<p class="muted">{escape(hint)}</p>')
            return
        self.browser.setHtml(self.record_html(record))

    def record_html(self, record: Any) -> str:
        raise NotImplementedError
