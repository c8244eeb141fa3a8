"""Accounts in the window: the first start creates the administrator, the sign-in dialog
(wrong password, lockout, Enter, 退出), 注销/切换用户, 修改密码, what each role's window
offers, and the 用户管理 page (add, roles, reset, stop, unlock)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from shiboken6 import Shiboken

from app.domain.access import Role
from app.services import open_services
from tests.accounts_support import FAST_HASHER, PASSWORD, TESTER, signed_in
from tests.ui.dialog_support import patch_message_boxes, show_active
from ui import application, startup
from ui.dialogs.change_password import ChangePasswordDialog, ResetPasswordDialog
from ui.dialogs.first_admin import FirstAdminDialog, NewUserDialog, RolesDialog
from ui.dialogs.sign_in import SignInDialog
from ui.main_window import MainWindow
from ui.signals import ChangeBus
from ui.tabs.users import UsersPage

CLERK = frozenset({Role.CLERK})


@pytest.fixture
def fresh(data_dir):
    """A new data folder's services: nobody exists, nobody signed in."""
    s = open_services(data_dir, hasher=FAST_HASHER)
    yield s
    s.close()


@pytest.fixture
def window_of(services, qtbot):
    """The window of a user holding `roles` (closed after the test)."""

    def build(roles, name):
        signed_in(services, roles, name=name)
        window = application.build_main_window(services, ChangeBus())
        qtbot.addWidget(window)
        return window

    return build


def menu_entries(window) -> list[str]:
    return [
        a.text() for menu in window.menuBar().actions() for a in menu.menu().actions() if a.text()
    ]


def tab_titles(window) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def fill_new_user(dialog, name, password, again=None, roles=()):
    dialog.name.setText(name)
    dialog.new_password.password.setText(password)
    dialog.new_password.again.setText(password if again is None else again)
    for role in roles:
        dialog.roles.boxes[role].setChecked(True)


# ----- the first start
def test_the_first_start_creates_the_administrator_and_signs_in(fresh, qtbot):
    dialog = FirstAdminDialog(fresh.accounts)
    qtbot.addWidget(dialog)
    admin_box = dialog.roles.boxes[Role.ADMIN]
    assert admin_box.isChecked() and not admin_box.isEnabled()
    fill_new_user(dialog, "王管理", "office-2026", roles=[Role.MANAGER])
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert fresh.session.name == "王管理"
    assert fresh.session.user.roles == {Role.ADMIN, Role.MANAGER}
    assert not fresh.accounts.needs_setup()


def test_first_start_errors_are_shown_at_the_fields_and_the_typing_kept(fresh, qtbot, monkeypatch):
    patch_message_boxes(monkeypatch)
    dialog = FirstAdminDialog(fresh.accounts)
    qtbot.addWidget(dialog)
    fill_new_user(dialog, "王 管理", "office-2026", again="office-2025")
    dialog.save()
    assert dialog.errors.message("password_again") == "两次输入的密码不一致"
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.new_password.again.setText("office-2026")
    dialog.save()
    assert dialog.errors.message("name") == "用户名不能含空格、逗号或控制字符"
    assert dialog.name.text() == "王 管理" and dialog.new_password.password.text() == "office-2026"
    dialog.name.setText("王管理")
    dialog.new_password.password.setText("short")
    dialog.new_password.again.setText("short")
    dialog.save()
    assert dialog.errors.message("password") == "密码至少 8 位"
    assert fresh.accounts.needs_setup() and fresh.session.user is None


def test_startup_asks_for_the_administrator_only_on_a_new_folder(fresh, monkeypatch):
    opened = []
    monkeypatch.setattr(FirstAdminDialog, "exec", lambda d: opened.append("admin") or 0)
    monkeypatch.setattr(SignInDialog, "exec", lambda d: opened.append("sign-in") or 0)
    assert startup.sign_in(fresh.accounts) is False
    fresh.accounts.setup_admin("王管理", "office-2026")
    assert startup.sign_in(fresh.accounts) is False
    assert opened == ["admin", "sign-in"]


# ----- signing in
@pytest.fixture
def sign_in_dialog(services, qtbot):
    services.accounts.sign_out()
    dialog = SignInDialog(services.accounts)
    show_active(qtbot, dialog)
    return dialog


def test_a_wrong_password_is_said_in_the_dialog_which_stays(sign_in_dialog, services):
    d = sign_in_dialog
    d.name.setText(TESTER)
    d.password.setText("not-the-password")
    d.sign_in_button.click()
    assert d.isVisible() and d.result() != QDialog.DialogCode.Accepted
    assert d.message.text() == "用户名或密码不对（再错 4 次将锁定账户）"
    assert d.name.text() == TESTER and d.password.text() == ""
    assert services.session.user is None


def test_enter_moves_to_the_password_then_signs_in(sign_in_dialog, services, qtbot):
    d = sign_in_dialog
    d.name.setFocus()
    d.name.setText(TESTER)
    qtbot.keyClick(d.name, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is d.password and d.message.isHidden()
    d.password.setText(PASSWORD)
    qtbot.keyClick(d.password, Qt.Key.Key_Return)
    assert d.result() == QDialog.DialogCode.Accepted
    assert d.user is not None and services.session.name == TESTER


def test_a_locked_account_is_named_in_the_dialog(sign_in_dialog, services, clock):
    d = sign_in_dialog
    for _ in range(5):
        d.name.setText(TESTER)
        d.password.setText("wrong-password")
        d.submit()
    assert d.message.text() == "密码连续输错 5 次，账户已锁定到 10:01，或请主管解锁"
    d.password.setText(PASSWORD)
    d.submit()
    assert "已锁定" in d.message.text() and services.session.user is None


def test_quitting_at_sign_in_ends_the_program_without_a_window(data_dir, monkeypatch, qapp):
    monkeypatch.setattr(
        application, "open_services", lambda d: open_services(d, hasher=FAST_HASHER)
    )
    monkeypatch.setattr(FirstAdminDialog, "exec", lambda d: d.reject() or d.result())
    monkeypatch.setattr(QApplication, "exec", lambda *a: pytest.fail("the window was opened"))
    style = qapp.styleSheet()
    try:
        assert application.run(data_dir) == 0
    finally:
        qapp.setStyleSheet(style)
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert not any(isinstance(w, MainWindow) for w in shown)


# ----- what each role's window offers
def test_a_clerk_has_no_imports_exports_users_or_settings(window_of):
    window = window_of(CLERK, "前台小陈")
    entries = menu_entries(window)
    assert not [e for e in entries if e.startswith(("导入", "导出"))]
    assert "打印空白表单" in entries and "注销/切换用户…" in entries
    assert tab_titles(window) == ["投诉登记", "报修维修", "传签与通知"]
    assert window.user_label.text() == "当前用户：前台小陈（前台/值班）"


def test_a_manager_may_unlock_but_not_manage_users(window_of):
    window = window_of(frozenset({Role.MANAGER}), "刘主任")
    assert "用户管理" in tab_titles(window) and "系统设置" not in tab_titles(window)
    page = window.tab_widgets["用户管理"]
    assert page.unlock_button.isVisibleTo(page)
    assert not any(b.isVisibleTo(page) for b in page.manage_buttons)
    entries = menu_entries(window)
    assert {"导入投诉…", "导出投诉…"} <= set(entries)


def test_signing_out_asks_who_is_next_and_opens_their_window(services, qtbot, monkeypatch):
    signed_in(services, CLERK, name="前台小陈")
    nexts = iter([TESTER, "前台小陈"])  # the administrator, then the clerk
    monkeypatch.setattr(
        startup, "sign_in", lambda accounts: bool(accounts.sign_in(next(nexts), PASSWORD))
    )
    desk = application.Desk(QApplication.instance(), services.data_dir, services)
    assert desk.start()
    first = desk.window
    assert "用户管理" in tab_titles(first)
    first.sign_out()
    qtbot.waitUntil(lambda: desk.window is not None and desk.window is not first)
    assert not Shiboken.isValid(first)
    assert services.session.name == "前台小陈"
    assert tab_titles(desk.window) == ["投诉登记", "报修维修", "传签与通知"]
    assert desk.window.isVisible()
    desk.close_window()


def test_quitting_at_the_next_sign_in_ends_the_program(services, qtbot, monkeypatch):
    monkeypatch.setattr(startup, "sign_in", lambda accounts: True)
    desk = application.Desk(QApplication.instance(), services.data_dir, services)
    desk.start()
    window = desk.window
    monkeypatch.setattr(startup, "sign_in", lambda accounts: False)
    quits = []
    monkeypatch.setattr(QApplication, "quit", lambda *a: quits.append(True))
    window.sign_out()
    qtbot.waitUntil(lambda: quits == [True])
    assert desk.window is None and services.session.user is None


def test_closing_the_window_ends_the_program(services, monkeypatch):
    monkeypatch.setattr(startup, "sign_in", lambda accounts: True)
    desk = application.Desk(QApplication.instance(), services.data_dir, services)
    desk.start()
    quits = []
    monkeypatch.setattr(QApplication, "quit", lambda *a: quits.append(True))
    desk.window.close()
    assert quits == [True]
    desk.close_window()
    assert quits == [True]  # the desk's own closing is not the user's


def test_change_own_password(window_of, services, monkeypatch):
    window = window_of(CLERK, "前台小陈")

    def type_passwords(dialog):
        dialog.old_password.setText("wrong-old-one")
        dialog.new_password.password.setText("new-pass-456")
        dialog.new_password.again.setText("new-pass-456")
        dialog.save()
        assert dialog.errors.message("old_password") == "原密码不对"
        dialog.old_password.setText(PASSWORD)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ChangePasswordDialog, "exec", type_passwords)
    assert window.change_password() is True
    assert window.statusBar().currentMessage() == "密码已修改，下次登录请用新密码"
    services.accounts.sign_out()
    assert services.accounts.sign_in("前台小陈", "new-pass-456").name == "前台小陈"


# ----- 用户管理
@pytest.fixture
def users_page(services, qtbot, clock):
    page = UsersPage(services.accounts, ChangeBus(), now=clock)
    qtbot.addWidget(page)
    return page


def rows(page) -> list[list[str]]:
    return [
        [page.table.item(r, c).text() for c in range(page.table.columnCount())]
        for r in range(page.table.rowCount())
    ]


def test_users_page_add_change_roles_and_unlock(users_page, services, clock, monkeypatch):
    page = users_page

    def add(dialog):
        fill_new_user(dialog, "前台小陈", "desk-pass-1", roles=[Role.CLERK])
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(NewUserDialog, "exec", add)
    assert page.add_user() is True
    assert page.selected().name == "前台小陈"
    assert ["前台小陈", "前台/值班", "在用", "", ""] in rows(page)

    def give_handler(dialog):
        dialog.roles.boxes[Role.HANDLER].setChecked(True)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(RolesDialog, "exec", give_handler)
    assert page.change_roles() is True
    assert services.accounts.store.by_name("前台小陈").roles == {Role.CLERK, Role.HANDLER}

    for _ in range(5):
        with pytest.raises(ValueError):
            services.accounts.sign_in("前台小陈", "wrong-password")
    page.reload()
    page.select("前台小陈")
    assert page.selected().locked_until == clock() + timedelta(minutes=1)
    row = next(r for r in rows(page) if r[0] == "前台小陈")
    assert row[3:] == ["5", "2026-11-20 10:01"]
    assert page.unlock_button.isEnabled()
    assert page.unlock() is True
    row = next(r for r in rows(page) if r[0] == "前台小陈")
    assert row[3:] == ["", ""] and not page.unlock_button.isEnabled()
    assert services.accounts.sign_in("前台小陈", "desk-pass-1").name == "前台小陈"


def test_users_page_errors_are_in_chinese(users_page, services, monkeypatch):
    page = users_page
    boxes = patch_message_boxes(monkeypatch)
    seen = []

    def no_roles(dialog):
        fill_new_user(dialog, "小王", "desk-pass-1")
        dialog.save()
        seen.append(dialog.errors.message("roles"))
        return dialog.result()

    monkeypatch.setattr(NewUserDialog, "exec", no_roles)
    assert page.add_user() is False
    assert seen == ["至少选择一个角色"]
    page.select(TESTER)
    boxes.answer = QMessageBox.StandardButton.Yes
    assert page.toggle_active() is False
    assert boxes.texts("warning") == ["不能停用自己正在使用的账户"]


def test_users_page_stop_restart_and_reset_password(users_page, services, monkeypatch):
    page = users_page
    signed_in(services, CLERK, name="前台小陈")
    signed_in(services, name=TESTER)
    page.reload()
    page.select("前台小陈")
    boxes = patch_message_boxes(monkeypatch)
    boxes.answer = QMessageBox.StandardButton.Yes
    assert page.toggle_active() is True
    assert "确定停用吗" in boxes.texts("question")[0]
    assert page.active_button.text() == "启用"
    assert ["前台小陈", "前台/值班", "已停用", "", ""] in rows(page)
    assert page.toggle_active() is True
    assert page.active_button.text() == "停用"

    def new_password(dialog):
        dialog.new_password.password.setText("fresh-pass-9")
        dialog.new_password.again.setText("fresh-pass-9")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ResetPasswordDialog, "exec", new_password)
    assert page.reset_password() is True
    assert services.accounts.sign_in("前台小陈", "fresh-pass-9").name == "前台小陈"
