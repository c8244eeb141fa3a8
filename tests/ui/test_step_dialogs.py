"""The workflow step dialogs: each performs its one service call and moves the complaint on."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.domain.complaint import Complaint, ReplyMethod, Status, Urgency, Validity
from tests.ui.dialog_support import commit, patch_message_boxes, show_active
from ui.dialogs.complaint_steps import (
    FollowUpDialog,
    HandlingDialog,
    JudgeDialog,
    ReplyDialog,
    ReturnVisitDialog,
    ReviewDialog,
)


@pytest.fixture(autouse=True)
def boxes(monkeypatch):
    return patch_message_boxes(monkeypatch)


@pytest.fixture
def complaint(services, clock) -> Complaint:
    return services.complaints.register(
        Complaint(
            received_at=clock(),
            content="3号楼电梯运行时有异响，老人不敢乘坐。",
            urgency=Urgency.NOT_URGENT,
            complainant="王秀英",
            room="3-2-1201",
        )
    )


def valid_and_replied(services, complaint) -> Complaint:
    c = services.complaints.judge(complaint.id, Validity.VALID, handler="李主管")
    c = services.complaints.record_handling(
        c.id,
        cause_analysis="",
        measures="已报修电梯公司",
        responsible_dept="工程维修部",
        completed_at=None,
    )
    return services.complaints.reply(
        c.id, at=services.complaints.now(), method=ReplyMethod.ORAL, content="已修复"
    )


def label_text(dialog) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def open_dialog(qtbot, dialog):
    show_active(qtbot, dialog)
    return dialog


def test_every_step_shows_the_complaint_on_top(qtbot, services, complaint):
    dialogs = [
        JudgeDialog(services.complaints, services.reference, complaint),
        FollowUpDialog(services.complaints, complaint),
        HandlingDialog(services.complaints, services.reference, complaint),
        ReplyDialog(services.complaints, complaint),
        ReturnVisitDialog(services.complaints, services.reference, complaint),
        ReviewDialog(services.complaints, services.reference, complaint),
    ]
    for d in dialogs:
        qtbot.addWidget(d)
        assert complaint.no in d.windowTitle()
        text = label_text(d)
        assert complaint.no in text and "王秀英" in text and "电梯运行时有异响" in text


def test_judge_valid_starts_handling(qtbot, services, complaint):
    d = open_dialog(qtbot, JudgeDialog(services.complaints, services.reference, complaint))
    assert not d.attribution.isEnabled()
    d.validity.button("有效").setFocus()
    qtbot.keyClick(d.validity.button("有效"), Qt.Key.Key_Space)
    commit(d.handler, "李主管")
    qtbot.keyClick(d.handler, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert d.saved_complaint.status == Status.HANDLING
    assert services.complaints.get(complaint.id).handler == "李主管"


def test_judge_needs_a_choice_and_a_handler(qtbot, services, complaint):
    d = open_dialog(qtbot, JudgeDialog(services.complaints, services.reference, complaint))
    d.save()
    assert d.errors.message("validity") == "请选择有效或无效" and d.saved_complaint is None
    d.validity.set_value("有效")
    assert d.errors.message("validity") == ""
    d.save()
    assert d.errors.message("handler") == "请填写投诉处理人"


def test_judge_invalid_with_attribution_goes_to_follow_up(qtbot, services, complaint):
    d = open_dialog(qtbot, JudgeDialog(services.complaints, services.reference, complaint))
    d.validity.set_value("无效")
    assert d.attribution.isEnabled() and not d.follow_up_party.isEnabled()
    d.attribution.setCurrentText("发展商")
    assert d.follow_up_party.isEnabled()
    d.handler.setCurrentText("李主管")
    d.save()
    assert "跟进对象" in d.errors.message("follow_up_party")
    d.follow_up_party.setText("XX地产客服部")
    d.save()
    c = d.saved_complaint
    assert c.status == Status.FOLLOW_UP and c.follow_up_party == "XX地产客服部"

    f = open_dialog(qtbot, FollowUpDialog(services.complaints, c))
    assert "XX地产客服部" in label_text(f)
    f.result_text.setPlainText("发展商已安排更换电梯主板")
    f.save()
    assert f.saved_complaint.follow_up_result == "发展商已安排更换电梯主板"
    assert f.saved_complaint.status == Status.HANDLING


def test_handling_needs_measures_then_records_them(qtbot, services, complaint):
    c = services.complaints.judge(complaint.id, Validity.VALID, handler="李主管")
    d = open_dialog(qtbot, HandlingDialog(services.complaints, services.reference, c))
    d.cause.setPlainText("电梯导轨缺油")
    d.save()
    assert d.errors.message("measures") == "请填写处理措施"
    assert d.cause.toPlainText() == "电梯导轨缺油"  # nothing typed is lost
    d.measures.setPlainText("通知电梯维保公司加油保养")
    d.dept.setCurrentText("工程维修部")
    d.completed_at.setText("2026年11月20日 16时")
    d.save()
    saved = services.complaints.get(c.id)
    assert (saved.cause_analysis, saved.measures, saved.responsible_dept, saved.completed_at) == (
        "电梯导轨缺油",
        "通知电梯维保公司加油保养",
        "工程维修部",
        datetime(2026, 11, 20, 16, 0),
    )


def test_reply_moves_a_valid_complaint_to_the_return_visit(qtbot, services, complaint, clock):
    c = services.complaints.judge(complaint.id, Validity.VALID, handler="李主管")
    d = open_dialog(qtbot, ReplyDialog(services.complaints, c))
    assert d.at.value() == clock()
    d.method.set_value("书面")
    d.content.setPlainText("已安排维保公司处理，明日完成")
    d.save()
    saved = d.saved_complaint
    assert saved.status == Status.AWAITING_VISIT and saved.reply_method.value == "书面"


def test_reply_time_before_intake_is_shown_at_the_field(qtbot, services, complaint):
    c = services.complaints.judge(complaint.id, Validity.VALID, handler="李主管")
    d = open_dialog(qtbot, ReplyDialog(services.complaints, c))
    d.at.setText("2026-11-01 09:00")
    d.content.setPlainText("已处理")
    d.save()
    assert d.errors.message("replied_at") == "答复时间早于登记时间"
    assert d.saved_complaint is None


def test_satisfied_return_visit_closes(qtbot, services, complaint):
    c = valid_and_replied(services, complaint)
    d = open_dialog(qtbot, ReturnVisitDialog(services.complaints, services.reference, c))
    assert d.visitor.currentText() == "李主管"  # the handler by default
    d.opinion.set_value("满意")
    d.method.setCurrentText("上门")
    d.save()
    assert d.saved_complaint.status == Status.CLOSED
    assert d.saved_complaint.visit.method == "上门"


def test_unsatisfied_return_visit_reopens_handling(qtbot, services, complaint):
    c = valid_and_replied(services, complaint)
    d = open_dialog(qtbot, ReturnVisitDialog(services.complaints, services.reference, c))
    assert "不满意" in d.reopen_note.text() and "处理中" in d.reopen_note.text()
    d.save()
    assert d.errors.message("opinion") == "请选择投诉人意见"
    d.opinion.set_value("不满意")
    assert "重新处理" in d.save_button.text()
    d.remarks.setPlainText("还是有异响")
    d.save()
    saved = services.complaints.get(c.id)
    assert saved.status == Status.HANDLING and saved.reopen_count == 1
    assert saved.past_visits[-1].remarks == "还是有异响"


def test_workflow_error_goes_to_a_message_box(qtbot, services, complaint, boxes):
    d = open_dialog(qtbot, ReturnVisitDialog(services.complaints, services.reference, complaint))
    d.opinion.set_value("满意")
    d.save()
    assert boxes.texts("warning") == ["只有“待回访”的投诉可以登记回访"]
    assert d.isVisible() and d.saved_complaint is None


def test_review_signs_the_record(qtbot, services, complaint, clock):
    d = open_dialog(qtbot, ReviewDialog(services.complaints, services.reference, complaint))
    d.save()
    assert d.errors.message("reviewed_by") == "请填写审核人"
    d.reviewer.setCurrentText("赵经理")
    d.save()
    saved = services.complaints.get(complaint.id)
    assert (saved.reviewed_by, saved.reviewed_at) == ("赵经理", clock())


def test_a_completed_linked_repair_is_offered_as_the_handling(qtbot, services, complaint, boxes):
    from decimal import Decimal

    from app.domain.repair import ChargeLine
    from ui.tabs import complaint_dialogs

    services.complaints.judge(complaint.id, Validity.VALID, handler="王主管")
    ticket = services.repairs.from_complaint(complaint.id)
    r = services.repairs
    r.dispatch(ticket.id, repairer="孙师傅", at=datetime(2026, 11, 20, 10, 30))
    r.arrive(ticket.id, datetime(2026, 11, 20, 11, 0))
    r.complete(
        ticket.id,
        at=datetime(2026, 11, 20, 12, 0),
        result="更换立管",
        chargeable=False,
        charges=[ChargeLine("PPR水管", Decimal(2), 1250, "米")],
    )

    tab = QWidget()  # what the factory reads from the complaint tab
    tab.complaints, tab.reference, tab.repairs = (
        services.complaints,
        services.reference,
        services.repairs,
    )
    dialog = complaint_dialogs.handling(tab, services.complaints.get(complaint.id))
    dialog.setParent(None)  # the stand-in tab is not a window the test keeps
    d = open_dialog(qtbot, dialog)
    assert d.measures.toPlainText() == f"维修单{ticket.no}：更换立管"
    assert d.completed_at.value() == datetime(2026, 11, 20, 12, 0)
    d.save()  # the handler accepts the offer as it stands
    saved = services.complaints.get(complaint.id)
    assert (saved.measures, saved.completed_at) == (
        f"维修单{ticket.no}：更换立管",
        datetime(2026, 11, 20, 12, 0),
    )
