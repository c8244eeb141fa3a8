"""登记投诉 dialog: keyboard-only intake, forgiving date-times, errors at the fields, nothing
typed is ever lost."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QPushButton, QRadioButton

from app.domain.complaint import Channel, Status, Urgency
from app.domain.listing import ComplaintFilter, Sort
from app.store.reference import Household
from tests.ui.dialog_support import commit, focused, patch_message_boxes, show_active
from ui.dialogs.complaint_intake import ComplaintIntakeDialog
from ui.widgets.datetime_input import DateInput, DateTimeInput


@pytest.fixture(autouse=True)
def boxes(monkeypatch):
    return patch_message_boxes(monkeypatch)


@pytest.fixture
def dialog(qtbot, services):
    d = ComplaintIntakeDialog(services.complaints, services.reference)
    show_active(qtbot, d)
    return d


def registered(services) -> list[int]:
    return services.complaints.list_ids(ComplaintFilter(), Sort())


def key(qtbot, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), k, modifier)


def test_the_whole_form_by_keyboard(qtbot, services, dialog):
    assert focused() is dialog.received_at
    dialog.received_at.selectAll()
    qtbot.keyClicks(focused(), "2026/11/20 9:30")
    key(qtbot, Qt.Key.Key_Return)
    assert dialog.received_at.text() == "2026-11-20 09:30"  # normalised on the way out
    commit(focused(), "前台小李")  # 接待人
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is dialog.complainant
    commit(focused(), "王秀英")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.keyClicks(focused(), "3-2-1201")
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is dialog.phone
    qtbot.keyClicks(focused(), "138 1234 5678")
    key(qtbot, Qt.Key.Key_Return)
    assert dialog.phone.text() == "13812345678"
    key(qtbot, Qt.Key.Key_Down)  # 投诉方式: 来电 → 来访
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Down)  # 投诉类别: the first category
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is dialog.content
    commit(focused(), "楼上装修，早上七点前就开始电钻施工。")
    key(qtbot, Qt.Key.Key_Tab)  # Tab leaves the long text box, it does not insert a tab
    assert "\t" not in dialog.content.toPlainText()
    commit(focused(), "尽快制止")  # 顾客要求
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.requested_reply_at
    key(qtbot, Qt.Key.Key_Return)  # left blank: optional
    assert focused().text() == "不严重"  # Tab lands on the ticked choice
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Left)  # 紧急
    assert dialog.urgency.value() == "紧急"
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves

    c = dialog.saved_complaint
    assert dialog.result() == dialog.DialogCode.Accepted
    assert (c.received_at, c.receiver, c.complainant, c.room, c.phone) == (
        datetime(2026, 11, 20, 9, 30),
        "前台小李",
        "王秀英",
        "3-2-1201",
        "13812345678",
    )
    assert c.channel == Channel.VISIT and c.category == services.reference.categories()[0]
    assert c.content == "楼上装修，早上七点前就开始电钻施工。" and c.request == "尽快制止"
    assert c.urgency == Urgency.URGENT and c.requested_reply_at is None
    assert c.status == Status.REGISTERED and c.no
    assert registered(services) == [c.id]


def test_tab_order_follows_the_paper_form(dialog):
    d = dialog
    expected = [
        d.received_at,
        d.receiver,
        d.complainant,
        d.room,
        d.phone,
        d.channel,
        d.category,
        d.content,
        d.request,
        d.requested_reply_at,
        d.severity.button("不严重"),
        d.urgency.button("不紧急"),
        d.immediate,
        d.save_button,
    ]
    seen = []
    d.received_at.setFocus()
    for _ in expected:
        seen.append(focused())
        d.focusNextChild()
    assert [w if not isinstance(w.parent(), QComboBox) else w.parent() for w in seen] == expected
    assert isinstance(seen[-1], QPushButton)
    assert all(isinstance(w, QRadioButton) for w in seen[10:12])
    assert isinstance(seen[12], QCheckBox)


@pytest.mark.parametrize(
    "typed",
    [
        "２０２６－１１－２２ ９：３０",
        "2026年11月22日 9时30分",
        "2026/11/22 9:30",
        "2026.11.22 9点半",
    ],
)
def test_date_time_input_accepts_what_clerks_type(qtbot, typed):
    field = DateTimeInput()
    qtbot.addWidget(field)
    commit(field, typed)
    field.normalise()
    assert field.value() == datetime(2026, 11, 22, 9, 30)
    assert field.text() == "2026-11-22 09:30"
    assert field.error() == ""


def test_date_input_and_now(qtbot, clock):
    field = DateInput(now=clock)
    qtbot.addWidget(field)
    assert field.placeholderText() == "2026-11-22"
    qtbot.keyClick(field, Qt.Key.Key_Semicolon, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == "2026-11-20" and field.value() == clock().date()
    field.setText("2026-13-01")
    field.normalise()
    assert "日期不存在" in field.error() and field.property("invalid")
    assert field.text() == "2026-13-01"


def test_ctrl_semicolon_fills_now(qtbot, dialog, clock):
    field = dialog.requested_reply_at
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Semicolon, Qt.KeyboardModifier.ControlModifier)
    assert field.value() == clock()


def test_impossible_date_is_shown_at_the_field_and_kept(qtbot, services, dialog):
    field = dialog.received_at
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "2026-02-30 10:00")
    key(qtbot, Qt.Key.Key_Tab)  # leaving the field reads it
    assert field.text() == "2026-02-30 10:00"
    assert "日期不存在" in dialog.errors.message("received_at")
    assert field.property("invalid") is True and "日期不存在" in field.toolTip()
    assert "登记时间后自动计算" in dialog.deadline_label.text()
    dialog.content.setPlainText("噪音")
    dialog.complainant.setText("王秀英")
    dialog.save()
    assert dialog.isVisible() and registered(services) == []
    assert field.text() == "2026-02-30 10:00"
    field.setText("2026-02-28 10:00")  # fixing the text clears the mark
    field.normalise()
    assert dialog.errors.message("received_at") == "" and not field.property("invalid")


def test_all_problems_are_listed_at_once(qtbot, services, dialog):
    dialog.received_at.setText("2026-11-31 10:00")
    dialog.phone.setFocus()
    qtbot.keyClicks(dialog.phone, "138123")
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)  # checked on the way past
    assert "联系电话格式不对" in dialog.errors.message("phone")
    dialog.save()
    assert "日期不存在" in dialog.errors.message("received_at")
    assert dialog.errors.message("content") == "请填写投诉内容"
    assert dialog.errors.message("complainant") == "投诉人和房号至少填写一项"
    assert "联系电话格式不对" in dialog.errors.message("phone")
    assert "4 处" in dialog.errors.banner.text()
    assert focused() is dialog.received_at  # the first bad field in the paper's order


def test_empty_content_stays_open_with_everything_typed(qtbot, services, dialog):
    commit(dialog.complainant, "王秀英")
    dialog.room.setText("3-2-1201")
    commit(dialog.request, "明天中午前答复")
    dialog.urgency.button("紧急").setChecked(True)
    dialog.content.setFocus()
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.saved_complaint is None
    assert dialog.errors.message("content") == "请填写投诉内容"
    assert dialog.errors.banner.isVisible()
    assert focused() is dialog.content
    assert (
        dialog.complainant.text(),
        dialog.room.text(),
        dialog.request.toPlainText(),
        dialog.urgency.value(),
    ) == ("王秀英", "3-2-1201", "明天中午前答复", "紧急")
    assert registered(services) == []
    commit(dialog.content, "噪音")  # editing clears the message
    assert dialog.errors.message("content") == ""


def test_live_deadline_follows_urgency_and_requested_time(dialog):
    assert "2026-11-24 23:59" in dialog.deadline_label.text()  # Fri → 2nd working day Tue
    assert "第2个工作日" in dialog.deadline_label.text()
    dialog.urgency.button("紧急").setChecked(True)
    assert "2026-11-20 12:00" in dialog.deadline_label.text()
    assert "2小时" in dialog.deadline_label.text()
    dialog.requested_reply_at.setText("2026-11-21 18:00")
    assert "2026-11-21 18:00" in dialog.deadline_label.text()
    assert "顾客要求的答复时间" in dialog.deadline_label.text()
    assert dialog.deadline_warning.isHidden()


def test_deadline_warns_when_the_calendar_is_estimated(dialog):
    dialog.received_at.setText("2027-03-05 10:00")
    assert "2027-03-09 23:59" in dialog.deadline_label.text()
    assert not dialog.deadline_warning.isHidden()
    assert "估算" in dialog.deadline_warning.text()


def test_room_completion_from_the_household_register(qtbot, services):
    services.reference.save_households(
        [
            Household("3", "2", "1201", "张建国", "13900001111"),
            Household("5", "1", "0302", "李梅", ""),
        ]
    )
    d = ComplaintIntakeDialog(services.complaints, services.reference)
    show_active(qtbot, d)
    d.room.setFocus()
    qtbot.keyClicks(d.room, "1201")
    popup = d.room.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert d.room.completer().currentCompletion() == "3-2-1201"
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert d.room.text() == "3-2-1201"
    assert (d.complainant.text(), d.phone.text()) == ("张建国", "13900001111")
    assert "张建国" in d.household_hint.text() and not d.household_hint.isHidden()


def test_a_room_outside_the_register_is_flagged_on_leaving_it(qtbot, services):
    services.reference.save_households([Household("3", "2", "1201", "张建国", "")])
    d = ComplaintIntakeDialog(services.complaints, services.reference)
    show_active(qtbot, d)
    d.room.setFocus()
    qtbot.keyClicks(d.room, "9-9-9999")
    qtbot.keyClick(d.room, Qt.Key.Key_Escape)  # close the (empty) completion list
    d.phone.setFocus()
    assert "不在住户登记中" in d.errors.message("room")
    assert d.room.text() == "9-9-9999"
    d.room.setText("3-2-1201")
    assert d.errors.message("room") == ""


def test_owner_does_not_overwrite_what_was_typed(qtbot, services, dialog):
    services.reference.save_households([Household("3", "2", "1201", "张建国", "13900001111")])
    d = ComplaintIntakeDialog(services.complaints, services.reference)
    qtbot.addWidget(d)
    d.complainant.setText("王秀英")  # a tenant, not the owner
    d.room.setText("3栋2单元1201")
    d.room.editingFinished.emit()
    assert d.room.text() == "3-2-1201"
    assert (d.complainant.text(), d.phone.text()) == ("王秀英", "13900001111")


def test_empty_register_takes_free_text(qtbot, services, dialog):
    assert dialog.room.completer() is None
    dialog.room.setText("北门岗亭")
    dialog.room.editingFinished.emit()
    dialog.content.setPlainText("岗亭附近路灯不亮")
    dialog.save()
    assert dialog.saved_complaint.room == "北门岗亭"


def test_escape_asks_before_discarding_typed_text(qtbot, dialog, boxes):
    commit(dialog.complainant, "王秀英")
    qtbot.keyClick(dialog.complainant, Qt.Key.Key_Escape)
    assert boxes.texts("question") and dialog.isVisible()  # answered No
    assert dialog.complainant.text() == "王秀英"
    boxes.answer = boxes.answer.Yes
    qtbot.keyClick(dialog.complainant, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_escape_on_an_untouched_form_just_closes(qtbot, dialog, boxes):
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert not dialog.isVisible() and boxes.shown == []


def test_a_failed_write_keeps_the_draft_and_the_text(qtbot, services, dialog, boxes, monkeypatch):
    def disk_full(*_args, **_kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(services.complaints, "register", disk_full)
    dialog.complainant.setText("王秀英")
    dialog.content.setPlainText("电梯异响")
    dialog.save()
    assert dialog.isVisible()
    assert any("磁盘已满" in t for t in boxes.texts("critical"))
    assert dialog.draft is not None and dialog.draft.content == "电梯异响"
    assert dialog.content.toPlainText() == "电梯异响"


def test_immediate_reply_is_revealed_and_recorded(qtbot, dialog):
    assert not dialog.immediate_reply.isVisible()
    dialog.immediate.setChecked(True)
    assert dialog.immediate_reply.isVisible()
    dialog.complainant.setText("王秀英")
    dialog.content.setPlainText("停水什么时候恢复？")
    dialog.immediate_reply.setPlainText("下午三点前恢复供水")
    dialog.save()
    c = dialog.saved_complaint
    assert c.immediate_reply == "下午三点前恢复供水" and c.replied_at == c.received_at


def test_correcting_an_intake(qtbot, services, dialog):
    dialog.complainant.setText("王秀英")
    dialog.content.setPlainText("电梯异响")
    dialog.save()
    first = dialog.saved_complaint
    d = ComplaintIntakeDialog(services.complaints, services.reference, first)
    qtbot.addWidget(d)
    assert first.no in d.windowTitle() and d.content.toPlainText() == "电梯异响"
    assert "immediate_reply" not in d.boxes  # the reply is not part of an intake correction
    d.content.setPlainText("3号电梯运行时异响")
    d.phone.setText("12")
    d.save()
    assert "联系电话格式不对" in d.errors.message("phone") and d.saved_complaint is None
    d.phone.setText("0755-12345678")
    d.save()
    assert d.saved_complaint.content == "3号电梯运行时异响"
    assert services.complaints.get(first.id).phone == "0755-12345678"
