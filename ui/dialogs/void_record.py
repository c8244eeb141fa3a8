"""作废: the one dialog every register uses to void a record (投诉, 维修单, 传签单, 通知单).

The record stays in its register, marked 已作废, and takes no further step; the service checks
the user's right and the reason, and writes who voided it and when. A missing or overlong
reason is shown at the field and what was typed is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ui.dialogs.form_dialog import RecordDialog
from ui.dialogs.form_parts import fill, note, shorten, text_box
from ui.widgets.datetime_input import Now

CONTEXT = "VoidRecordDialog"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class VoidRecordDialog(RecordDialog):
    """``void(record_id, reason)`` is the service call (ComplaintService.void …); ``kind`` is
    what the office calls the record (投诉, 维修单 …) and ``lines`` say which one it is."""

    def __init__(
        self,
        void: Callable[[int, str], Any],
        record: Any,
        lines: list[str],
        parent: QWidget | None = None,
        *,
        kind: str,
        now: Now,
    ) -> None:
        self._kind, self._lines = kind, lines
        super().__init__(void, record, parent, now=now)
        self.save_button.setText(self.tr("作废（Ctrl+Enter）"))

    def title_text(self) -> str:
        return self.tr("作废%1 — %2").replace("%1", self._kind).replace("%2", self.record.no)

    def summary(self) -> list[str]:
        return self._lines

    def build(self) -> None:
        self.reason = text_box(4)
        self.reason.setPlaceholderText(self.tr("如：重复登记，已按 TS2026-00012 办理"))
        self.add_field("reason", self.tr("作废原因"), self.reason, span=True, required=True)
        self.add_wide(
            note(
                self.tr(
                    "作废后记录仍保留在登记簿中，显示为“已作废”，不再办理，也不能撤销。"
                    "作废原因、操作人和时间记入处理日志和审计日志。"
                )
            )
        )

    def perform(self) -> Any:
        return self.service(self.record.id or 0, self.reason.toPlainText())


# ----- which record it is, for the grey box on top
def complaint_lines(c: Any) -> list[str]:
    who = "　".join(filter(None, [c.complainant, c.room]))
    return [
        fill(
            _tr("<b>编号</b> %1　　<b>投诉人</b> %2　　<b>状态</b> %3"),
            c.no,
            who or "—",
            c.status.value,
        ),
        fill(_tr("<b>投诉内容</b> %1"), shorten(c.content)),
    ]


def ticket_lines(t: Any) -> list[str]:
    who = "　".join(filter(None, [t.reporter, t.place]))
    return [
        fill(
            _tr("<b>编号</b> %1　　<b>报修人/位置</b> %2　　<b>状态</b> %3"),
            t.no,
            who or "—",
            t.status.value,
        ),
        fill(_tr("<b>故障描述</b> %1"), shorten(t.description)),
    ]


def sheet_lines(s: Any) -> list[str]:
    return [
        fill(
            _tr("<b>编号</b> %1　　<b>日期</b> %2　　<b>关联投诉</b> %3"),
            s.no,
            s.raised_on,
            s.complaint_no or "—",
        ),
        fill(_tr("<b>事由</b> %1"), shorten(s.subject)),
    ]


def notice_lines(n: Any) -> list[str]:
    return [
        fill(
            _tr("<b>编号</b> %1　　<b>签发日期</b> %2　　<b>接收部门</b> %3"),
            n.no,
            n.issued_on,
            n.to_dept,
        ),
        fill(_tr("<b>工作内容</b> %1"), shorten(n.content)),
    ]
