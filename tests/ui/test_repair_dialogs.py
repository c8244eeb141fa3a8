"""A repair's life through the real dialogs, opened from the tab's buttons: 报修 → 派工 (the 片区's
repairer offered) → 业主不在家 改约 → 到场 → 完工 with price-list and typed lines → 验收 → 回访."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QDialog

from app.domain.listing import Sort
from app.domain.repair import Acceptance, RepairStatus, RepairTicket, Satisfaction
from app.domain.repair_listing import RepairFilter
from tests.ui.dialog_support import commit, patch_message_boxes
from tests.ui.sample_repairs import open_repairs_tab, set_up_reference
from ui.dialogs.repair_complete import CompleteDialog
from ui.dialogs.repair_intake import RepairIntakeDialog
from ui.signals import ChangeBus
from ui.tabs.repair_dialogs import DIALOG_FACTORIES


@pytest.fixture
def boxes(monkeypatch):
    return patch_message_boxes(monkeypatch)


@pytest.fixture
def tab(services, qtbot, tmp_path, boxes):
    set_up_reference(services)
    return open_repairs_tab(services, ChangeBus(), qtbot, tmp_path / "prints")


class Driven:
    """The real dialog, filled in by the test instead of a clerk, then 保存 pressed."""

    def __init__(self, dialog, fill) -> None:
        self.dialog, self.fill = dialog, fill

    def exec(self):
        self.fill(self.dialog)
        self.dialog.save()
        return self.dialog.result()

    @property
    def saved(self):
        return self.dialog.saved


def drive(tab, key: str, fill):
    """Press button `key`; the dialog it opens is filled by `fill`. Returns the dialog."""
    made = []

    def factory(t, record):
        made.append(DIALOG_FACTORIES[key](t, record))
        return Driven(made[-1], fill)

    tab.dialog_factories[key] = factory
    assert tab.buttons[key].isEnabled(), key
    tab.buttons[key].click()
    return made[0]


def status(tab) -> str:
    return tab.selected_ticket().status.value


def enabled(tab) -> set[str]:
    return {key for key, button in tab.buttons.items() if button.isEnabled()}


def pick(combo, text: str) -> None:
    combo.setCurrentIndex(combo.findText(text))


def fill_intake(d: RepairIntakeDialog) -> None:
    commit(d.reporter, "张先生")
    d.room.setText("3-2-1201")
    d.room.editingFinished.emit()
    d.phone.setText("13812345678")
    pick(d.category, "给排水")
    d.description.setPlainText("厨房水龙头关不紧，一直滴水")


def test_a_repair_from_report_to_closing_through_the_dialogs(tab, services, boxes):
    intake = drive(tab, "new", fill_intake)
    assert intake.result() == QDialog.DialogCode.Accepted
    assert "到场 <b>2026-11-21 10:00</b> 前，完成 <b>2026-11-22 10:00</b> 前" in (
        intake.deadline_label.text()
    )
    ticket = tab.selected_ticket()
    assert ticket.no.startswith("WX2026-") and status(tab) == "待派工"
    assert enabled(tab) == {"new", "intake", "dispatch", "print", "void"}

    def dispatch(d):
        assert d.repairer.currentText() == "王建军"  # 东区 covers 栋 3
        assert "王建军" in d.suggestion_note.text()
        d.appointment_at.setText("2026-11-20 14:00")

    drive(tab, "dispatch", dispatch)
    assert status(tab) == "已派工" and tab.selected_ticket().repairer == "王建军"

    def not_home(d):
        assert not d.new_appointment.isEnabled()
        d.action.button("改约").click()
        assert d.new_appointment.isEnabled()
        d.at.setText("2026-11-20 14:05")
        d.new_appointment.setText("2026/11/21 9:30")
        commit(d.remark, "业主出差，电话约好明早")

    drive(tab, "not_home", not_home)
    t = tab.selected_ticket()
    assert t.appointment_at == datetime(2026, 11, 21, 9, 30) and len(t.not_home) == 1
    assert "改约 2026-11-21 09:30：业主出差，电话约好明早" in tab.detail.text()

    drive(tab, "arrive", lambda d: d.at.setText("2026-11-21 09:25"))
    assert status(tab) == "维修中"

    def complete(d: CompleteDialog):
        commit(d.result_text, "更换角阀两个，试水无渗漏")
        d.chargeable.setChecked(True)
        for name in ("上门检修费", "更换角阀"):
            d.charges.picker.setCurrentIndex(d.charges.picker.findData(name))
            d.charges.add_picked.click()
        assert not d.charges.add_picked.isEnabled()  # the picker is back at its prompt
        d.charges.set_cell(1, 2, "2")
        d.charges.add_typed.click()
        for column, text in enumerate(("生料带", "卷", "１", "８.５")):
            d.charges.set_cell(2, column, text)
        assert [d.charges.table.item(2, c).text() for c in (2, 3)] == ["1", "8.50"]
        assert d.charges.total.text() == "合计 88.50 元"
        d.at.setText("2026-11-21 10:10")

    dialog = drive(tab, "complete", complete)
    assert dialog.charges.table.item(2, 4).text() == "8.50"
    t = tab.selected_ticket()
    assert status(tab) == "待验收" and t.total_fen == 8850 and len(t.charges) == 3
    assert "合计 88.50 元" in tab.detail.text()
    row = tab.model.row_of(t.id)
    assert tab.model.data(tab.model.index(row, 11)) == "88.50"

    def accept(d):
        d.outcome.button("满意").click()
        d.signed.setChecked(True)
        d.at.setText("2026-11-21 10:20")

    drive(tab, "accept", accept)
    assert status(tab) == "待回访"
    assert "回访期限" in tab.detail.text()

    def visit(d):
        d.visitor.setCurrentText("林小燕")
        d.outcome.button("满意").click()
        d.at.setText("2026-11-23 09:00")

    drive(tab, "visit", visit)
    assert status(tab) == "已关闭"
    assert enabled(tab) == {"new", "print", "void"}
    assert boxes.shown == []


def completed_ticket(services) -> RepairTicket:
    """A free repair finished yesterday, waiting for the owner's acceptance."""
    t = services.repairs.register(
        RepairTicket(datetime(2026, 11, 19, 9), "插座松动打火", room="8-2-0602", category="电气")
    )
    rs, rid = services.repairs, t.id
    rs.dispatch(rid, repairer="李国强", at=datetime(2026, 11, 19, 9, 30))
    rs.arrive(rid, datetime(2026, 11, 19, 10))
    rs.complete(rid, at=datetime(2026, 11, 19, 11), result="已紧固", charges=[], chargeable=False)
    return rs.get(rid)


def test_an_unsatisfied_return_visit_reopens_the_ticket(tab, services):
    t = completed_ticket(services)
    services.repairs.accept(t.id, Acceptance(datetime(2026, 11, 19, 12), Satisfaction.SATISFIED))
    tab.bus.changed.emit("repairs")
    tab.select_id(t.id)

    def unhappy(d):
        d.visitor.setCurrentText("郑丽")
        d.outcome.button("不满意").click()
        assert d.save_button.text() == "保存并重新派工（Ctrl+Enter）"
        commit(d.remarks, "用了一天又松了")

    drive(tab, "visit", unhappy)
    t = tab.selected_ticket()
    assert t.status == RepairStatus.DISPATCHED and t.reopen_count == 1
    assert {"dispatch", "arrive", "not_home"} <= enabled(tab)
    assert tab.model.data(tab.model.index(tab.model.row_of(t.id), 12)) == "重开1次"
    assert "郑丽：不满意，用了一天又松了" in tab.detail.text()


def test_an_unsatisfied_acceptance_sends_the_repairer_back(tab, services):
    t = completed_ticket(services)
    tab.bus.changed.emit("repairs")
    tab.select_id(t.id)
    drive(tab, "accept", lambda d: d.outcome.button("不满意").click())
    assert status(tab) == "维修中" and tab.selected_ticket().reopen_count == 1
    assert enabled(tab) == {"new", "intake", "complete", "print", "void"}


def test_intake_errors_are_shown_at_their_fields(tab, services, qtbot):
    d = RepairIntakeDialog(services.repairs, services.repair_reference, services.reference)
    qtbot.addWidget(d)
    d.save()
    assert d.result() != QDialog.DialogCode.Accepted
    assert d.errors.message("description") == "请填写故障描述"
    assert d.errors.message("room") == "请填写房号或位置/设施"
    assert services.repairs.list_ids(RepairFilter(), Sort()) == []


def test_intake_deadline_follows_category_and_urgency(services, qtbot):
    d = RepairIntakeDialog(services.repairs, services.repair_reference, services.reference)
    qtbot.addWidget(d)
    pick(d.category, "电梯")
    d.urgency.button("紧急").click()
    assert "到场 <b>2026-11-20 10:30</b> 前，完成 <b>2026-11-20 12:00</b> 前" in (
        d.deadline_label.text()
    )
    d.appointment_at.setText("2026-11-20 15:00")
    assert "到场 <b>2026-11-20 15:00</b> 前" in d.deadline_label.text()


def test_a_public_facility_is_picked_from_the_ledger(tab, services, qtbot):
    def public(d):
        pick(d.location, "3栋1号电梯")
        pick(d.category, "电梯")
        d.description.setPlainText("电梯门关不上")

    drive(tab, "new", public)
    t = tab.selected_ticket()
    assert t.location == "3栋1号电梯" and t.facility_id is not None
    history = services.repair_reference.facility_history(t.facility_id)
    assert [r.no for r in history] == [t.no]


def test_a_free_repair_lists_materials_but_charges_nothing(tab, services, qtbot):
    t = services.repairs.register(
        RepairTicket(
            datetime(2026, 11, 20, 8), "楼道灯不亮", location="2栋楼道", category="公共照明"
        )
    )
    services.repairs.dispatch(t.id, repairer="王建军", at=datetime(2026, 11, 20, 8, 10))
    services.repairs.arrive(t.id, datetime(2026, 11, 20, 9))
    d = CompleteDialog(services.repairs, services.repair_reference, services.repairs.get(t.id))
    qtbot.addWidget(d)
    assert not d.chargeable.isChecked()
    d.charges.add_price_item("更换灯管")
    assert d.charges.total.text().startswith("合计 0.00 元（无偿维修：材料人工计 15.00 元")
    d.chargeable.setChecked(True)
    assert d.charges.total.text() == "合计 15.00 元"
    d.charges.set_cell(0, 2, "两支")
    assert d.charges.table.item(0, 4).text() == "—"
    d.result_text.setPlainText("更换灯管")
    d.save()
    assert "第1行：数量格式不对：两支" in d.errors.message("charges")
    assert services.repairs.get(t.id).status == RepairStatus.ON_SITE  # nothing saved
    d.charges.set_cell(0, 2, "2")
    d.save()
    assert d.result() == QDialog.DialogCode.Accepted
    assert services.repairs.get(t.id).total_fen == 3000


def test_dispatch_says_when_no_zone_covers_the_place(tab, services, qtbot):
    from ui.dialogs.repair_steps import DispatchDialog

    t = services.repairs.register(
        RepairTicket(
            datetime(2026, 11, 20, 8), "大门道闸不起杆", location="北门道闸", category="其他"
        )
    )
    d = DispatchDialog(services.repairs, services.reference, t)
    qtbot.addWidget(d)
    assert d.repairer.currentText() == ""
    assert "没有设定片区维修工" in d.suggestion_note.text()
    d.save()
    assert d.errors.message("repairer") == "请填写维修人员"


def test_intake_records_whether_the_repair_is_chargeable(tab, services):
    def paid(d):
        fill_intake(d)
        assert d.chargeable.value() == "无偿"  # the default on the paper form
        d.chargeable.set_value("有偿")

    drive(tab, "new", paid)
    assert tab.selected_ticket().chargeable is True
