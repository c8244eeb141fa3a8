"""The 报修维修 tab on a register of ~44 tickets: the list, quick views, filters, the detail and
buttons; 转维修 from the complaint tab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from app.domain.listing import Sort
from app.domain.repair import RepairStatus
from app.domain.repair_listing import RepairFilter, RepairView
from tests.ui.dialog_support import patch_message_boxes
from tests.ui.sample_repairs import make_repairs, open_repairs_tab
from ui import desktop
from ui.models.repair_table import COLUMNS, RepairTableModel
from ui.signals import ChangeBus
from ui.tabs.complaints import ComplaintsTab

HEADERS = [c.header for c in COLUMNS]
NO, PLACE, SUMMARY, STATUS, REPAIRER, MONEY, FLAGS = (
    HEADERS.index(h)
    for h in ("编号", "房号/位置", "故障描述", "状态", "维修人员", "费用(元)", "标记")
)


@pytest.fixture
def register(services):
    return make_repairs(services)


@pytest.fixture
def bus():
    return ChangeBus()


@pytest.fixture
def tab(services, register, bus, qtbot, tmp_path):
    return open_repairs_tab(services, bus, qtbot, tmp_path / "prints")


def shown_ids(tab) -> list[int]:
    return [tab.model.record_id(r) for r in range(tab.model.rowCount())]


def cell(tab, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return tab.model.data(tab.model.index(row, column), role)


def enabled(tab) -> set[str]:
    return {key for key, button in tab.buttons.items() if button.isEnabled()}


def overdue_ids(services, register) -> set[int]:
    now = services.repairs.now()
    return {r.id for r in services.repairs.rows(register.ids) if r.is_overdue(now)}


# ----- the model
def test_model_passes_the_model_tester(services, register, qtmodeltester):
    model = RepairTableModel(services.repairs, page_size=10)
    assert model.rowCount() == len(register.ids)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))] == [
        "编号", "报修时间", "房号/位置", "报修人", "类别", "故障描述", "紧急程度", "状态",
        "维修人员", "到场期限", "完成期限", "费用(元)", "标记",
    ]  # fmt: skip
    qtmodeltester.check(model)
    model.set_filter(RepairFilter(view=RepairView.OPEN))
    model.sort(REPAIRER, Qt.SortOrder.AscendingOrder)
    model.reload()
    qtmodeltester.check(model)


def test_model_reads_rows_a_page_at_a_time(services, register):
    asked: list[int] = []
    original = services.repairs.rows
    services.repairs.rows = lambda ids: asked.append(len(ids)) or original(ids)
    model = RepairTableModel(services.repairs, page_size=10, max_pages=2)
    assert asked == []
    for row in range(model.rowCount()):
        model.data(model.index(row, NO))
    assert asked == [10, 10, 10, 10, 4] and len(model._pages) == 2


def test_a_kept_row_past_the_loaded_head_follows_its_ticket_into_a_filter(services, register):
    """The ids of kept rows are read under the old filter, before the new one applies."""
    model = RepairTableModel(services.repairs, page_size=5)  # paints from the first 10 ids
    model.sort(NO, Qt.SortOrder.AscendingOrder)  # closed and open tickets interleave
    assert not model.complete
    by_no = Sort("no", descending=False)
    full = list(services.repairs.list_ids(RepairFilter(), by_no))
    open_ids = set(services.repairs.list_ids(RepairFilter(view=RepairView.OPEN), by_no))
    row = max(r for r in range(10, len(full)) if full[r] in open_ids)  # closed ones before it
    closed = min(r for r in range(10, len(full)) if full[r] not in open_ids)
    kept = QPersistentModelIndex(model.index(row, 0))
    gone = QPersistentModelIndex(model.index(closed, 0))
    model.set_filter(RepairFilter(view=RepairView.OPEN))
    assert kept.isValid() and model.record_id(kept.row()) == full[row]
    assert not gone.isValid()


# ----- quick views, counts, filters, search
def test_each_quick_view_shows_its_tickets_and_count(tab, services, register):
    open_ids = set(register.ids) - register.of("closed")
    expected = {
        RepairView.ALL: set(register.ids),
        RepairView.OPEN: open_ids,
        RepairView.OVERDUE: overdue_ids(services, register),
        RepairView.AWAITING_ACCEPTANCE: register.of("awaiting_acceptance"),
        RepairView.AWAITING_VISIT: register.of("awaiting_visit"),
        RepairView.REWORK: register.of("rework"),
    }
    assert register.of("overdue") <= expected[RepairView.OVERDUE]
    for view, ids in expected.items():
        tab.filters.view_buttons[view].click()
        assert set(shown_ids(tab)) == ids, view
        assert tab.filters.view_buttons[view].text() == f"{view.value}  {len(ids)}"
    tab.filters.set_view(RepairView.TO_DISPATCH)
    assert {cell(tab, r, STATUS) for r in range(tab.model.rowCount())} == {"待派工"}


def test_filters_narrow_the_list_and_clear_restores_it(tab, services, register):
    f = tab.filters
    f.combos["status"].setCurrentIndex(f.combos["status"].findText("维修中"))
    assert set(shown_ids(tab)) == register.of("on_site")
    f.clear_button.click()
    f.combos["category"].setCurrentIndex(f.combos["category"].findText("电梯"))
    assert tab.model.rowCount() > 0
    assert {services.repairs.get(i).category for i in shown_ids(tab)} == {"电梯"}
    f.combos["repairer"].setCurrentIndex(f.combos["repairer"].findText("李国强"))
    assert {cell(tab, r, REPAIRER) for r in range(tab.model.rowCount())} <= {"李国强"}
    f.clear_button.click()
    f.combos["urgency"].setCurrentIndex(f.combos["urgency"].findText("紧急"))
    assert set(shown_ids(tab)) == register.of("reopened")
    f.clear_button.click()
    assert tab.model.rowCount() == len(register.ids)
    assert [f.combos["repairer"].itemText(i) for i in range(3)] == ["全部人员", "王建军", "李国强"]


def test_search_finds_words_in_the_description(tab, services, qtbot):
    tab.filters.search.setText("角阀")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=2000)
    assert all("角阀" in cell(tab, r, SUMMARY) for r in range(2))


# ----- how rows look
def test_overdue_rows_are_red_and_say_which_limit_was_missed(tab, services, register):
    for rid in overdue_ids(services, register):
        row = tab.model.row_of(rid)
        assert cell(tab, row, NO, Qt.ItemDataRole.ForegroundRole) == QColor("#c62828")
        assert cell(tab, row, NO, Qt.ItemDataRole.ToolTipRole).startswith("已超时：")
    rid = sorted(register.of("overdue"))[0]
    tip = cell(tab, tab.model.row_of(rid), NO, Qt.ItemDataRole.ToolTipRole)
    assert "到场期限" in tip and "完成期限" in tip
    for rid in register.of("closed"):
        assert cell(tab, tab.model.row_of(rid), NO, Qt.ItemDataRole.ForegroundRole) is None


def test_fees_flags_and_places_read_as_the_office_writes_them(tab, services, register):
    for rid in register.of("awaiting_visit"):
        t = services.repairs.get(rid)
        shown = cell(tab, tab.model.row_of(rid), MONEY)
        assert shown == (f"{t.total_fen // 100}.{t.total_fen % 100:02d}" if t.total_fen else "")
    rework = tab.model.row_of(next(iter(register.of("rework"))))
    assert cell(tab, rework, FLAGS) == "返修"
    assert cell(tab, rework, PLACE) == "5-1-1201"
    reopened = tab.model.row_of(next(iter(register.of("reopened"))))
    assert cell(tab, reopened, FLAGS) == "重开1次"
    linked = tab.model.row_of(next(iter(register.of("from_complaint"))))
    assert cell(tab, linked, FLAGS).startswith("投诉TS2026-")
    public = [services.repairs.get(i) for i in register.ids]
    lift = next(t for t in public if t.location == "3栋1号电梯")
    assert cell(tab, tab.model.row_of(lift.id), PLACE) == "3栋1号电梯"


# ----- buttons and detail
def test_buttons_follow_the_tickets_allowed_steps(tab, register):
    tab.table.clearSelection()
    assert enabled(tab) == {"new"}
    expected = {
        "to_dispatch": {"dispatch"},
        "dispatched": {"dispatch", "not_home", "arrive"},
        "on_site": {"complete"},
        "awaiting_acceptance": {"accept"},
        "awaiting_visit": {"visit"},
    }
    for kind, steps in expected.items():
        tab.select_id(sorted(register.of(kind))[0])
        assert enabled(tab) == {"new", "intake", "print", "void"} | steps, kind
    tab.select_id(sorted(register.of("closed"))[0])
    assert enabled(tab) == {"new", "print", "void"}


def test_detail_shows_limits_calls_charges_and_the_log(tab, services, register):
    rid = sorted(register.of("not_home"))[0]
    tab.select_id(rid)
    text = tab.detail.text()
    assert "维修时限表" in text and "按预约上门时间起算" in text
    assert "改约" in text and "电话未接，门上贴了留言条" in text
    assert "处理日志" in text and "业主不在家" in text
    rid = sorted(register.of("awaiting_visit"))[0]
    tab.select_id(rid)
    t = services.repairs.get(rid)
    text = tab.detail.text()
    assert "材料及费用" in text and "上门检修费" in text
    assert f"合计 {t.total_fen // 100}.{t.total_fen % 100:02d} 元" in text
    assert "满意，业主已在纸质单上签名" in text
    assert "回访期限" in text
    tab.select_id(sorted(register.of("reopened"))[0])
    assert "重开1次" in tab.detail.text() and "用了一天又松了" in tab.detail.text()
    tab.select_id(next(iter(register.of("rework"))))
    assert "返修原单" in tab.detail.text()
    tab.select_id(next(iter(register.of("from_complaint"))))
    assert "关联投诉" in tab.detail.text()


def test_print_saves_the_work_order_and_opens_it(tab, register, monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(desktop, "open_pdf", opened.append)
    rid = sorted(register.of("awaiting_visit"))[0]
    tab.select_id(rid)
    no = cell(tab, tab.model.row_of(rid), NO)
    assert tab.run_action("print")
    assert opened == [tmp_path / "prints" / f"{no}.pdf"]
    assert opened[0].read_bytes().startswith(b"%PDF")


def test_a_change_elsewhere_reloads_the_list_keeping_the_selection(tab, services, register):
    rid = sorted(register.of("to_dispatch"))[0]
    tab.select_id(rid)
    services.repairs.dispatch(rid, repairer="王建军", at=services.repairs.now())
    tab.bus.changed.emit("repairs")
    assert tab.selected_id() == rid
    assert cell(tab, tab.model.row_of(rid), STATUS) == "已派工"
    assert "not_home" in enabled(tab)


# ----- 转维修 from the complaint tab
@pytest.fixture
def complaints_tab(services, register, bus, qtbot, tmp_path):
    widget = ComplaintsTab(
        services.complaints,
        services.escalation,
        services.reference,
        services.printing,
        bus,
        prints_dir=tmp_path / "prints",
        repairs=services.repairs,
    )
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_a_complaint_becomes_a_repair_ticket(complaints_tab, tab, services, register, monkeypatch):
    shown = []
    monkeypatch.setattr(desktop, "show_message", lambda _p, title, text, *a: shown.append(text))
    cid = next(iter(register.of("complaint")))
    complaints_tab.select_id(cid)
    assert complaints_tab.buttons["to_repair"].isEnabled()
    earlier = services.repairs.tickets_for_complaint(cid)
    assert (
        "维修单" in complaints_tab.detail.text() and earlier[0].no in complaints_tab.detail.text()
    )
    boxes = patch_message_boxes(monkeypatch)
    boxes.answer = QMessageBox.StandardButton.Yes  # it already has one: make another
    before = tab.model.rowCount()
    assert complaints_tab.run_action("to_repair")
    tickets = services.repairs.tickets_for_complaint(cid)
    assert len(tickets) == 2
    new = max(tickets, key=lambda t: t.id)
    assert new.no in shown[0] and new.status == RepairStatus.REPORTED
    assert tab.model.rowCount() == before + 1  # the repairs tab heard about it
    assert new.no in complaints_tab.detail.text()
    assert "已有维修单" in boxes.texts("question")[0]


def test_to_repair_is_offered_only_for_open_complaints_when_repairs_exist(
    complaints_tab, services, register
):
    cid = next(iter(register.of("complaint")))
    complaints_tab.select_id(cid)
    assert "to_repair" in enabled(complaints_tab)
    complaints_tab.repairs = None
    complaints_tab.refresh()
    assert "to_repair" not in enabled(complaints_tab)
