"""Date-time entry that accepts what clerks type (日期时间输入框).

Clerks type through a Chinese IME and copy from paper: ``2026-11-22 9:30``, ``2026/11/22 9:30``,
``２０２６－１１－２２ ９：３０``, ``2026年11月22日 9时30分``. The parsing rules live in
:func:`app.domain.normalize.parse_datetime`; this widget only shows the result: the value is
written back normalised when the field loses focus, and text it cannot read is kept as typed and
marked (red border, the reason in the tooltip and through :attr:`errorChanged`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QToolButton, QWidget

from app.domain.normalize import parse_datetime

Now = Callable[[], datetime]

_ERROR_CSS = "{cls} {{ border: 1px solid #d32f2f; background: #fff5f5; }}"


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Red border on a text field with a problem; plain again when it is fixed."""
    cls = "QPlainTextEdit" if isinstance(widget, QPlainTextEdit) else "QLineEdit"
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.setStyleSheet(_ERROR_CSS.format(cls=cls) if invalid else "")
    widget.setProperty("invalid", invalid)


class DateTimeInput(QLineEdit):
    """日期时间: ``value()`` is a ``datetime`` (or None when blank or unreadable).

    ``now`` is the service clock; when given, Ctrl+; and the small button fill in the current
    time. ``optional=True`` lets the field stay blank (e.g. 要求答复时间).
    """

    errorChanged = Signal(str)  # the Chinese message, "" when the field is fine again

    display_format = "%Y-%m-%d %H:%M"
    example = "2026-11-22 09:30"

    def __init__(
        self, parent: QWidget | None = None, *, now: Now | None = None, optional: bool = False
    ) -> None:
        super().__init__(parent)
        self._now = now
        self._optional = optional
        self._error = ""
        self.setPlaceholderText(self.example)
        self.setToolTip(self._hint())
        self.editingFinished.connect(self.normalise)
        self.textEdited.connect(self._edited)
        self._button: QToolButton | None = None
        if now is not None:
            self._button = QToolButton(self)
            self._button.setText(self._now_label())
            self._button.setToolTip(self.tr("填入当前时间（Ctrl+;）"))
            self._button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self._button.setCursor(Qt.CursorShape.ArrowCursor)
            self._button.setAutoRaise(True)
            self._button.clicked.connect(self.fill_now)
            self.setTextMargins(0, 0, self._button.sizeHint().width(), 0)
        width = self.fontMetrics().horizontalAdvance("2026-11-22 09:30:00") + 60
        self.setMinimumWidth(width)
        self.setMaximumWidth(width + 80)

    # ----- what the dialog reads
    @property
    def optional(self) -> bool:
        return self._optional

    def value(self) -> datetime | None:
        """The typed date-time, or None when blank or not readable."""
        try:
            return self._parse(self.text())
        except ValueError:
            return None

    def setValue(self, value: datetime | date | None) -> None:
        self.setText("" if value is None else self._format(value))
        self._set_error("")

    def error(self) -> str:
        """Why the current text is not a usable value ("" when it is)."""
        try:
            self._parse(self.text())
        except ValueError as e:
            return str(e)
        return ""

    def is_valid(self) -> bool:
        return not self.error()

    # ----- behaviour
    def normalise(self) -> None:
        """Show the parsed value in the standard form; mark the field if it cannot be read."""
        text = self.text()
        if not text.strip():
            # A required field left blank is reported on save, not on the way past it.
            self._set_error("")
            return
        try:
            parsed = self._parse(text)
        except ValueError as e:
            self._set_error(str(e))
            return
        if parsed is not None:
            shown = self._format(parsed)
            if shown != text:
                self.setText(shown)
        self._set_error("")

    def fill_now(self) -> None:
        if self._now is not None:
            self.setValue(self._now())
            self.textEdited.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() == Qt.Key.Key_Semicolon and self._now is not None:
            self.fill_now()
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._button is not None:
            hint = self._button.sizeHint()
            height = min(hint.height(), self.height() - 4)
            self._button.setGeometry(
                self.width() - hint.width() - 2, (self.height() - height) // 2, hint.width(), height
            )

    # ----- the parts the date-only variant changes
    def _parse(self, text: str) -> datetime | None:
        if not text.strip():
            if self._optional:
                return None
            raise ValueError(self.tr("请填写日期时间（示例：%1）").replace("%1", self.example))
        return parse_datetime(text)

    def _format(self, value: datetime | date) -> str:
        if isinstance(value, datetime) and value.second:
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.strftime(self.display_format)

    def _now_label(self) -> str:
        return self.tr("现在")

    def _hint(self) -> str:
        return self.tr(
            "可输入 2026-11-22 09:30、2026/11/22 9:30、2026年11月22日 9时30分；Ctrl+; 填入当前时间"
        )

    def _edited(self, _text: str) -> None:
        if self._error:
            self._set_error("")

    def _set_error(self, message: str) -> None:
        if message == self._error:
            return
        self._error = message
        mark_invalid(self, bool(message))
        self.setToolTip(message or self._hint())
        self.errorChanged.emit(message)


class DateInput(DateTimeInput):
    """日期 only (the escalation forms): ``value()`` is a ``date``."""

    display_format = "%Y-%m-%d"
    example = "2026-11-22"

    def value(self) -> date | None:  # type: ignore[override]
        parsed = super().value()
        return parsed.date() if parsed is not None else None

    def _parse(self, text: str) -> datetime | None:
        if not text.strip():
            if self._optional:
                return None
            raise ValueError(self.tr("请填写日期（示例：%1）").replace("%1", self.example))
        try:
            return parse_datetime(text).replace(hour=0, minute=0, second=0)
        except ValueError as e:
            if str(e).startswith("无法识别"):
                raise ValueError(
                    self.tr("无法识别的日期：%1（示例：%2）")
                    .replace("%1", text.strip()[:40])
                    .replace("%2", self.example)
                ) from None
            raise

    def _format(self, value: datetime | date) -> str:
        return value.strftime(self.display_format)

    def _now_label(self) -> str:
        return self.tr("今天")

    def _hint(self) -> str:
        return self.tr("可输入 2026-11-22、2026/11/22、2026年11月22日；Ctrl+; 填入今天")
