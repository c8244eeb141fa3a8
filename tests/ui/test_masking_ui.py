"""Phone numbers on screen and in exports by role: masked (138****5678) beside the lists for a
前台, whole for a 管理处主任; the 导出完整电话 box only for those who may tick it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app.domain.access import Role
from app.domain.complaint import Complaint, Urgency
from app.domain.repair import RepairTicket
from app.io.tabular import read_table
from tests.accounts_support import signed_in
from tests.ui.sample_repairs import open_repairs_tab
from ui import file_actions
from ui.signals import ChangeBus
from ui.tabs.complaints import ComplaintsTab

AT = datetime(2026, 11, 20, 9, 0)
PHONE, MASKED = "13812345678", "138****5678"
SHOTS = Path("/tmp/shots")


@pytest.fixture
def complaint(services):
    return services.complaints.register(
        Complaint(
            received_at=AT,
            content="楼上漏水",
            urgency=Urgency.URGENT,
            complainant="张三",
            room="3-2-1201",
            phone=PHONE,
        )
    )


@pytest.fixture
def ticket(services):
    return services.repairs.register(
        RepairTicket(reported_at=AT, description="水龙头漏水", room="3-2-1201", phone=PHONE)
    )


def complaints_tab(services, qtbot, tmp_path):
    tab = ComplaintsTab(
        services.complaints,
        services.escalation,
        services.reference,
        services.printing,
        ChangeBus(),
        prints_dir=tmp_path / "prints",
        repairs=services.repairs,
    )
    qtbot.addWidget(tab)
    tab.resize(1300, 800)
    tab.show()
    return tab


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [(Role.CLERK, MASKED, PHONE), (Role.HANDLER, MASKED, PHONE), (Role.MANAGER, PHONE, MASKED)],
    ids=["clerk", "handler", "manager"],
)
def test_the_detail_panels_show_the_phone_as_the_user_may_see_it(
    services, complaint, ticket, qtbot, tmp_path, role, shown, hidden
):
    signed_in(services, frozenset({role}))
    tab = complaints_tab(services, qtbot, tmp_path)
    assert tab.select_id(complaint.id)
    text = tab.detail.text()
    assert f"联系电话\n{shown}\n" in text and hidden not in text
    repairs = open_repairs_tab(services, ChangeBus(), qtbot, tmp_path / "prints")
    assert repairs.select_id(ticket.id)
    text = repairs.detail.text()
    assert f"联系电话\n{shown}\n" in text and hidden not in text
    if role == Role.CLERK:
        SHOTS.mkdir(exist_ok=True)
        tab.detail.grab().save(str(SHOTS / "masking-complaint-detail-clerk.png"))
        repairs.detail.grab().save(str(SHOTS / "masking-repair-detail-clerk.png"))


# ----- exporting from the 文件 menu's actions
def no_export_dialog(*_args, **_kw):
    raise AssertionError("the 导出完整电话 dialog was offered to a user without the right")


def save_as(target: Path, *, tick: bool):
    """Stands in for the user: picks `target` in the export dialog, ticking the box or not."""

    def fake_exec(dialog):
        assert not dialog.whole_phones.isChecked()  # masked unless the user ticks it
        assert Path(dialog.directory().absolutePath()).name == "exports"  # made if missing
        dialog.selectFile(str(target))
        dialog.whole_phones.setChecked(tick)
        return QDialog.DialogCode.Accepted

    return fake_exec


def export_notes(services) -> list[dict]:
    return services.database.query(
        "SELECT record_type, changes FROM audit_log WHERE action = 'export_unmasked'"
    )


def test_a_handler_gets_the_plain_save_dialog_and_masked_phones(
    services, complaint, qtbot, tmp_path, monkeypatch
):
    signed_in(services, frozenset({Role.HANDLER}))
    target = tmp_path / "投诉"
    monkeypatch.setattr(file_actions, "ExportFileDialog", no_export_dialog)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV 文件 (*.csv)")
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    message = file_actions.run_export(parent, services.exchange, "导出投诉", tmp_path / "x.xlsx")
    written = target.with_suffix(".csv")
    assert message == f"已导出 1 条记录到 {written}（电话号码已隐去中间数字）"
    assert read_table(written).rows[0].values["联系电话"] == MASKED
    assert export_notes(services) == []


@pytest.mark.parametrize(
    ("tick", "phone", "said", "notes"),
    [
        (False, MASKED, "（电话号码已隐去中间数字）", []),
        (True, PHONE, "（含完整电话号码，已记入审计日志）", ["complaints", "repairs"]),
    ],
    ids=["masked", "whole"],
)
def test_a_manager_may_tick_whole_phones_and_is_told_which_it_was(
    services, complaint, ticket, qtbot, tmp_path, monkeypatch, tick, phone, said, notes
):
    signed_in(services, frozenset({Role.MANAGER}))
    parent = QWidget()
    qtbot.addWidget(parent)
    for exchange, name in ((services.exchange, "投诉.xlsx"), (services.repair_exchange, "报修")):
        target = tmp_path / name
        monkeypatch.setattr(file_actions.ExportFileDialog, "exec", save_as(target, tick=tick))
        suggested = tmp_path / "exports" / "x.xlsx"
        message = file_actions.run_export(parent, exchange, "导出", suggested)
        written = target.with_suffix(".xlsx")
        assert message == f"已导出 1 条记录到 {written}{said}"
        assert read_table(written).rows[0].values["联系电话"] == phone
    assert [n["record_type"] for n in export_notes(services)] == notes


def test_the_export_dialog_offers_whole_phones_unticked(services, qtbot, tmp_path):
    suggested = tmp_path / "导出" / "投诉登记-20261120.xlsx"
    suggested.parent.mkdir()
    dialog = file_actions.ExportFileDialog(None, "导出投诉", suggested)
    qtbot.addWidget(dialog)
    dialog.resize(760, 460)
    dialog.show()
    box = dialog.whole_phones
    assert box.text() == "导出完整电话（记入审计日志）"
    assert box.isVisible() and not box.isChecked()
    assert dialog.findChild(QWidget, "wholePhonesHint").isVisible()
    assert dialog.selectedFiles() == [str(suggested)]
    assert dialog.labelText(QFileDialog.DialogLabel.Accept) == "导出"
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "masking-export-dialog.png"))
