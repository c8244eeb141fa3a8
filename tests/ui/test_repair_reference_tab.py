"""The 维修资料 tab: 维修类别, 收费标准, 维修时限表 (category × urgency), 片区, 设施台账."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.repair import RepairTicket, RepairUrgency
from tests.ui.sample_repairs import set_up_reference
from ui.signals import ChangeBus
from ui.tabs.repair_reference import RepairReferenceTab


@pytest.fixture
def bus():
    return ChangeBus()


@pytest.fixture
def tab(services, bus, qtbot):
    set_up_reference(services)
    widget = RepairReferenceTab(services.repair_reference, services.reference, bus)
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.show()
    return widget


def test_pages_are_listed_on_the_left(tab):
    titles = [tab.nav.item(i).text() for i in range(tab.nav.count())]
    assert titles == ["维修类别", "收费标准", "维修时限表", "片区", "设施台账"]
    assert tab.show_page("zones") is tab.zones and tab.stack.currentWidget() is tab.zones


def test_repair_categories_are_their_own_list(tab, services, qtbot):
    page = tab.show_page("categories")
    assert page.names()[:3] == ["给排水", "电气", "门窗"]
    page.name.setText("绿化灌溉")
    page.add()
    with qtbot.waitSignal(tab.bus.changed) as changed:
        assert page.save()
    assert changed.args == ["repair_reference"]
    assert services.repair_reference.categories()[-1] == "绿化灌溉"
    assert "绿化灌溉" not in services.reference.categories()  # 投诉类别 untouched
    assert tab.time_limits.categories[-1] == "绿化灌溉"  # a new row in the grid


def test_a_price_is_added_and_corrected(tab, services):
    page = tab.show_page("prices")
    page.item.setText("更换浴霸灯泡")
    page.unit.setText("个")
    page.price.setText("３５")  # full-width, as an IME types it
    assert page.save()
    assert services.repair_reference.price_list()[-1].price_fen == 3500
    row = [page.table.item(r, 0).text() for r in range(page.table.rowCount())].index("更换浴霸灯泡")
    assert page.table.item(row, 2).text() == "35.00"
    page.table.selectRow(row)
    assert (page.item.text(), page.price.text()) == ("更换浴霸灯泡", "35.00")
    page.price.setText("三十五")
    assert not page.save()
    assert "金额格式不对" in page.errors.labels["price_fen"].text()


def test_the_time_limit_grid_saves_edits_and_keeps_refused_ones(tab, services):
    page = tab.show_page("time_limits")
    assert page.table.rowCount() == len(services.repair_reference.categories())
    assert page.cell("电梯", RepairUrgency.URGENT, 0).text() == "0.5"
    page.cell("电梯", RepairUrgency.URGENT, 1).setText("3")
    page.cell("门窗", RepairUrgency.NORMAL, 0).setText("80")  # longer than 完成 72
    assert page.save_button.isEnabled()
    assert not page.save()
    limits = {(t.category, t.urgency): t for t in services.repair_reference.time_limits()}
    assert limits[("电梯", RepairUrgency.URGENT)].complete_hours == 3
    assert limits[("门窗", RepairUrgency.NORMAL)].arrive_hours == 24  # refused
    assert "门窗/一般：完成时限不能短于到场时限" in page.errors.general.text()
    assert page.cell("门窗", RepairUrgency.NORMAL, 0).text() == "80"  # still there to fix
    page.cell("门窗", RepairUrgency.NORMAL, 1).setText("96")
    assert page.save()
    assert page.cell("门窗", RepairUrgency.NORMAL, 1).text() == "96"
    assert not page.save_button.isEnabled()


def test_a_zone_names_the_repairer_dispatch_offers(tab, services):
    page = tab.show_page("zones")
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == [
        "东区",
        "西区",
    ]
    page.name.setText("南区")
    page.buildings.setText("13、14，15栋")
    page.clerk.setCurrentText("郑丽")
    page.repairer.setCurrentText("李国强")
    assert page.save()
    assert services.repairs.suggest_repairer("14-1-0301") == "李国强"
    names = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert page.table.item(names.index("南区"), 1).text() == "13、14、15"
    page.name.setText("")
    assert not page.save()
    assert page.errors.labels["name"].text() == "请填写片区名称"


def test_the_facility_ledger_shows_each_facilitys_repairs(tab, services, bus):
    page = tab.show_page("facilities")
    page.name.setText("1号消防水泵")
    page.kind.setCurrentText("消防")
    page.location.setText("地下一层消防泵房")
    page.installed_on.setText("2019年6月1日")
    assert page.save()
    pump = next(f for f in services.repair_reference.facilities() if f.name == "1号消防水泵")
    assert pump.installed_on == date(2019, 6, 1)
    t = services.repairs.register(
        RepairTicket(
            datetime(2026, 11, 20, 8),
            "水泵漏水",
            location=pump.name,
            facility_id=pump.id,
            category="消防",
        )
    )
    bus.changed.emit("repairs")
    assert page.history_title.text() == "1号消防水泵 的维修记录（1 次）"
    assert page.history.item(0, 1).text() == t.no
    page.start_new()
    assert page.name.text() == "" and page.history.rowCount() == 0
    page.installed_on.setText("去年")
    assert not page.save()
    assert page.errors.labels["installed_on"].text()
