"""The 基础资料 tab: settings, departments, staff, categories, households, holiday overrides."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QFileDialog

from app.domain.complaint import Complaint, Urgency
from ui.file_actions import ImportReportDialog
from ui.signals import ChangeBus
from ui.tabs.reference import ReferenceTab


@pytest.fixture
def bus():
    return ChangeBus()


@pytest.fixture
def tab(services, bus, qtbot):
    widget = ReferenceTab(
        services.reference,
        services.calendar,
        bus,
        households=services.households,
        today=date(2026, 11, 20),
    )
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def test_pages_are_listed_on_the_left(tab):
    titles = [tab.nav.item(i).text() for i in range(tab.nav.count())]
    assert titles == ["小区信息", "部门", "员工", "投诉类别", "住户登记", "节假日调整"]
    tab.nav.setCurrentRow(3)
    assert tab.stack.currentWidget() is tab.categories


def test_office_names_are_saved(tab, services, qtbot):
    page = tab.show_page("office")
    page.estate_name.setText("翠湖花园")
    page.office_name.setText("翠湖花园物业管理处")
    with qtbot.waitSignal(tab.bus.changed) as changed:
        page.save_button.click()
    assert changed.args == ["settings"]
    office = services.reference.office()
    assert (office.estate_name, office.office_name) == ("翠湖花园", "翠湖花园物业管理处")
    assert page.saved_note.text() == "已保存"


def test_an_empty_estate_name_shows_the_error_at_the_field_and_keeps_the_input(tab, services):
    page = tab.show_page("office")
    page.estate_name.setText("   ")
    page.office_name.setText("新的管理处名称")
    page.save_button.click()
    error = page.errors.labels["estate_name"]
    assert error.isVisible() and error.text() == "请填写小区名称"
    assert page.office_name.text() == "新的管理处名称"  # nothing typed is lost
    assert services.reference.office().estate_name == "示例小区"
    assert page.saved_note.text() == ""
    page.estate_name.setText("翠湖花园")
    page.save_button.click()
    assert not error.isVisible()


def test_departments_are_added_and_removed(tab, services):
    page = tab.show_page("departments")
    page.name.setText("综合管理部")
    page.add_button.click()
    assert "综合管理部" in services.reference.departments()
    assert "综合管理部" in [page.list.item(i).text() for i in range(page.list.count())]
    assert page.name.text() == ""
    page.add_button.click()  # empty name
    assert page.errors.labels["name"].text() == "请填写部门名称"
    page.list.setCurrentRow(page.list.count() - 1)
    page.remove_button.click()
    assert "综合管理部" not in services.reference.departments()
    assert "综合管理部" not in [page.list.item(i).text() for i in range(page.list.count())]


def test_staff_are_added_with_their_department(tab, services):
    page = tab.show_page("staff")
    assert page.department.findText("工程维修部") >= 0
    page.name.setText("许敏")
    page.department.setCurrentText("工程维修部")
    page.role_title.setText("部门经理")
    page.add_button.click()
    member = services.reference.staff()[0]
    assert (member.name, member.department, member.role_title) == ("许敏", "工程维修部", "部门经理")
    assert [page.table.item(0, c).text() for c in range(3)] == ["许敏", "工程维修部", "部门经理"]
    page.role_title.setText("主管")
    page.add_button.click()  # no name
    assert page.errors.labels["name"].text() == "请填写姓名"
    assert page.role_title.text() == "主管"
    page.table.selectRow(0)
    page.remove_button.click()
    assert services.reference.staff() == []


def test_categories_are_edited_in_order_and_saved(tab, services):
    page = tab.show_page("categories")
    assert page.names() == services.reference.categories()
    assert not page.buttons["save"].isEnabled()
    page.name.setText("装修管理")
    page.buttons["add"].click()
    page.buttons["up"].click()
    assert page.names()[-2:] == ["装修管理", "其他"]
    page.list.setCurrentRow(0)  # 房管
    page.buttons["down"].click()
    page.list.setCurrentRow(page.names().index("收费"))
    page.buttons["remove"].click()
    assert page.dirty_note.text() == "有未保存的修改"
    tab.bus.changed.emit("reference")  # another page changed: unsaved edits stay
    assert "装修管理" in page.names()
    page.buttons["save"].click()
    saved = services.reference.categories()
    assert saved[:2] == ["治安", "房管"] and saved[-2:] == ["装修管理", "其他"]
    assert "收费" not in saved
    assert page.dirty_note.text() == ""


def test_duplicate_or_no_categories_are_refused_with_the_edits_kept(tab, services):
    page = tab.show_page("categories")
    page.name.setText("治安")
    page.buttons["add"].click()
    page.buttons["save"].click()
    assert page.errors.labels["categories"].text() == "投诉类别有重复"
    assert page.names().count("治安") == 2
    while page.list.count():
        page.list.setCurrentRow(0)
        page.buttons["remove"].click()
    page.buttons["save"].click()
    assert page.errors.labels["categories"].text() == "至少保留一个投诉类别"
    assert services.reference.categories()[0] == "房管"


def test_holiday_overrides_are_added_and_removed(tab, services, qtbot):
    page = tab.show_page("holidays")
    assert page.known_label.text() == "已收录官方节假日安排的年份：2004–2026"
    assert page.warning.isVisible()
    assert page.warning.text().startswith("2027年节假日安排未公布：答复期限按周一至周五估算")
    page.day.setDate(QDate(2027, 1, 1))
    page.kind.setCurrentIndex(page.kind.findText("休息"))
    page.note.setText("元旦")
    with qtbot.waitSignals([tab.bus.changed, tab.bus.changed]):
        page.add_button.click()
    assert services.calendar.overrides()[date(2027, 1, 1)] == (False, "元旦")
    rows = [[page.table.item(r, c).text() for c in range(3)] for r in range(page.table.rowCount())]
    assert ["2027-01-01", "休息", "元旦"] in rows
    page.table.selectRow(rows.index(["2027-01-01", "休息", "元旦"]))
    page.remove_button.click()
    assert date(2027, 1, 1) not in services.calendar.overrides()


def test_an_override_moves_open_deadlines(tab, services):
    c = services.complaints.register(
        Complaint(
            received_at=datetime(2026, 12, 30, 9, 0),
            content="水管爆裂",
            urgency=Urgency.NOT_URGENT,
            complainant="钱先生",
        )
    )
    before = services.complaints.deadline(services.complaints.get(c.id)).due_at
    page = tab.show_page("holidays")
    page.day.setDate(QDate(2027, 1, 1))
    page.kind.setCurrentIndex(page.kind.findText("休息"))
    page.add_button.click()
    after = services.complaints.deadline(services.complaints.get(c.id)).due_at
    assert (before.date(), after.date()) == (date(2027, 1, 1), date(2027, 1, 4))


def write_csv(path, rows):
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8-sig")
    return path


def test_households_are_imported_and_searchable(tab, services, tmp_path, monkeypatch):
    path = write_csv(
        tmp_path / "住户.csv",
        [
            ("栋", "单元", "房号", "业主姓名", "联系电话", "是否入住"),
            ("3", "2", "1201", "张三", "13812345678", "是"),
            ("3", "2", "1202", "李四", "", "否"),
            ("5", "1", "301", "王五", "", "是"),
        ],
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    page = tab.show_page("households")
    assert page.count_label.text() == "已登记 0 户"
    page.import_button.click()
    assert page.count_label.text() == "已登记 3 户"
    page.search.setText("3-2")
    shown = [page.view.model().index(r, 0).data() for r in range(page.view.model().rowCount())]
    assert shown == ["3-2-1201", "3-2-1202"]


def test_a_bad_household_file_shows_every_bad_row_and_writes_nothing(
    tab, services, tmp_path, monkeypatch
):
    path = write_csv(
        tmp_path / "住户.csv",
        [
            ("栋", "单元", "房号", "业主姓名", "联系电话", "是否入住"),
            ("3", "2", "1201", "张三", "12345", "是"),
            ("3", "2", "", "李四", "", "否"),
            ("5", "1", "301", "王五", "", "也许"),
        ],
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    page = tab.show_page("households")
    page.import_button.click()
    dialogs = page.findChildren(ImportReportDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    report = dialogs[0].text.toPlainText()
    assert "第2行" in report and "第3行" in report and "第4行" in report
    assert dialogs[0].text.isReadOnly()
    assert services.reference.household_count() == 0
    assert page.count_label.text() == "已登记 0 户"
