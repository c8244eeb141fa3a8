"""The read-only record beside a register's list (投诉, 报修 …): rich text in a browser, with
the small HTML helpers every register's panel shares (key/value rows, sections, the log).

Every record shows the same way that it was voided (a banner on top: 已作废, who, when, why)
and, when the tab gives a history source, its 修改记录 at the end: each correction with the
earlier and later value of every field it changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from app.domain.voiding import Voiding

if TYPE_CHECKING:
    from app.services.record_trail import Correction

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
.void { color: #c62828; font-weight: bold; }
.old { color: #7a848e; text-decoration: line-through; }
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


def _tr(text: str) -> str:
    return QCoreApplication.translate("RecordDetailPanel", text)


def void_banner(v: Voiding) -> str:
    """已作废 on top of the record: by whom, when and why."""
    head = _tr("已作废") + f"（{v.by or '—'} {when(v.at)}）"
    return (
        f'<p class="void">{escape(head)}</p>'
        f'<table><tr><td class="k">{escape(_tr("作废原因"))}</td>'
        f"<td>{multiline(v.reason)}</td></tr></table>"
    )


def history_section(found: list[Correction]) -> str:
    """修改记录: each correction (when, who), then every field it changed, earlier → later."""
    if not found:
        return section(_tr("修改记录"), f'<span class="muted">{escape(_tr("登记后未修改"))}</span>')
    blank = f'<span class="muted">{escape(_tr("（空）"))}</span>'
    parts = []
    for c in found:
        changes = "".join(
            f'<tr><td class="k">{escape(ch.label)}</td><td>'
            + (f'<span class="old">{multiline(ch.before)}</span>' if ch.before else blank)
            + " → "
            + (multiline(ch.after) if ch.after else blank)
            + "</td></tr>"
            for ch in c.changes
        )
        parts.append(f"{escape(c.at[:16])} <b>{escape(c.actor)}</b><table>{changes}</table>")
    return section(_tr("修改记录"), "".join(parts))


class RecordDetailPanel(QWidget):
    """Read-only; ``show_record(None)`` shows the hint to pick one. Subclasses give
    ``EMPTY_HINT`` (a source text in ``tr_context``) and :meth:`record_html`."""

    tr_context = "RecordDetailPanel"
    EMPTY_HINT = ""
    OBJECT_NAME = "recordDetail"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.record: Any = None
        self._history: Callable[[int], list[Correction]] | None = None
        self.browser = QTextBrowser(objectName=self.OBJECT_NAME, openLinks=False)
        self.browser.document().setDefaultStyleSheet(CSS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)

    def set_history_source(self, history: Callable[[int], list[Correction]]) -> None:
        """Where the 修改记录 comes from (ComplaintService.history …)."""
        self._history = history

    def text(self) -> str:
        """What the panel shows, as plain text."""
        return self.browser.toPlainText()

    def show_record(self, record: Any) -> None:
        self.record = record
        if record is None:
            hint = QCoreApplication.translate(self.tr_context, self.EMPTY_HINT)
            self.browser.setHtml(f'<p class="muted">{escape(hint)}</p>')
            return
        html = self.record_html(record)
        voiding = getattr(record, "void", None)
        if voiding is not None:
            html = void_banner(voiding) + html
        if self._history is not None and record.id is not None:
            html += history_section(self._history(record.id))
        self.browser.setHtml(html)

    def record_html(self, record: Any) -> str:
        raise NotImplementedError
