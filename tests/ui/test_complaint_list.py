"""The 投诉登记 tab on a register of 300 complaints: what the clerk sees in the list."""

from __future__ import annotations

import sys
import types
from datetime import datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.domain.complaint import Complaint, Status, Urgency, Validity
from app.domain.listing import ComplaintFilter, QuickView, Sort
from tests.accounts_support import open_signed_in
from tests.ui.sample_complaints import copy_template
from ui import desktop
from ui.models import register_table
from ui.models.complaint_table import COLUMNS, ComplaintTableModel
from ui.signals import ChangeBus
from ui.tabs.complaints import ComplaintsTab

HEADERS = [h for h, _key, _f in COLUMNS]
NO, RECEIVED, WHO, SUMMARY, STATUS, DUE = (
    HEADERS.index(h) for h in ("编号", "登记时间", "投诉人", "投诉内容", "状态", "答复期限")
)


@pytest.fixture
def register(data_dir, clock):
    reg = copy_template(data_dir)
    services = open_signed_in(data_dir, clock=clock)
    yield services, reg
    services.close()


@pytest.fixture
def tab(register, qtbot, tmp_path):
    services, _reg = register
    bus = ChangeBus()
    widget = ComplaintsTab(
        services.complaints,
        services.escalation,
        services.reference,
        services.printing,
        bus,
        prints_dir=tmp_path / "prints",
    )
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    return widget


def shown_ids(tab) -> list[int]:
    return [tab.model.complaint_id(r) for r in range(tab.model.rowCount())]


def cell(tab, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return tab.model.data(tab.model.index(row, column), role)


def choose(combo, text: str) -> None:
    combo.setCurrentIndex(combo.findText(text))


# ----- the model
def test_model_passes_the_model_tester_on_a_full_register(register, qtmodeltester):
    services, reg = register
    model = ComplaintTableModel(services.complaints)
    assert model.rowCount() == len(reg.ids) == 300
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(12)] == HEADERS
    qtmodeltester.check(model)
    model.set_filter(ComplaintFilter(view=QuickView.OPEN))
    model.sort(WHO, Qt.SortOrder.AscendingOrder)
    model.reload()


def test_model_fetches_pages_of_rows_never_the_whole_table(register):
    services, _reg = register
    asked: list[int] = []
    original = services.complaints.rows
    services.complaints.rows = lambda ids: asked.append(len(ids)) or original(ids)
    model = ComplaintTableModel(services.complaints, page_size=50, max_pages=2)
    assert asked == []  # ids only until a row is shown
    for row in range(model.rowCount()):
        model.data(model.index(row, NO))
    assert asked == [50] * 6
    assert len(model._pages) == 2  # a bounded cache
    model.data(model.index(299, NO))
    assert asked == [50] * 6  # the last page is still cached


def test_unfiltered_list_paints_from_its_head_and_reads_the_rest_later(register, qtbot):
    services, reg = register
    full = list(services.complaints.list_ids(ComplaintFilter(), Sort()))
    model = ComplaintTableModel(services.complaints, page_size=50)
    assert model.rowCount() == 300 and len(model._ids) == 100  # count + two pages of ids
    assert [model.complaint_id(r) for r in range(100)] == full[:100]
    assert not model.complete
    qtbot.waitUntil(lambda: model.complete)  # the tail comes moments later
    assert [model.complaint_id(r) for r in range(300)] == full


def test_a_row_past_the_head_reads_the_tail_at_once(register):
    services, _reg = register
    full = list(services.complaints.list_ids(ComplaintFilter(), Sort()))
    model = ComplaintTableModel(services.complaints, page_size=50)
    assert model.data(model.index(299, NO)) == services.complaints.get(full[299]).no
    assert model.row_of(full[250]) == 250


def test_finding_a_row_in_the_head_does_not_read_the_tail(register, monkeypatch):
    services, _reg = register
    full = list(services.complaints.list_ids(ComplaintFilter(), Sort()))
    model = ComplaintTableModel(services.complaints, page_size=50)
    asked: list[int | None] = []
    reads = services.complaints.list_ids
    monkeypatch.setattr(
        services.complaints,
        "list_ids",
        lambda *a, **k: asked.append(k.get("limit")) or reads(*a, **k),
    )
    assert model.row_of(full[30]) == 30
    assert asked == [] and not model.complete
    assert model.row_of(full[250]) == 250  # past the head: the tail is read now
    assert asked == [None] and model.complete


def test_a_shown_list_reads_its_tail_just_after_it_painted(register, qtbot, monkeypatch):
    services, _reg = register
    monkeypatch.setattr(register_table, "HEAD_PAGES", 1)  # 200 of the 300 ids at first
    bus = ChangeBus()
    widget = ComplaintsTab(
        services.complaints, services.escalation, services.reference, services.printing, bus
    )
    qtbot.addWidget(widget)
    assert widget.model.tail_pending  # read nothing past the head before it is on screen
    widget.show()
    qtbot.waitUntil(lambda: widget.model.complete, timeout=400)  # well before TAIL_DELAY_MS
    assert widget.model.rowCount() == 300


def test_a_narrowing_filter_reads_its_ids_in_one_go(register):
    services, _reg = register
    model = ComplaintTableModel(services.complaints, page_size=50)
    model.set_filter(ComplaintFilter(view=QuickView.OPEN))
    open_ids = services.complaints.list_ids(ComplaintFilter(view=QuickView.OPEN), Sort())
    assert len(model._ids) == model.rowCount() == len(open_ids)


# ----- sorting
def test_clicking_a_header_sorts_the_list(tab, qtbot):
    header = tab.table.horizontalHeader()
    assert tab.model.current_sort == Sort("received_at", descending=True)
    times = [
        cell(tab, r, RECEIVED, Qt.ItemDataRole.ToolTipRole).splitlines()[-1] for r in range(300)
    ]
    assert times == sorted(times, reverse=True)

    def click(column):
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click(NO)
    nos = [cell(tab, r, NO) for r in range(300)]
    assert nos == sorted(nos) and nos[0] == "TS2026-00001"
    click(NO)
    assert cell(tab, 0, NO) == "TS2026-00300"
    click(WHO)
    names = [cell(tab, r, WHO) for r in range(300)]
    assert names == sorted(names)
    click(SUMMARY)  # the summary cannot be sorted: nothing moves, the indicator stays
    assert [cell(tab, r, WHO) for r in range(300)] == names
    assert header.sortIndicatorSection() == WHO


# ----- quick views and their counts
def test_each_quick_view_shows_its_complaints_and_count(tab, register):
    _services, reg = register
    expected = {
        QuickView.ALL: set(reg.ids),
        QuickView.OPEN: reg.open,
        QuickView.DUE_TODAY: reg.due_today | reg.urgent_overdue,
        QuickView.OVERDUE: reg.overdue,
        QuickView.AWAITING_VISIT: reg.awaiting_visit,
        QuickView.ESCALATED: reg.escalated,
    }
    assert all(expected.values())
    for view, ids in expected.items():
        tab.filters.view_buttons[view].click()
        assert set(shown_ids(tab)) == ids, view
        assert tab.filters.view_buttons[view].text() == f"{view.value}  {len(ids)}"
    tab.filters.view_buttons[QuickView.AWAITING_VISIT].click()
    assert {cell(tab, r, STATUS) for r in range(tab.model.rowCount())} == {"待回访"}


# ----- filters
def test_filters_narrow_the_list_and_clear_restores_it(tab, register):
    services, reg = register
    f = tab.filters
    choose(f.status, "已关闭")
    assert set(shown_ids(tab)) == reg.closed
    choose(f.status, "全部状态")
    choose(f.validity, "未判定")
    assert {cell(tab, r, HEADERS.index("性质")) for r in range(tab.model.rowCount())} == {"未判定"}
    assert set(shown_ids(tab)) == reg.overdue | reg.due_today
    choose(f.validity, "全部性质")
    choose(f.category, "维修")
    assert tab.model.rowCount() > 0
    assert {cell(tab, r, HEADERS.index("类别")) for r in range(tab.model.rowCount())} == {"维修"}
    choose(f.dept, "工程维修部")
    assert {cell(tab, r, HEADERS.index("责任部门")) for r in range(tab.model.rowCount())} == {
        "工程维修部"
    }
    f.clear_button.click()
    assert tab.model.rowCount() == 300
    assert f.status.currentText() == "全部状态" and f.dept.currentText() == "全部部门"
    f.date_from.setDate(datetime(2026, 11, 18).date())
    f.date_to.setDate(datetime(2026, 11, 19).date())
    received = [services.complaints.get(i).received_at.date() for i in shown_ids(tab)]
    assert received and all(str(d) in ("2026-11-18", "2026-11-19") for d in received)
    f.clear_button.click()
    assert f.date_from.text() == "不限" and tab.model.rowCount() == 300


# ----- search (Chinese, through the IME)
def test_search_for_a_two_character_word_updates_after_a_pause(tab, register, qtbot):
    services, _reg = register
    with_lift = {i for i in shown_ids(tab) if "电梯" in services.complaints.get(i).content}
    assert 0 < len(with_lift) < 300
    tab.filters.search.setText("电梯")
    assert tab.model.rowCount() == 300  # not yet: the list waits for typing to pause
    qtbot.waitUntil(lambda: tab.model.rowCount() == len(with_lift), timeout=2000)
    assert set(shown_ids(tab)) == with_lift
    assert all("电梯" in cell(tab, r, SUMMARY) for r in range(tab.model.rowCount()))


def test_search_accepts_an_input_method_commit(tab, register, qtbot):
    services, _reg = register
    leaking = {i for i in shown_ids(tab) if "漏水" in services.complaints.get(i).content}
    tab.filters.search.setFocus()
    event = QInputMethodEvent("lou", [])  # the pinyin being composed: no search yet
    QApplication.sendEvent(tab.filters.search, event)
    commit = QInputMethodEvent()
    commit.setCommitString("漏水")
    QApplication.sendEvent(tab.filters.search, commit)
    assert tab.filters.search.text() == "漏水"
    qtbot.waitUntil(lambda: set(shown_ids(tab)) == leaking, timeout=2000)


# ----- colours and tooltips
def test_overdue_rows_are_red_and_due_today_amber_bold(tab, register):
    _services, reg = register
    for cid in reg.overdue:
        row = tab.model.row_of(cid)
        assert cell(tab, row, NO, Qt.ItemDataRole.ForegroundRole) == QColor("#c62828")
        assert cell(tab, row, NO, Qt.ItemDataRole.ToolTipRole).startswith("已超期：答复期限 ")
    for cid in reg.due_today:
        row = tab.model.row_of(cid)
        assert cell(tab, row, DUE, Qt.ItemDataRole.ForegroundRole) == QColor("#b45f06")
        assert cell(tab, row, DUE, Qt.ItemDataRole.FontRole).bold()
        assert "今日到期" in cell(tab, row, DUE, Qt.ItemDataRole.ToolTipRole)
    for cid in list(reg.closed)[:20]:
        assert cell(tab, tab.model.row_of(cid), NO, Qt.ItemDataRole.ForegroundRole) is None
    row = tab.model.row_of(next(iter(reg.escalated)))
    assert cell(tab, row, HEADERS.index("标记")) == "已升级"
    row = tab.model.row_of(next(iter(reg.reopened)))
    assert cell(tab, row, HEADERS.index("标记")) == "重开1次"


# ----- selection, detail and buttons
def test_selection_is_kept_after_a_change_and_a_resort(tab, register):
    services, reg = register
    cid = sorted(reg.overdue)[0]
    assert tab.select_id(cid)
    services.complaints.judge(cid, Validity.VALID, handler="何志强")
    tab.bus.changed.emit("complaints")
    assert tab.selected_id() == cid
    assert cell(tab, tab.model.row_of(cid), STATUS) == "处理中"
    tab.table.sortByColumn(WHO, Qt.SortOrder.AscendingOrder)
    assert tab.selected_id() == cid
    assert tab.table.currentIndex().row() == tab.model.row_of(cid)
    assert "处理中" in tab.detail.text()


def test_detail_panel_shows_the_deadline_and_its_rule(tab, register):
    services, reg = register
    tab.select_id(sorted(reg.due_today)[0])
    text = tab.detail.text()
    assert "答复期限" in text
    assert "2026-11-20 23:59（受理日后第2个工作日23:59前）" in text
    assert "处理日志" in text and "登记" in text
    tab.select_id(sorted(reg.urgent_overdue)[0])
    assert "紧急：受理后2小时内" in tab.detail.text() and "已超期" in tab.detail.text()
    cid = sorted(reg.escalated)[0]
    tab.select_id(cid)
    sheet = services.escalation.sheets_for_complaint(cid)[0]
    assert f"{sheet.no} {sheet.raised_on:%Y-%m-%d} 跨部门协调处理（待签署）" in tab.detail.text()


def test_an_estimated_deadline_is_flagged_in_the_detail(tab, register):
    services, _reg = register
    c = services.complaints.register(
        Complaint(
            received_at=datetime(2026, 12, 31, 9, 0),
            content="新年前后电梯停运",
            urgency=Urgency.NOT_URGENT,
            complainant="钱先生",
        )
    )
    tab.bus.changed.emit("complaints")
    tab.select_id(c.id)
    assert "节假日安排未公布：按周一至周五估算" in tab.detail.text()


def enabled(tab) -> set[str]:
    return {key for key, button in tab.buttons.items() if button.isEnabled()}


def test_buttons_follow_the_selected_complaints_status(tab, register):
    _services, reg = register
    tab.table.clearSelection()
    assert enabled(tab) == {"new"}
    tab.select_id(sorted(reg.overdue)[0])  # 待处理, not judged
    assert enabled(tab) == {"new", "intake", "judge", "escalate", "review", "print", "void"}
    tab.select_id(sorted(reg.escalated)[0])  # 处理中 after judgement
    assert {"judge", "handling", "reply"} <= enabled(tab)
    assert "visit" not in enabled(tab)
    tab.select_id(sorted(reg.awaiting_visit)[0])
    assert "visit" in enabled(tab) and "reply" not in enabled(tab)
    tab.select_id(sorted(reg.closed)[0])
    assert enabled(tab) == {"new", "review", "print", "void"}


class FakeDialog:
    """Stands in for a step dialog: records what it was given, accepts like OK."""

    opened: list[tuple[str, object]] = []

    def __init__(self, key, tab, complaint, action=None):
        self.key, self.tab, self.complaint_given, self.action = key, tab, complaint, action
        FakeDialog.opened.append((key, complaint))

    def exec(self):
        if self.action:
            self.action()
        return QDialog.DialogCode.Accepted


def test_a_workflow_button_opens_its_dialog_and_the_list_follows(tab, register, qtbot):
    services, reg = register
    cid = sorted(reg.overdue)[0]
    tab.select_id(cid)
    FakeDialog.opened = []
    tab.dialog_factories["judge"] = lambda t, c: FakeDialog(
        "judge", t, c, lambda: services.complaints.judge(c.id, Validity.INVALID, handler="何志强")
    )
    with qtbot.waitSignal(tab.bus.changed) as changed:
        tab.buttons["judge"].click()
    assert changed.args == ["complaints"]
    assert FakeDialog.opened[0][1].id == cid
    assert tab.selected_id() == cid
    assert cell(tab, tab.model.row_of(cid), HEADERS.index("性质")) == "无效"
    assert "无效投诉：受理日后第1个工作日23:59前说明" in tab.detail.text()


def test_each_button_names_its_dialog(tab, register, monkeypatch):
    """The default factories build the dialogs the other modules provide (faked here)."""
    _services, reg = register
    made = []

    def fake_class(name):
        return type(
            name,
            (),
            {
                "__init__": lambda self, *a, **_kw: made.append((name, a)),
                "exec": lambda self: QDialog.DialogCode.Rejected,
            },
        )

    for module, names in (
        ("ui.dialogs.complaint_intake", ["ComplaintIntakeDialog"]),
        (
            "ui.dialogs.complaint_steps",
            [
                "JudgeDialog",
                "FollowUpDialog",
                "HandlingDialog",
                "ReplyDialog",
                "ReturnVisitDialog",
                "ReviewDialog",
            ],
        ),
        ("ui.dialogs.transfer_sheet", ["RaiseTransferDialog"]),
    ):
        fake = types.ModuleType(module)
        for name in names:
            setattr(fake, name, fake_class(name))
        monkeypatch.setitem(sys.modules, module, fake)
    tab.select_id(sorted(reg.escalated)[0])
    c = tab.selected_complaint()
    s = tab
    expected = {
        "new": ("ComplaintIntakeDialog", (s.complaints, s.reference, None, s)),
        "intake": ("ComplaintIntakeDialog", (s.complaints, s.reference, c, s)),
        "judge": ("JudgeDialog", (s.complaints, s.reference, c, s)),
        "handling": ("HandlingDialog", (s.complaints, s.reference, c, s)),
        "reply": ("ReplyDialog", (s.complaints, c, s)),
        "review": ("ReviewDialog", (s.complaints, s.reference, c, s)),
        "escalate": ("RaiseTransferDialog", (s.escalation, s.reference, c, s)),
    }
    for key, (name, args) in expected.items():
        made.clear()
        assert tab.run_action(key) is False  # rejected: nothing announced
        assert made == [(name, args)], key
    tab.select_id(sorted(reg.awaiting_visit)[0])
    made.clear()
    tab.buttons["visit"].click()
    assert made[0][0] == "ReturnVisitDialog"


def test_a_missing_dialog_module_is_reported_not_raised(tab, register, monkeypatch):
    monkeypatch.setitem(sys.modules, "ui.dialogs.complaint_intake", None)
    assert tab.run_action("new") is False
    boxes = [w for w in tab.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "尚未安装" in boxes[0].text()


def test_ctrl_p_prints_the_record_to_pdf_and_opens_it(tab, register, monkeypatch, tmp_path, qtbot):
    _services, reg = register
    opened = []
    monkeypatch.setattr(desktop, "open_pdf", opened.append)
    cid = sorted(reg.closed)[0]
    tab.select_id(cid)
    no = cell(tab, tab.model.row_of(cid), NO)
    tab.activateWindow()
    tab.table.setFocus()
    qtbot.waitUntil(tab.isActiveWindow, timeout=1000)
    with qtbot.waitSignal(tab.status_message) as message:
        qtbot.keyClick(tab.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    path = tmp_path / "prints" / f"{no}.pdf"
    assert opened == [path]
    assert path.read_bytes().startswith(b"%PDF")
    assert message.args == [f"已保存 {path}"]


def test_ctrl_n_opens_a_new_intake(tab, qtbot):
    FakeDialog.opened = []
    tab.dialog_factories["new"] = lambda t, c: FakeDialog("new", t, c)
    tab.activateWindow()
    tab.table.setFocus()
    qtbot.waitUntil(tab.isActiveWindow, timeout=1000)
    with qtbot.waitSignal(tab.bus.changed):
        qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert FakeDialog.opened == [("new", None)]


def test_double_click_opens_the_record_for_correction(tab, register):
    _services, reg = register
    FakeDialog.opened = []
    tab.dialog_factories["intake"] = lambda t, c: FakeDialog("intake", t, c)
    cid = sorted(reg.overdue)[0]
    tab.select_id(cid)
    index = tab.model.index(tab.model.row_of(cid), WHO)
    tab.table.doubleClicked.emit(index)
    assert [(key, c.id) for key, c in FakeDialog.opened] == [("intake", cid)]


def test_the_list_counts_follow_new_registrations(tab, register):
    services, _reg = register
    before = tab.filters.view_buttons[QuickView.OPEN].text()
    services.complaints.register(
        Complaint(
            received_at=datetime(2026, 11, 20, 9, 55),
            content="电梯按钮失灵",
            urgency=Urgency.NOT_URGENT,
            room="3-2-1201",
        )
    )
    tab.bus.changed.emit("complaints")
    after = tab.filters.view_buttons[QuickView.OPEN].text()
    assert int(after.split()[-1]) == int(before.split()[-1]) + 1
    assert tab.model.rowCount() == 301
    assert cell(tab, 0, HEADERS.index("房号")) == "3-2-1201"
    assert services.complaints.list_ids(
        ComplaintFilter(statuses=frozenset({Status.REGISTERED})), Sort()
    )


def test_the_list_refreshes_on_a_timer_only_while_shown(tab, monkeypatch):
    refreshed = []
    monkeypatch.setattr(tab, "refresh", lambda: refreshed.append(True))
    assert tab._refresh_timer.isActive()
    tab.hide()
    assert not tab._refresh_timer.isActive()  # a closed tab never reads a closed database
    tab.show()
    assert tab._refresh_timer.isActive() and refreshed == []  # hidden only briefly
    tab.hide()
    tab._hidden_at -= 61
    tab.show()
    assert refreshed == [True]  # deadlines passed while it was hidden
