"""报修登记: a new repair ticket, or a correction of its report, typed from the paper
维修派工单 in the paper's order.

The 到场/完成 limits are shown live as the clerk types: they come from
``RepairService.deadlines`` on a draft ticket, so the screen and the register agree.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.domain.errors import FieldError
from app.domain.repair import RepairChannel, RepairTicket, RepairUrgency
from app.domain.repair_workflow import validate_intake
from ui.dialogs.form_dialog import FormDialog
from ui.dialogs.form_parts import ChoiceGroup, combo, note, text_box
from ui.widgets.contact_fields import ContactFields
from ui.widgets.datetime_input import DateTimeInput
from ui.widgets.form_support import RoomInput

TIME = "%Y-%m-%d %H:%M"


class RepairIntakeDialog(FormDialog):
    """报修登记. ``saved`` holds the registered (or corrected) ticket after OK."""

    def __init__(
        self,
        repairs,
        repair_reference,
        reference,
        ticket: RepairTicket | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("", parent, columns=2)
        self.setWindowTitle(
            self.tr("报修登记")
            if ticket is None
            else self.tr("修改报修内容 — %1").replace("%1", ticket.no)
        )
        self._repairs = repairs
        self._ticket = ticket
        self.draft: RepairTicket | None = None  # what was typed, kept if a save fails
        t = ticket
        self._facilities = {f.name: f.id for f in repair_reference.facilities()}
        self.reported_at = DateTimeInput(now=repairs.now)
        self.reported_at.setValue(t.reported_at if t else repairs.now())
        self.channel = combo([c.value for c in RepairChannel], t.channel.value if t else "")
        self.reporter = QLineEdit(t.reporter if t else "")
        self.phone = QLineEdit(t.phone if t else "")
        self.room = RoomInput(reference)
        self.room.setText(t.room if t else "")
        self.location = combo(self._facilities, t.location if t else "", editable=True)
        self.location.lineEdit().setPlaceholderText(self.tr("公共位置，或从设施台账选择"))
        self.category = combo(repair_reference.categories(), t.category if t else "", blank=True)
        self.urgency = ChoiceGroup(
            [u.value for u in RepairUrgency], (t.urgency if t else RepairUrgency.NORMAL).value
        )
        self.chargeable = ChoiceGroup(
            [self.tr("无偿"), self.tr("有偿")],
            self.tr("有偿") if t and t.chargeable else self.tr("无偿"),
        )
        self.description = text_box(5, t.description if t else "", grow=True)
        self.description.setPlaceholderText(self.tr("照派工单填写，可多行；Tab 键转到下一栏"))
        self.appointment_at = DateTimeInput(now=repairs.now, optional=True)
        self.appointment_at.setValue(t.appointment_at if t else None)
        self.appointment_at.setPlaceholderText(self.tr("业主约定上门时间，没有可不填"))
        self.deadline_label = QLabel()
        self.deadline_label.setWordWrap(True)
        self.contact = ContactFields(
            self.errors,
            self.room,
            self.reporter,
            self.phone,
            person_label=self.tr("报修人"),
            room_error=repairs.room_error,
        )
        self._lay_out()
        for signal in (
            self.reported_at.textChanged,
            self.appointment_at.textChanged,
            self.category.currentTextChanged,
            self.urgency.group.buttonToggled,
        ):
            signal.connect(self.update_deadline)
        self.update_deadline()
        self.finish()
        self.fit(800)

    def _lay_out(self) -> None:
        add = self.add_field
        add("reported_at", self.tr("报修时间"), self.reported_at, required=True)
        add("channel", self.tr("报修方式"), self.channel)
        add("reporter", self.tr("报修人"), self.reporter)
        add("phone", self.tr("联系电话"), self.phone)
        add("room", self.tr("房号"), self.room)
        room_box = self.boxes["room"].layout()
        assert room_box is not None
        room_box.addWidget(self.contact.hint)
        add("location", self.tr("位置/设施"), self.location)
        self.add_wide(note(self.tr("房号与位置/设施至少填一项；公共设施请从台账中选择。")))
        add("category", self.tr("维修类别"), self.category)
        add("urgency", self.tr("紧急程度"), self.urgency)
        add("chargeable", self.tr("是否有偿"), self.chargeable)
        add("description", self.tr("故障描述"), self.description, span=True, required=True)
        add("appointment_at", self.tr("预约上门时间"), self.appointment_at)
        self.next_row()
        add("due", self.tr("维修时限"), self.deadline_label, span=True)

    # ----- live feedback
    def update_deadline(self, *_args: object) -> None:
        """到场/完成 limits for what is typed now."""
        draft = self._draft()
        if draft is None:
            self.deadline_label.setText(self.tr("（填写报修时间后自动计算）"))
            return
        try:
            d = self._repairs.deadlines(draft)
        except ValueError as e:  # the 维修时限表 lacks the row
            self.deadline_label.setTextFormat(Qt.TextFormat.PlainText)
            self.deadline_label.setText(str(e))
            return
        self.deadline_label.setTextFormat(Qt.TextFormat.RichText)
        self.deadline_label.setText(
            self.tr("到场 <b>%1</b> 前，完成 <b>%2</b> 前")
            .replace("%1", f"{d.arrive_due:{TIME}}")
            .replace("%2", f"{d.complete_due:{TIME}}")
        )

    # ----- saving
    def _draft(self, fallback: datetime | None = None) -> RepairTicket | None:
        """The ticket as typed (None while 报修时间 cannot be read and no fallback is given)."""
        reported_at = self.reported_at.value() or fallback
        if reported_at is None:
            return None
        location = self.location.currentText().strip()
        fields: dict[str, Any] = dict(
            reported_at=reported_at,
            channel=RepairChannel(self.channel.currentText()),
            reporter=self.reporter.text().strip(),
            phone=self.phone.text().strip(),
            room=self.room.text().strip(),
            location=location,
            facility_id=self._facilities.get(location),
            category=self.category.currentText(),
            urgency=RepairUrgency(self.urgency.value()),
            chargeable=self.chargeable.value() == self.tr("有偿"),
            description=self.description.toPlainText().strip(),
            appointment_at=self.appointment_at.value(),
        )
        if self._ticket is not None:
            return dataclasses.replace(self._ticket, **fields)
        return RepairTicket(**fields)

    def extra_errors(self) -> list[FieldError]:
        """While 报修时间 is unreadable the ticket cannot be saved; still list what else is
        missing, judged by the core's own intake rules."""
        draft = self._draft(self._repairs.now())
        if draft is None:
            return []
        room = self._repairs.room_error(draft.room)
        return validate_intake(draft) + ([room] if room else [])

    def perform(self) -> RepairTicket:
        draft = self._draft()
        assert draft is not None  # 报修时间 was checked by input_errors()
        self.draft = draft
        if self._ticket is None:
            saved = self._repairs.register(draft)
        else:
            saved = self._repairs.correct_intake(draft)
        self.draft = None
        return saved
