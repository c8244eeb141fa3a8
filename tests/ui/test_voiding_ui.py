"""作废 and 修改记录 on screen, and the register tabs showing each role only what it may do."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.domain.access import Role
from app.domain.complaint import Complaint, Urgency, Validity
from app.domain.escalation import TransferSheet
from app.domain.listing import ComplaintFilter, QuickView
from app.domain.repair import RepairTicket
from tests.accounts_support import signed_in
from tests.ui.dialog_support import patch_message_boxes
from ui.dialogs.void_record import VoidRecordDialog
from ui.models.complaint_table import COLUMNS
from ui.signals import ChangeBus
from ui.tabs.complaints import ComplaintsTab
from ui.tabs.escalation import EscalationTab
from ui.tabs.repairs import RepairsTab

CLERK, HANDLER, MANAGER = (frozenset({r}) for r in (Role.CLERK, Role.HANDLER, Role.MANAGER))
STATUS = [c.header for c in COLUMNS].index("状态")
RECEIVED = datetime(2026, 11, 20, 9, 30)
STEPS = {"judge", "follow_up", "handling", "reply", "visit", "escalate", "to_repair"}


@pytest.fixture(autouse=True)
def boxes(monkeypatch):
    return patch_message_boxes(monkeypatch)


def register(services, content: str = "3栋电梯漏水", **kw) -> Complaint:
    fields = dict(
        received_at=RECEIVED,
        content=content,
        urgency=Urgency.NOT_URGENT,
        complainant="张三",
        room="3-2-1201",
        phone="13812345678",
    )
    fields.update(kw)
    return services.complaints.register(Complaint(**fields))


def complaints_tab(qtbot, services) -> ComplaintsTab:
    tab = ComplaintsTab(
        services.complaints,
        services.escalation,
        services.reference,
        services.printing,
        ChangeBus(),
        repairs=services.repairs,
    )
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    return tab


def shown(tab) -> set[str]:
    return {key for key, button in tab.buttons.items() if not button.isHidden()}


def enabled(tab) -> set[str]:
    return {key for key, button in tab.buttons.items() if button.isEnabled()}


def void_through_dialog(tab, reason: str) -> list[VoidRecordDialog]:
    """The tab opens the real 作废 dialog; instead of waiting, the reason is typed and 作废
    pressed."""
    made: list[VoidRecordDialog] = []
    real = tab.dialog_factories["void"]

    def factory(t, record):
        dialog = real(t, record)
        made.append(dialog)

        def exec_():
            dialog.reason.setPlainText(reason)
            dialog.save()
            return dialog.result()

        dialog.exec = exec_
        return dialog

    tab.dialog_factories["void"] = factory
    tab.run_action("void")
    return made


# ----- what each role sees
def test_a_clerk_sees_registration_and_printing_and_corrects_only_own_drafts(qtbot, services):
    signed_in(services, CLERK, name="前台乙")
    other = register(services, "楼道灯不亮")
    signed_in(services, CLERK, name="前台甲")
    own = register(services)
    tab = complaints_tab(qtbot, services)
    tab.select_id(own.id)
    assert shown(tab) == {"new", "intake", "print"}
    assert enabled(tab) == {"new", "intake", "print"}
    tab.select_id(other.id)
    assert enabled(tab) == {"new", "print"}  # someone else's registration
    assert tab.run_action("void") is False  # no 作废 behind a shortcut either


def test_a_handler_sees_the_steps_but_not_review_or_void(qtbot, services):
    c = register(services)
    signed_in(services, HANDLER, name="处理人")
    tab = complaints_tab(qtbot, services)
    tab.select_id(c.id)
    assert shown(tab) == {"new", "intake", "print"} | STEPS
    assert {"judge", "escalate", "to_repair", "intake"} <= enabled(tab)
    signed_in(services, MANAGER, name="钱经理")
    tab.refresh()
    assert {"review", "void"} <= shown(tab) & enabled(tab)


# ----- 作废
def test_a_manager_voids_a_complaint_and_the_row_says_so(qtbot, services, clock):
    clock.now = datetime(2026, 11, 25, 10, 0)  # the complaint is overdue by now
    c = register(services)
    signed_in(services, MANAGER, name="钱经理")
    tab = complaints_tab(qtbot, services)
    assert tab.complaints.count(ComplaintFilter(view=QuickView.OVERDUE)) == 1
    tab.select_id(c.id)
    made = void_through_dialog(tab, "重复登记，已按 TS2026-00002 办理")
    assert made[0].result() == VoidRecordDialog.DialogCode.Accepted
    row = tab.model.row_of(c.id)
    index = tab.model.index(row, STATUS)
    assert tab.model.data(index) == "已作废"
    assert tab.model.data(index, Qt.ItemDataRole.ForegroundRole) == QColor("#9aa0a6")
    assert tab.model.data(index, Qt.ItemDataRole.FontRole).strikeOut()
    assert "已作废：重复登记" in tab.model.data(index, Qt.ItemDataRole.ToolTipRole)
    text = tab.detail.text()
    assert (
        "已作废（钱经理 2026-11-25 10:00）" in text and "重复登记，已按 TS2026-00002 办理" in text
    )
    assert enabled(tab) == {"new"}  # no step, no print, no second 作废
    assert tab.view_counts()[QuickView.OVERDUE] == 0
    assert tab.view_counts()[QuickView.VOIDED] == 1
    tab.model.set_filter(ComplaintFilter(view=QuickView.VOIDED))
    assert tab.model.rowCount() == 1 and tab.model.record_id(0) == c.id


def test_the_void_dialog_wants_a_reason_and_keeps_what_was_typed(qtbot, services, boxes):
    c = register(services)
    dialog = VoidRecordDialog(
        services.complaints.void, c, [], kind="投诉", now=services.complaints.now
    )
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "请填写作废原因" in dialog.errors.message("reason")
    signed_in(services, HANDLER, name="处理人")
    dialog.reason.setPlainText("登记错了住户")
    dialog.save()
    assert "没有“作废记录”的权限" in boxes.texts("warning")[0]
    assert dialog.reason.toPlainText() == "登记错了住户"
    assert services.complaints.get(c.id).void is None


def test_a_manager_voids_a_repair_ticket(qtbot, services):
    t = services.repairs.register(
        RepairTicket(reported_at=RECEIVED, description="厨房水龙头漏水", room="3-2-1201")
    )
    signed_in(services, CLERK, name="前台甲")
    tab = RepairsTab(
        services.repairs, services.repair_reference, services.reference, None, ChangeBus()
    )
    qtbot.addWidget(tab)
    tab.select_id(t.id)
    assert shown(tab) == {"new", "intake", "print"}
    signed_in(services, MANAGER, name="钱经理")
    tab.refresh()
    assert "dispatch" in enabled(tab) and "void" in enabled(tab)
    void_through_dialog(tab, "业主已自行修好")
    assert tab.model.data(tab.model.index(tab.model.row_of(t.id), 7)) == "已作废"
    assert "业主已自行修好" in tab.detail.text()
    assert enabled(tab) == {"new"}


def test_the_escalation_tab_hides_what_a_clerk_may_not_do_and_a_manager_voids_a_sheet(
    qtbot, services, monkeypatch
):
    c = services.complaints.judge(register(services).id, Validity.VALID, handler="王")
    sheet = services.escalation.raise_sheet(
        TransferSheet(
            raised_on=date(2026, 11, 20),
            initiator="王",
            initiator_dept="客服部",
            subject="电梯井漏水",
            situation="需更换立管",
            complaint_id=c.id,
        )
    )
    signed_in(services, CLERK, name="前台甲")
    tab = EscalationTab(
        services.escalation, services.complaints, services.reference, services.printing, ChangeBus()
    )
    qtbot.addWidget(tab)
    tab.select("sheet", sheet.id)
    visible = {k for k, b in tab.action_buttons.items() if not b.isHidden()}
    assert visible == {"print_sheet", "print_notice"}
    signed_in(services, MANAGER, name="钱经理")

    def exec_(dialog):
        dialog.reason.setPlainText("发错了部门")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(VoidRecordDialog, "exec", exec_)
    tab.reload()
    assert tab.action_buttons["void_sheet"].isEnabled()
    tab.action_buttons["void_sheet"].click()
    assert tab.sheets.item(0, 5).text() == "已作废"
    assert "发错了部门" in tab.detail.toPlainText()
    assert not tab.action_buttons["sign"].isEnabled()
    assert not tab.action_buttons["void_sheet"].isEnabled()


# ----- 修改记录
def test_the_detail_shows_corrections_with_earlier_values(qtbot, services):
    c = register(services)
    changed = services.complaints.get(c.id)
    changed.content, changed.phone = "3栋2单元电梯井漏水", "13900001111"
    services.complaints.correct_intake(changed)
    signed_in(services, HANDLER, name="处理人")
    tab = complaints_tab(qtbot, services)
    tab.select_id(c.id)
    text = tab.detail.text()
    history = text[text.index("修改记录") :]
    assert "测试员" in history
    assert "投诉内容\n3栋电梯漏水 → 3栋2单元电梯井漏水" in history
    assert "138****5678 → 139****1111" in history  # no UNMASK: masked here too
    other = register(services, "楼道灯不亮")
    tab.refresh()
    tab.select_id(other.id)
    assert "登记后未修改" in tab.detail.text()


def test_the_voided_quick_view_lists_them_with_a_count(qtbot, services):
    c, kept = register(services), register(services, "楼道灯不亮")
    services.complaints.void(c.id, "重复登记")
    tab = complaints_tab(qtbot, services)
    button = tab.filters.view_buttons[QuickView.VOIDED]
    assert button.text() == "已作废  1"
    button.click()
    assert [tab.model.record_id(r) for r in range(tab.model.rowCount())] == [c.id]
    tab.filters.view_buttons[QuickView.OPEN].click()
    assert [tab.model.record_id(r) for r in range(tab.model.rowCount())] == [kept.id]
