"""房号 + person + 联系电话 on an intake form (投诉登记, 报修登记): what they do together."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from app.domain.errors import FieldError
from app.domain.normalize import normalize_phone
from ui.widgets.form_support import FieldErrors, RoomInput


def _tr(text: str) -> str:
    return QCoreApplication.translate("ContactFields", text)


class ContactFields(QObject):
    """房号 + person + 联系电话 on an intake form: a known household offers its owner and phone
    (never over what was typed), the phone is shown in its standard form on leaving it, and a
    room outside the household register is flagged at once (``room_error`` is the service's)."""

    def __init__(
        self,
        errors: FieldErrors,
        room: RoomInput,
        person: QLineEdit,
        phone: QLineEdit,
        *,
        person_label: str,
        room_error: Callable[[str], FieldError | None],
    ) -> None:
        super().__init__(errors)
        self._errors, self._room, self._person, self._phone = errors, room, person, phone
        self._person_label, self._room_error = person_label, room_error
        self.hint = QLabel()
        self.hint.setStyleSheet("QLabel { color: #555; }")
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.hide()
        phone.setPlaceholderText(_tr("手机或座机，如 13812345678"))
        phone.editingFinished.connect(self.tidy_phone)
        room.householdFound.connect(self.offer_household)
        room.editingFinished.connect(self.check_room)

    def tidy_phone(self) -> None:
        """Show the number in its standard form, or say at once why it is not one."""
        try:
            phone = normalize_phone(self._phone.text())
        except ValueError as e:
            self._errors.show_field("phone", str(e))  # left as typed
            return
        if phone != self._phone.text():
            self._phone.setText(phone)

    def check_room(self) -> None:
        """A room not in the household register is flagged as soon as the clerk moves on."""
        error = self._room_error(self._room.text().strip())
        if error is not None:
            self._errors.show_field("room", error.message)

    def offer_household(self, owner: str, phone: str) -> None:
        filled = []
        if owner and not self._person.text().strip():
            self._person.setText(owner)
            filled.append(self._person_label)
        if phone and not self._phone.text().strip():
            self._phone.setText(phone)
            filled.append(_tr("联系电话"))
        text = _tr("住户登记：业主 %1　%2").replace("%1", owner or "—").replace("%2", phone)
        if filled:
            text += _tr("（已填入%1，可修改）").replace("%1", "、".join(filled))
        self.hint.setText(text)
        self.hint.show()
