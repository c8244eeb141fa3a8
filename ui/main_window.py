"""The main window: tabs from a registry, the 文件/帮助 menus and the status bar.

A new register adds one line to TABS: (title, factory(services, bus) -> widget).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from ui import desktop, file_actions
from ui.tabs.complaints import ComplaintsTab
from ui.tabs.escalation import EscalationTab
from ui.tabs.reference import ReferenceTab
from ui.tabs.repair_reference import RepairReferenceTab
from ui.tabs.repairs import RepairsTab


def _complaints_tab(s, bus):
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
    return RepairsTab(
        s.repairs, s.repair_reference, s.reference, s.printing, bus, prints_dir=s.data_dir.prints
    )


def _escalation_tab(s, bus):
    return EscalationTab(
        s.escalation, s.complaints, s.reference, s.printing, bus, prints_dir=s.data_dir.prints
    )


def _reference_tab(s, bus):
    return ReferenceTab(
        s.reference, s.calendar, bus, households=s.households, today=s.complaints.now().date()
    )


def _repair_reference_tab(s, bus):
    return RepairReferenceTab(s.repair_reference, s.reference, bus)


TABS = [
    (QT_TRANSLATE_NOOP("MainWindow", "投诉登记"), _complaints_tab),
    (QT_TRANSLATE_NOOP("MainWindow", "报修维修"), _repairs_tab),
    (QT_TRANSLATE_NOOP("MainWindow", "传签与通知"), _escalation_tab),
    (QT_TRANSLATE_NOOP("MainWindow", "基础资料"), _reference_tab),
    (QT_TRANSLATE_NOOP("MainWindow", "维修资料"), _repair_reference_tab),
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
    def __init__(self, services, bus, parent=None) -> None:
        super().__init__(parent)
        self.services, self.bus = services, bus
        self.tabs = QTabWidget(documentMode=True, objectName="mainTabs")
        self.tab_widgets: dict[str, object] = {}
        for title, factory in TABS:
            widget = factory(services, bus)
            self.tabs.addTab(widget, QCoreApplication.translate("MainWindow", title))
            self.tab_widgets[title] = widget
            if hasattr(widget, "status_message"):
                widget.status_message.connect(self.statusBar().showMessage)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self._build_status_bar()
        bus.changed.connect(self._on_changed)
        self._update_title()
        self.update_calendar_warning()
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
        path = file_actions.choose_export_file(self, title, suggested)
        if path is None:
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            count = exchange.export_file(path)
        except (OSError, ValueError) as e:
            desktop.show_error(self, self.tr("导出失败：{error}").format(error=e))
            return False
        self.statusBar().showMessage(
            self.tr("已导出 {count} 条记录到 {path}").format(count=count, path=path)
        )
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

    def _on_changed(self, kind: str) -> None:
        if kind == "settings":
            self._update_title()
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
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        for text, slot in (
            (self.tr("导入住户登记…"), self.import_households),
            (self.tr("导入投诉…"), self.import_complaints),
            (self.tr("导出投诉…"), self.export_complaints),
            (self.tr("导入报修…"), self.import_repairs),
            (self.tr("导出报修…"), self.export_repairs),
        ):
            file_menu.addAction(text, slot)
        file_menu.addSeparator()
        blank = file_menu.addMenu(self.tr("打印空白表单"))
        blank.setEnabled(self.services.printing is not None)
        for title, file_name, method in BLANK_FORMS:
            action = blank.addAction(QCoreApplication.translate("MainWindow", title))
            action.triggered.connect(
                lambda _checked=False, m=method, f=file_name: self.print_blank(m, f)
            )
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(self.tr("关于"), self.about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.calendar_warning = QLabel(objectName="calendarWarning")
        self.calendar_warning.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.folder_label = QLabel(
            self.tr("数据文件夹：{folder}").format(folder=self.services.data_dir.root),
            objectName="dataFolder",
        )
        bar.addPermanentWidget(self.calendar_warning)
        bar.addPermanentWidget(self.folder_label)
