"""升级与工作安排 tab and the escalation dialogs: a 工作传签单 raised from a complaint, signed up
two levels in order, a 工作安排通知单 issued and carried out, the sheet completed, and the
result back on the complaint."""

from __future__ import annotations

import pytest

from app.domain.complaint import Complaint, Urgency, Validity
from app.domain.escalation import Level, NoticeSource
from tests.ui.dialog_support import patch_message_boxes, show_active
from ui.dialogs import transfer_sheet as sheet_dialogs
from ui.dialogs import work_notice as notice_dialogs
from ui.signals import ChangeBus
from ui.tabs import escalation as escalation_tab
from ui.tabs.escalation import EscalationTab


@pytest.fixture(autouse=True)
def boxes(monkeypatch):
    return patch_message_boxes(monkeypatch)


@pytest.fixture
def complaint(services, clock) -> Complaint:
    c = services.complaints.register(
        Complaint(
            received_at=clock(),
            content="地下车库B2区积水严重，车辆无法通行。",
            urgency=Urgency.URGENT,
            complainant="王秀英",
            room="3-2-1201",
        )
    )
    return services.complaints.judge(c.id, Validity.VALID, handler="李主管")


@pytest.fixture
def tab(qtbot, services):
    t = EscalationTab(
        services.escalation, services.complaints, services.reference, services.printing, ChangeBus()
    )
    qtbot.addWidget(t)
    t.resize(1200, 700)
    t.show()
    return t


def answer(monkeypatch, cls, fill) -> None:
    """The tab opens ``cls`` modally; instead, fill it in and press 保存."""

    def exec_(self):
        fill(self)
        self.save()
        return self.result()

    monkeypatch.setattr(cls, "exec", exec_)


def raise_sheet(qtbot, services, complaint):
    d = sheet_dialogs.RaiseTransferDialog(services.escalation, services.reference, complaint)
    show_active(qtbot, d)
    assert d.subject.text().startswith("地下车库B2区积水")  # 事由 defaults from the complaint
    assert d.initiator.currentText() == "李主管"
    d.initiator_dept.setCurrentText("客服部")
    d.situation.setPlainText("排水泵损坏，需更换，费用超出管理处权限。")
    d.proposal.setPlainText("请公司批准更换排水泵。")
    d.save()
    assert d.saved is not None, d.errors.banner.text()
    return d.saved


def sign(text: str, signer: str):
    def fill(d):
        d.opinion.setPlainText(text)
        d.signer.setCurrentText(signer)

    return fill


def on(tab, action: str) -> bool:
    return tab.action_buttons[action].isEnabled()


def press(tab, action: str) -> None:
    tab.action_buttons[action].click()


def cell(table, row: int, header: str) -> str:
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return table.item(row, headers.index(header)).text()


def test_raise_needs_a_situation(qtbot, services, complaint):
    d = sheet_dialogs.RaiseTransferDialog(services.escalation, services.reference, complaint)
    show_active(qtbot, d)
    d.save()
    assert d.errors.message("situation") == "请填写情况说明" and d.saved is None


def test_escalation_from_raise_to_result(qtbot, monkeypatch, services, complaint, tab, boxes):
    changes: list[str] = []
    tab.bus.changed.connect(changes.append)
    sheet = raise_sheet(qtbot, services, complaint)
    tab.reload()
    assert tab.sheets.rowCount() == 1
    assert cell(tab.sheets, 0, "关联投诉") == complaint.no
    assert cell(tab.sheets, 0, "状态") == "待签署"
    tab.select("sheet", sheet.id)
    assert on(tab, "sign") and not on(tab, "complete")
    stale = sheet_dialogs.SignLevelDialog(services.escalation, sheet)  # opened, left open
    qtbot.addWidget(stale)

    answer(monkeypatch, sheet_dialogs.SignLevelDialog, sign("情况属实，报主任审批。", "张部长"))
    press(tab, "sign")
    assert cell(tab.sheets, 0, "当前级别") == Level.DEPT_HEAD.value

    offered = sheet_dialogs.SignLevelDialog(
        services.escalation, services.escalation.sheet(sheet.id)
    )
    qtbot.addWidget(offered)
    levels = [offered.level.itemText(i) for i in range(offered.level.count())]
    assert Level.DEPT_HEAD.value not in levels and levels[0] == Level.OFFICE_DIRECTOR.value

    answer(
        monkeypatch, sheet_dialogs.SignLevelDialog, sign("同意更换，由工程维修部实施。", "陈主任")
    )
    press(tab, "sign")
    assert cell(tab.sheets, 0, "当前级别") == Level.OFFICE_DIRECTOR.value

    stale.opinion.setPlainText("补签")  # a lower level after a higher one signed: refused
    stale.signer.setCurrentText("张部长")
    stale.save()
    assert boxes.texts("warning") == ["传签单已到“管理处主任”，只能再往上一级签署"]
    assert stale.saved is None

    detail = tab.detail.toPlainText()
    assert detail.index("情况属实，报主任审批。") < detail.index("同意更换，由工程维修部实施。")
    assert "张部长" in detail and "陈主任" in detail and "2026-11-20" in detail
    assert on(tab, "complete")

    def notice(d):
        assert d.issuer.currentText() == "陈主任"  # the last signer issues it
        d.to_dept.setCurrentText("工程维修部")
        d.receiver.setCurrentText("周师傅")
        d.requirement.setPlainText("更换后试运行24小时")
        d.due_at.setText("2026-11-22 17:00")

    answer(monkeypatch, notice_dialogs.WorkNoticeDialog, notice)
    press(tab, "issue")
    assert tab.notices.rowCount() == 1 and tab.selected[0] == "notice"
    assert cell(tab.notices, 0, "来源") == f"传签单 {sheet.no}"
    issued = tab.current()
    assert issued.source == NoticeSource.TRANSFER and issued.transfer_no == sheet.no
    assert services.escalation.sheet(sheet.id).responsible_dept == "工程维修部"
    assert not on(tab, "accept_notice")

    answer(monkeypatch, notice_dialogs.SignNoticeDialog, lambda d: None)  # receiver by default
    press(tab, "sign_notice")
    assert services.escalation.notice(issued.id).signed_by == "周师傅"
    answer(
        monkeypatch,
        notice_dialogs.CompleteNoticeDialog,
        lambda d: d.outcome.setPlainText("已更换排水泵，试运行正常"),
    )
    press(tab, "complete_notice")
    assert on(tab, "accept_notice")
    answer(
        monkeypatch, notice_dialogs.AcceptNoticeDialog, lambda d: d.acceptance.setPlainText("合格")
    )
    press(tab, "accept_notice")
    assert cell(tab.notices, 0, "完成/验收") == "已验收"
    assert services.escalation.notice(issued.id).accepted_by == "陈主任"

    tab.select("sheet", sheet.id)

    def complete(d):
        d.result_text.setPlainText("已更换排水泵，车库积水排清")
        d.customer_reply.setPlainText("已电话告知王女士")

    answer(monkeypatch, sheet_dialogs.CompleteSheetDialog, complete)
    press(tab, "complete")
    assert cell(tab.sheets, 0, "状态") == "已办结"
    assert not on(tab, "sign") and not on(tab, "complete")
    c = services.complaints.get(complaint.id)
    assert f"【传签单{sheet.no}处理结果】已更换排水泵，车库积水排清" in c.measures
    assert c.responsible_dept == "工程维修部"
    assert "escalation" in changes and "complaints" in changes


def test_a_notice_after_an_inspection(qtbot, monkeypatch, services, tab):
    assert on(tab, "new_notice") and not on(tab, "sign_notice")

    def fill(d):
        assert d.source.value() == NoticeSource.INSPECTION.value
        d.issuer.setCurrentText("陈主任")
        d.to_dept.setCurrentText("保洁部")
        d.content.setPlainText("5栋消防通道堆放杂物，立即清理")

    answer(monkeypatch, notice_dialogs.WorkNoticeDialog, fill)
    press(tab, "new_notice")
    assert tab.notices.rowCount() == 1
    assert cell(tab.notices, 0, "来源") == NoticeSource.INSPECTION.value
    assert tab.current().to_dept == "保洁部"


def test_print_saves_under_the_data_folder_and_opens(qtbot, monkeypatch, services, complaint, tab):
    sheet = raise_sheet(qtbot, services, complaint)
    tab.reload()
    tab.select("sheet", sheet.id)
    opened = []
    monkeypatch.setattr(escalation_tab, "open_pdf", opened.append)
    press(tab, "print_sheet")
    assert opened == [services.data_dir.prints / f"{sheet.no}.pdf"]
    assert opened[0].read_bytes().startswith(b"%PDF")


def test_nothing_selected_offers_only_a_new_notice(tab):
    enabled = {k for k, b in tab.action_buttons.items() if b.isEnabled()}
    assert enabled == {"new_notice"}
    assert "选择" in tab.detail.toPlainText()
