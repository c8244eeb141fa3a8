"""The main window: tabs from a registry, the 文件/账户/帮助 menus and the status bar.

A new register adds one line to TABS: (title, factory(services, bus) -> widget, permissions);
the tab is there only for a user holding one of the permissions (none listed: everyone), and
is built when first shown or asked for (ui/tab_pages.py). Menu entries the user may not use
are left out too; the services refuse them all the same.

基础资料 and 维修资料 are for those who maintain them (EDIT_REFERENCE): the household register
there shows whole phone numbers, which 前台 and 投诉处理人 see masked elsewhere.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QTabWidget

from app.domain.access import Permission, roles_text
from ui import desktop, file_actions
from ui.tab_pages import TabPages

P = Permission


# Each factory imports its tab's module: only the tab shown first loads before the first paint.
def _complaints_tab(s, bus):
    from ui.tabs.complaints import ComplaintsTab

    return ComplaintsTab(
        s.complaints,
        s.escalation,
        s.reference,
        s.printing,
        bus,
        prints_dir=s.data_dir.prints,
        repairs=s.repairs,
    )


def _repairs_tab(s, bus):
    from ui.tabs.repairs import RepairsTab

    return RepairsTab(
        s.repairs, s.repair_reference, s.reference, s.printing, bus, prints_dir=s.data_dir.prints
    )


def _escalation_tab(s, bus):
    from ui.tabs.escalation import EscalationTab

    return EscalationTab(
        s.escalation, s.complaints, s.reference, s.printing, bus, prints_dir=s.data_dir.prints
    )


def _reference_tab(s, bus):
    from ui.tabs.reference import ReferenceTab

    return ReferenceTab(
        s.reference, s.calendar, bus, households=s.households, today=s.complaints.now().date()
    )


def _repair_reference_tab(s, bus):
    from ui.tabs.repair_reference import RepairReferenceTab

    return RepairReferenceTab(s.repair_reference, s.reference, bus)


def _users_tab(s, bus):
    from ui.tabs.users import UsersPage

    return UsersPage(s.accounts, bus, now=s.complaints.now)


def _system_tab(s, bus):
    from ui.tabs.system import SystemPage

    return SystemPage(s.settings, s.retention, s.backups, bus)


TABS = [
    (QT_TRANSLATE_NOOP("MainWindow", "投诉登记"), _complaints_tab, ()),
    (QT_TRANSLATE_NOOP("MainWindow", "报修维修"), _repairs_tab, ()),
    (QT_TRANSLATE_NOOP("MainWindow", "传签与通知"), _escalation_tab, ()),
    (QT_TRANSLATE_NOOP("MainWindow", "基础资料"), _reference_tab, (P.EDIT_REFERENCE,)),
    (QT_TRANSLATE_NOOP("MainWindow", "维修资料"), _repair_reference_tab, (P.EDIT_REFERENCE,)),
    (QT_TRANSLATE_NOOP("MainWindow", "用户管理"), _users_tab, (P.USERS, P.UNLOCK)),
    (QT_TRANSLATE_NOOP("MainWindow", "系统设置"), _system_tab, (P.SETTINGS, P.RESTORE)),
]
# (menu text, file name, PrintService method): blank forms for the front desk
BLANK_FORMS = (
    (QT_TRANSLATE_NOOP("MainWindow", "顾客投诉处理记录表"), "空白-投诉处理记录表", "complaint_pdf"),
    (QT_TRANSLATE_NOOP("MainWindow", "工作传签单"), "空白-工作传签单", "transfer_pdf"),
    (QT_TRANSLATE_NOOP("MainWindow", "工作安排通知单"), "空白-工作安排通知单", "notice_pdf"),
    (QT_TRANSLATE_NOOP("MainWindow", "维修派工单"), "空白-维修派工单", "work_order_pdf"),
)


def unknown_calendar_years(services) -> list[int]:
    """Years without an official holiday calendar that unreplied deadlines were estimated in."""
    return services.complaints.estimated_deadline_years()


class MainWindow(QMainWindow):
    """The window of one signed-in user; 注销 and 恢复 are carried out by the application
    (ui/application.py), which closes this window and opens a new one after signing in."""

    sign_out_requested = Signal()
    restore_requested = Signal(object)  # the backup file (Path) to restore
    closed = Signal()

    def __init__(self, services, bus, parent=None) -> None:
        super().__init__(parent)
        self.services, self.bus = services, bus
        self.session = services.session
        self.tabs = QTabWidget(documentMode=True, objectName="mainTabs")
        self.tab_widgets = TabPages(self.tabs, self._connect_tab)
        for title, factory, needs in TABS:
            if needs and not any(self.session.can(p) for p in needs):
                continue
            label = QCoreApplication.translate("MainWindow", title)
            self.tab_widgets.add(title, label, partial(factory, services, bus))
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self._build_status_bar()
        bus.changed.connect(self._on_changed)
        self._update_title()
        self.calendar_warning.hide()  # until shown: see showEvent
        self._warned_once = False
        self.resize(1360, 820)

    # ----- menu actions
    def import_households(self) -> bool:
        return self._import(self.services.households, self.tr("导入住户登记"), "reference")

    def import_complaints(self) -> bool:
        return self._import(self.services.exchange, self.tr("导入投诉"), "complaints")

    def import_repairs(self) -> bool:
        return self._import(self.services.repair_exchange, self.tr("导入报修"), "repairs")

    def export_complaints(self) -> bool:
        return self._export(self.services.exchange, self.tr("导出投诉"), self.tr("投诉登记"))

    def export_repairs(self) -> bool:
        return self._export(self.services.repair_exchange, self.tr("导出报修"), self.tr("报修登记"))

    def _export(self, exchange, title: str, stem: str) -> bool:
        folder = self.services.data_dir.exports
        suggested = folder / f"{stem}-{self.services.complaints.now():%Y%m%d}.xlsx"
        done = file_actions.run_export(self, exchange, title, suggested)
        if done is None:
            return False
        self.statusBar().showMessage(done)
        return True

    def print_blank(self, method: str, file_name: str) -> bool:
        printing = self.services.printing
        try:
            path = desktop.save_and_open_pdf(
                printing, getattr(printing, method)(None), self.services.data_dir.prints, file_name
            )
        except OSError as e:
            desktop.show_error(self, self.tr("无法保存表单：{error}").format(error=e))
            return False
        self.statusBar().showMessage(self.tr("已保存 {path}").format(path=path))
        return True

    def change_password(self) -> bool:
        from ui.dialogs.change_password import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.services.accounts, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.statusBar().showMessage(self.tr("密码已修改，下次登录请用新密码"))
        return True

    def sign_out(self) -> None:
        """注销: the application signs this user out and asks who signs in next."""
        self.sign_out_requested.emit()

    def about(self) -> None:
        desktop.show_message(
            self,
            self.tr("关于"),
            self.tr(
                "物业管理处办公系统\n投诉登记、报修维修、传签与通知、基础资料、维修资料\n数据文件夹：{folder}"
            ).format(folder=self.services.data_dir.root),
        )

    # ----- status
    def update_calendar_warning(self) -> None:
        years = unknown_calendar_years(self.services)
        self.calendar_warning.setText(
            self.tr(
                "{years}年节假日安排未公布：答复期限按周一至周五估算，请在基础资料中补充"
            ).format(years="、".join(str(y) for y in years))
            if years
            else ""
        )
        self.calendar_warning.setVisible(bool(years))

    def update_user(self) -> None:
        user = self.session.user
        self.user_label.setText(
            self.tr("当前用户：{name}（{roles}）").format(
                name=user.name, roles=roles_text(user.roles)
            )
            if user
            else self.tr("未登录")
        )

    def showEvent(self, event) -> None:
        """The holiday-calendar warning reads every unreplied complaint (20 ms on a large
        estate): once the window is on screen, not before its first paint."""
        super().showEvent(event)
        if not self._warned_once:
            self._warned_once = True
            QTimer.singleShot(0, self, self._first_calendar_warning)

    def _first_calendar_warning(self) -> None:
        if self.isVisible():  # not closed in the meantime (its database may be closed too)
            self.update_calendar_warning()

    def closeEvent(self, event) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()

    def _on_changed(self, kind: str) -> None:
        if kind == "settings":
            self._update_title()
        if kind == "users":
            self.update_user()
        if kind in ("complaints", "calendar", "reference"):
            self.update_calendar_warning()

    def _update_title(self) -> None:
        estate = self.services.reference.office().estate_name
        self.setWindowTitle(self.tr("物业管理处办公系统 — {estate}").format(estate=estate))

    def _import(self, importer, title: str, kind: str) -> bool:
        path = file_actions.choose_import_file(self, title)
        if path is None or file_actions.run_import(self, importer, path) is None:
            return False
        self.bus.changed.emit(kind)
        return True

    # ----- building
    def _connect_tab(self, widget) -> None:
        if hasattr(widget, "status_message"):
            widget.status_message.connect(self.statusBar().showMessage)
        if hasattr(widget, "restore_requested"):
            widget.restore_requested.connect(self.restore_requested)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        for text, slot, needs in (
            (self.tr("导入住户登记…"), self.import_households, P.IMPORT),
            (self.tr("导入投诉…"), self.import_complaints, P.IMPORT),
            (self.tr("导出投诉…"), self.export_complaints, P.EXPORT),
            (self.tr("导入报修…"), self.import_repairs, P.IMPORT),
            (self.tr("导出报修…"), self.export_repairs, P.EXPORT),
        ):
            if self.session.can(needs):
                file_menu.addAction(text, slot)
        if self.session.can(P.PRINT):
            file_menu.addSeparator()
            self._add_blank_forms(file_menu.addMenu(self.tr("打印空白表单")))
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        account_menu = self.menuBar().addMenu(self.tr("账户(&A)"))
        account_menu.addAction(self.tr("修改密码…"), self.change_password)
        account_menu.addAction(self.tr("注销/切换用户…"), self.sign_out)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(self.tr("关于"), self.about)

    def _add_blank_forms(self, blank) -> None:
        blank.setEnabled(self.services.printing is not None)
        for title, file_name, method in BLANK_FORMS:
            action = blank.addAction(QCoreApplication.translate("MainWindow", title))
            action.triggered.connect(
                lambda _checked=False, m=method, f=file_name: self.print_blank(m, f)
            )

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.calendar_warning = QLabel(objectName="calendarWarning")
        self.calendar_warning.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.folder_label = QLabel(
            self.tr("数据文件夹：{folder}").format(folder=self.services.data_dir.root),
            objectName="dataFolder",
        )
        self.user_label = QLabel(objectName="signedInUser")
        self.update_user()
        bar.addPermanentWidget(self.calendar_warning)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.folder_label)
