"""The main window: title, tabs from the registry, menus, imports/exports, blank forms, the
status bar's user, data folder and holiday-calendar warning, and start-up failures."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from shiboken6 import Shiboken

from app.domain.access import Role
from app.domain.complaint import Complaint, Urgency
from app.services import open_services
from app.services.reference import OfficeSettings
from tests.accounts_support import FAST_HASHER, signed_in
from ui import application, desktop, main_window
from ui.dialogs.first_admin import FirstAdminDialog
from ui.file_actions import ImportReportDialog
from ui.signals import ChangeBus

ALL_TABS = ["投诉登记", "报修维修", "传签与通知", "基础资料", "维修资料", "用户管理", "系统设置"]


@pytest.fixture
def bus():
    return ChangeBus()


@pytest.fixture
def windows(services, bus, qtbot):
    """Builds the signed-in user's window (closed after the test)."""

    def build():
        w = application.build_main_window(services, bus)
        qtbot.addWidget(w)
        return w

    return build


@pytest.fixture
def window(windows):
    w = windows()
    w.show()
    return w


def menu_texts(window) -> dict[str, list[str]]:
    menus = {}
    for action in window.menuBar().actions():
        menus[action.text()] = [a.text() for a in action.menu().actions() if a.text()]
    return menus


def visible_messages(window) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_title_tabs_and_menus(window, services, bus):
    assert window.windowTitle() == "物业管理处办公系统 — 示例小区"
    assert menu_texts(window) == {
        "文件(&F)": [
            "导入住户登记…",
            "导入投诉…",
            "导出投诉…",
            "导入报修…",
            "导出报修…",
            "打印空白表单",
            "退出",
        ],
        "账户(&A)": ["修改密码…", "注销/切换用户…"],
        "帮助(&H)": ["关于"],
    }
    services.reference.set_office(OfficeSettings("翠湖花园", "翠湖花园物业管理处"))
    bus.changed.emit("settings")
    assert window.windowTitle() == "物业管理处办公系统 — 翠湖花园"


def test_tabs_in_order(window):
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ALL_TABS


def test_only_the_first_tab_is_built_until_another_is_needed(window, qtbot):
    pages = window.tab_widgets
    assert list(pages) == ALL_TABS
    assert [t for t in pages if pages.is_built(t)] == ["投诉登记"]
    window.tabs.setCurrentIndex(1)  # the clerk switches: the tab is built and shown
    assert pages.is_built("报修维修")
    assert window.tabs.currentWidget().layout().itemAt(0).widget() is pages["报修维修"]
    assert pages["基础资料"].households.count_label.text()  # asked for: built on the spot
    pages.build_rest_later()
    qtbot.waitUntil(lambda: all(pages.is_built(t) for t in pages))
    assert window.tabs.currentIndex() == 1  # building in the background switches nothing


def test_status_bar_shows_the_user_and_the_data_folder(window, services):
    assert window.user_label.text() == (
        "当前用户：测试员（前台/值班、投诉处理人/部门负责人、管理处主任/经理、管理员）"
    )
    assert window.folder_label.text() == f"数据文件夹：{services.data_dir.root}"
    assert window.folder_label.isVisible() and window.user_label.isVisible()
    assert not window.calendar_warning.isVisible()


def test_the_status_bar_follows_a_change_of_roles(window, services, bus):
    services.accounts.set_roles("测试员", {Role.ADMIN, Role.CLERK})
    bus.changed.emit("users")
    assert window.user_label.text() == "当前用户：测试员（前台/值班、管理员）"


def test_status_bar_warns_when_a_deadline_falls_in_an_unpublished_year(window, services, bus):
    services.complaints.register(
        Complaint(
            received_at=datetime(2026, 12, 31, 9, 0),
            content="楼道灯不亮",
            urgency=Urgency.NOT_URGENT,
            complainant="钱先生",
        )
    )
    bus.changed.emit("complaints")
    assert window.calendar_warning.isVisible()
    assert window.calendar_warning.text() == (
        "2027年节假日安排未公布：答复期限按周一至周五估算，请在基础资料中补充"
    )


def test_a_window_opened_on_an_estimated_deadline_warns_just_after_it_shows(
    windows, services, qtbot
):
    services.complaints.register(
        Complaint(
            received_at=datetime(2026, 12, 31, 9, 0),
            content="楼道灯不亮",
            urgency=Urgency.NOT_URGENT,
            complainant="钱先生",
        )
    )
    window = windows()
    window.show()
    qtbot.waitUntil(window.calendar_warning.isVisible)
    assert window.calendar_warning.text().startswith("2027年节假日安排未公布")


def bad_complaints_csv(path):
    path.write_text(
        "投诉人,房号,投诉内容,登记时间,紧急程度\n"
        "张先生,3-2-1201,电梯停运,2026-11-18 09:00,不紧急\n"
        "李女士,3-2-1202,,2026-11-18 10:00,不紧急\n"
        ",,楼道漏水,2026-11-18 11:00,很急\n",
        encoding="utf-8-sig",
    )
    return path


def test_a_failed_import_shows_every_bad_row_and_writes_nothing(
    window, services, tmp_path, monkeypatch
):
    path = bad_complaints_csv(tmp_path / "投诉.csv")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    assert window.import_complaints() is False
    dialog = window.findChild(ImportReportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "导入失败"
    text = dialog.text.toPlainText()
    assert "第3行" in text and "第4行" in text and "第2行" not in text
    assert dialog.text.isReadOnly()
    assert services.complaints.store.count() == 0


def test_a_good_import_is_reported_and_the_list_reloads(window, services, tmp_path, monkeypatch):
    path = tmp_path / "投诉.csv"
    path.write_text(
        "投诉人,房号,投诉内容,登记时间,紧急程度\n"
        "张先生,3-2-1201,电梯停运,2026-11-18 09:00,不紧急\n",
        encoding="utf-8-sig",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    assert window.import_complaints() is True
    assert any("已导入 1 条记录" in text for text in visible_messages(window))
    complaints_tab = window.tab_widgets["投诉登记"]
    assert complaints_tab.model.rowCount() == 1


def test_households_import_from_the_menu(window, services, tmp_path, monkeypatch):
    path = tmp_path / "住户.xlsx"
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["房号", "业主姓名"])
    book.active.append(["3-2-1201", "张三"])
    book.save(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    assert window.import_households() is True
    assert window.tab_widgets["基础资料"].households.count_label.text() == "已登记 1 户"


def test_export_writes_the_chosen_file(services, tmp_path, monkeypatch, windows):
    services.complaints.register(
        Complaint(
            received_at=datetime(2026, 11, 19, 9, 0),
            content="电梯异响",
            urgency=Urgency.NOT_URGENT,
            complainant="张先生",
        )
    )
    signed_in(services, frozenset({Role.HANDLER}), name="李处理")
    window = windows()
    target = tmp_path / "导出" / "投诉"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV 文件 (*.csv)")
    )
    assert window.export_complaints() is True
    written = target.with_suffix(".csv")
    assert "电梯异响" in written.read_text(encoding="utf-8-sig")
    assert str(written) in window.statusBar().currentMessage()


def test_blank_forms_are_saved_under_prints_and_opened(window, services, monkeypatch):
    opened = []
    monkeypatch.setattr(desktop, "open_pdf", opened.append)
    blank = next(
        a.menu()
        for a in window.menuBar().actions()[0].menu().actions()
        if a.text() == "打印空白表单"
    )
    titles = [a.text() for a in blank.actions()]
    assert titles == ["顾客投诉处理记录表", "工作传签单", "工作安排通知单", "维修派工单"]
    for action in blank.actions():
        action.trigger()
    prints = services.data_dir.prints
    assert opened == [
        prints / "空白-投诉处理记录表.pdf",
        prints / "空白-工作传签单.pdf",
        prints / "空白-工作安排通知单.pdf",
        prints / "空白-维修派工单.pdf",
    ]
    assert all(p.read_bytes().startswith(b"%PDF") for p in opened)


def test_about_names_the_program(window):
    window.about()
    assert any("物业管理处办公系统" in text for text in visible_messages(window))


def test_run_refuses_a_database_newer_than_the_program(data_dir, monkeypatch, qapp):
    data_dir.ensure()
    with sqlite3.connect(data_dir.database) as db:
        db.execute("PRAGMA user_version = 999")
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    style = qapp.styleSheet()
    try:
        assert application.run(data_dir) == 1
    finally:
        qapp.setStyleSheet(style)
    assert len(shown) == 1 and "数据库版本（999）" in shown[0]


def create_admin(dialog) -> int:
    """The first-start dialog, filled in and saved as the new administrator would."""
    dialog.name.setText("王管理")
    dialog.new_password.password.setText("office-2026")
    dialog.new_password.again.setText("office-2026")
    dialog.save()
    return dialog.result()


def test_run_builds_and_shows_the_window(data_dir, monkeypatch, qapp):
    seen = []
    monkeypatch.setattr(FirstAdminDialog, "exec", create_admin)
    monkeypatch.setattr(
        application, "open_services", lambda d: open_services(d, hasher=FAST_HASHER)
    )

    def fake_exec(self=None):
        windows = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, main_window.MainWindow) and w.isVisible()
        ]
        seen.extend((w, w.windowTitle(), w.user_label.text()) for w in windows)
        for w in windows:
            w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    style = qapp.styleSheet()
    try:
        assert application.run(data_dir) == 0
        assert "QTableView" in qapp.styleSheet()  # resources/style.qss is applied
    finally:
        qapp.setStyleSheet(style)
    [(window, title, user)] = seen
    assert title == "物业管理处办公系统 — 示例小区"
    assert user == "当前用户：王管理（管理员）"
    assert not Shiboken.isValid(window)  # deleted before the database closed
    assert qapp.quitOnLastWindowClosed()  # put back for the other tests


def test_repairs_import_and_export_from_the_menu(window, windows, services, tmp_path, monkeypatch):
    source = tmp_path / "报修.csv"
    source.write_text(
        "报修时间,报修人,房号,类别,故障描述,是否有偿,费用合计(元)\n"
        "2026-11-19 09:00,张先生,3-2-1201,给排水,厨房水龙头漏水,是,45\n",
        encoding="utf-8-sig",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    assert window.import_repairs() is True
    assert window.tab_widgets["报修维修"].model.rowCount() == 1
    signed_in(services, frozenset({Role.HANDLER}), name="李处理")
    window = windows()
    target = tmp_path / "导出" / "报修"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV 文件 (*.csv)")
    )
    assert window.export_repairs() is True
    written = target.with_suffix(".csv").read_text(encoding="utf-8-sig")
    assert "厨房水龙头漏水" in written and "45.00" in written


def test_the_application_has_the_estate_office_icon(qtbot) -> None:  # noqa: ARG001
    from ui.application import make_application

    app = make_application()
    assert not app.windowIcon().isNull()
    assert app.windowIcon().availableSizes()
