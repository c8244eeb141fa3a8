"""登记投诉: a new complaint, or a correction of one's intake, typed from the paper
顾客投诉处理记录表 in the paper's order (forms.md).

The reply deadline (答复期限) is shown live as the clerk types: it comes from
``ComplaintService.deadline`` on a draft record, so the screen and the register agree.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.complaint import Channel, Complaint, Severity, Urgency
from app.domain.complaint_workflow import validate_intake
from app.domain.errors import FieldError
from ui.dialogs.form_dialog import FormDialog
from ui.dialogs.form_parts import ChoiceGroup, combo, text_box
from ui.widgets.contact_fields import ContactFields
from ui.widgets.datetime_input import DateTimeInput
from ui.widgets.form_support import RoomInput

if TYPE_CHECKING:
    from app.services.complaints import ComplaintService
    from app.services.reference import ReferenceService

WARN_STYLE = "QLabel { color: #b26a00; }"


class ComplaintIntakeDialog(FormDialog):
    """顾客投诉登记. ``saved_complaint`` holds the registered (or corrected) record after OK."""

    def __init__(
        self,
        complaints: ComplaintService,
        reference: ReferenceService,
        complaint: Complaint | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("", parent, columns=2)
        self.setWindowTitle(
            self.tr("登记投诉")
            if complaint is None
            else self.tr("修改登记内容 — %1").replace("%1", complaint.no)
        )
        self._complaints = complaints
        self._complaint = complaint
        self.draft: Complaint | None = None  # what was typed, kept if a save fails
        c = complaint
        self.received_at = DateTimeInput(now=complaints.now)
        self.received_at.setValue(c.received_at if c else complaints.now())
        self.receiver = combo(reference.staff_names(), c.receiver if c else "", editable=True)
        self.complainant = QLineEdit(c.complainant if c else "")
        self.room = RoomInput(reference)
        self.room.setText(c.room if c else "")
        self.phone = QLineEdit(c.phone if c else "")
        self.channel = combo([ch.value for ch in Channel], c.channel.value if c else "")
        self.category = combo(reference.categories(), c.category if c else "", blank=True)
        self.content = text_box(6, c.content if c else "", grow=True)
        self.content.setPlaceholderText(self.tr("照登记表填写，可多行；Tab 键转到下一栏"))
        self.request = text_box(2, c.request if c else "")
        self.requested_reply_at = DateTimeInput(now=complaints.now, optional=True)
        self.requested_reply_at.setValue(c.requested_reply_at if c else None)
        self.requested_reply_at.setPlaceholderText(self.tr("顾客没有要求可不填"))
        self.severity = ChoiceGroup(
            [s.value for s in Severity], (c.severity if c else Severity.NOT_SERIOUS).value
        )
        self.urgency = ChoiceGroup(
            [u.value for u in Urgency], (c.urgency if c else Urgency.NOT_URGENT).value
        )
        self.deadline_label = QLabel()
        self.deadline_warning = QLabel()
        self.deadline_warning.setStyleSheet(WARN_STYLE)
        self.deadline_warning.setWordWrap(True)
        self.contact = ContactFields(
            self.errors,
            self.room,
            self.complainant,
            self.phone,
            person_label=self.tr("投诉人"),
            room_error=complaints.room_error,
        )
        self.household_hint = self.contact.hint
        self.immediate = QCheckBox(self.tr("能即时答复的，填写答复内容"))
        self.immediate_reply = text_box(3)
        self._lay_out(correcting=c is not None)
        self._connect()
        self.update_deadline()
        self.finish()
        self.fit(780)

    @property
    def saved_complaint(self) -> Complaint | None:
        return self.saved  # type: ignore[no-any-return]

    def _lay_out(self, correcting: bool) -> None:
        add = self.add_field
        add("received_at", self.tr("登记时间"), self.received_at, required=True)
        add("receiver", self.tr("接待人"), self.receiver)
        add("complainant", self.tr("投诉人"), self.complainant)
        add("room", self.tr("房号"), self.room)
        room_box = self.boxes["room"].layout()
        assert room_box is not None
        room_box.addWidget(self.household_hint)
        add("phone", self.tr("联系电话"), self.phone)
        add("channel", self.tr("投诉方式"), self.channel)
        add("category", self.tr("投诉类别"), self.category)
        self.next_row()
        add("content", self.tr("投诉内容"), self.content, span=True, required=True)
        add("request", self.tr("顾客要求"), self.request, span=True)
        add("requested_reply_at", self.tr("要求答复时间"), self.requested_reply_at)
        self.next_row()
        add("severity", self.tr("严重程度"), self.severity)
        add("urgency", self.tr("紧急程度"), self.urgency)
        deadline = QWidget()
        column = QVBoxLayout(deadline)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.deadline_label)
        column.addWidget(self.deadline_warning)
        add("due_at", self.tr("答复期限"), deadline, span=True)
        if correcting:
            return  # 即时答复 is part of the reply, not of the intake a correction changes
        self.add_wide(self.immediate)
        add("immediate_reply", self.tr("即时答复"), self.immediate_reply, span=True)
        self.reveal_with(self.immediate, "immediate_reply")

    def _connect(self) -> None:
        self.received_at.textChanged.connect(self.update_deadline)
        self.requested_reply_at.textChanged.connect(self.update_deadline)
        self.urgency.group.buttonToggled.connect(self.update_deadline)

    # ----- live feedback
    def update_deadline(self, *_args: object) -> None:
        """答复期限 for what is typed now, with the rule that sets it."""
        draft = self._draft()
        if draft is None:
            self.deadline_label.setText(self.tr("（填写登记时间后自动计算）"))
            self.deadline_warning.hide()
            return
        due = self._complaints.deadline(draft)
        self.deadline_label.setText(f"<b>{due.due_at:%Y-%m-%d %H:%M}</b>　（{due.rule}）")
        self.deadline_warning.setText(
            self.tr(
                "注意：%1年的节假日安排尚未公布，工作日按周一至周五估算，公布后会自动重算。"
            ).replace("%1", str(due.due_at.year))
        )
        self.deadline_warning.setVisible(due.estimated)

    # ----- saving
    def _draft(self, fallback: datetime | None = None) -> Complaint | None:
        """The record as typed (None while 登记时间 cannot be read and no fallback is given)."""
        received_at = self.received_at.value() or fallback
        if received_at is None:
            return None
        fields: dict[str, Any] = dict(
            received_at=received_at,
            receiver=self.receiver.currentText().strip(),
            complainant=self.complainant.text().strip(),
            room=self.room.text().strip(),
            phone=self.phone.text().strip(),
            channel=Channel(self.channel.currentText()),
            category=self.category.currentText(),
            content=self.content.toPlainText().strip(),
            request=self.request.toPlainText().strip(),
            requested_reply_at=self.requested_reply_at.value(),
            severity=Severity(self.severity.value()),
            urgency=Urgency(self.urgency.value()),
        )
        if self._complaint is not None:
            return dataclasses.replace(self._complaint, **fields)
        reply = self.immediate_reply.toPlainText().strip() if self.immediate.isChecked() else ""
        return Complaint(**fields, immediate_reply=reply)

    def extra_errors(self) -> list[FieldError]:
        """While 登记时间 is unreadable the record cannot be saved; still list what else is
        missing, judged by the core's own intake rules."""
        draft = self._draft(self._complaints.now())
        if draft is None:
            return []
        errors = validate_intake(draft)
        room = self._complaints.room_error(draft.room)
        return errors + ([room] if room else [])

    def perform(self) -> Complaint:
        draft = self._draft()
        assert draft is not None  # 登记时间 was checked by input_errors()
        self.draft = draft
        if self._complaint is None:
            saved = self._complaints.register(draft)
        else:
            saved = self._complaints.correct_intake(draft)
        self.draft = None
        return saved
