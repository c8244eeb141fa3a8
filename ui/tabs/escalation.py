"""升级与工作安排 tab: the 工作传签单 and 工作安排通知单 registers, the selected one in full,
and the next actions on it (§7.2.8-9). Writes go through the dialogs (which call
EscalationService); afterwards the tab announces "escalation" and "complaints" on the bus.
A button shows only to a user who may use it (作废: a manager); voided forms stay listed, grey."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.access import Permission
from app.domain.escalation import notice_steps, sheet_steps
from app.paths import DataDir
from ui.dialogs import transfer_sheet as sheets
from ui.dialogs import work_notice as notices
from ui.dialogs.void_record import VoidRecordDialog, notice_lines, sheet_lines
from ui.tabs.escalation_detail import notice_html, sheet_html
from ui.widgets.tables import read_only_table

if TYPE_CHECKING:
    from app.services.complaints import ComplaintService
    from app.services.escalation import EscalationService
    from app.services.printing import PrintService
    from app.services.reference import ReferenceService
    from ui.signals import ChangeBus

SHEET = "sheet"
NOTICE = "notice"
VOIDED_COLOR = QColor("#9aa0a6")
# what a user must hold to see each button (the service checks it again)
BUTTON_PERMISSIONS = {
    "print_sheet": Permission.PRINT,
    "print_notice": Permission.PRINT,
    "void_sheet": Permission.VOID,
    "void_notice": Permission.VOID,
}


def open_pdf(path: Path) -> None:
    """Show a printed form in the PC's PDF viewer (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class EscalationTab(QWidget):
    """Two lists, a detail view, and the buttons for what can happen next."""

    def __init__(
        self,
        escalation: EscalationService,
        complaints: ComplaintService,
        reference: ReferenceService,
        printing: PrintService,
        bus: ChangeBus,
        parent: QWidget | None = None,
        *,
        prints_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.escalation, self.complaints = escalation, complaints
        self.reference, self.printing, self.bus = reference, printing, bus
        self.prints_dir = prints_dir or _prints_dir_of(escalation)
        self.selected: tuple[str, int] | None = None
        self.sheets = read_only_table(
            [
                self.tr("编号"),
                self.tr("日期"),
                self.tr("事由"),
                self.tr("关联投诉"),
                self.tr("当前级别"),
                self.tr("状态"),
            ],
            stretch=2,
        )
        self.notices = read_only_table(
            [
                self.tr("编号"),
                self.tr("日期"),
                self.tr("接收部门"),
                self.tr("内容"),
                self.tr("来源"),
                self.tr("完成/验收"),
            ],
            stretch=3,
        )
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.action_buttons: dict[str, QPushButton] = {}
        self._lay_out()
        self.sheets.itemSelectionChanged.connect(lambda: self._selected(SHEET))
        self.notices.itemSelectionChanged.connect(lambda: self._selected(NOTICE))
        bus.changed.connect(self._on_changed)
        self.reload()

    # ----- building
    def _lay_out(self) -> None:
        sheet_buttons = [
            ("sign", self.tr("签署意见"), self.sign_level),
            ("fix_dept", self.tr("确定责任部门"), self.fix_department),
            ("issue", self.tr("签发通知单"), self.issue_from_sheet),
            ("complete", self.tr("办结"), self.complete_sheet),
            ("print_sheet", self.tr("打印"), self.print_selected),
            ("void_sheet", self.tr("作废"), self.void_selected),
        ]
        notice_buttons = [
            ("new_notice", self.tr("新通知单（日常检查）"), self.new_notice),
            ("sign_notice", self.tr("签收"), self.sign_notice),
            ("complete_notice", self.tr("完成"), self.complete_notice),
            ("accept_notice", self.tr("验收"), self.accept_notice),
            ("print_notice", self.tr("打印"), self.print_selected),
            ("void_notice", self.tr("作废"), self.void_selected),
        ]
        lists = QSplitter(Qt.Orientation.Vertical)
        lists.addWidget(self._group(self.tr("工作传签单"), self.sheets, sheet_buttons))
        lists.addWidget(self._group(self.tr("工作安排通知单"), self.notices, notice_buttons))
        split = QSplitter()
        split.addWidget(lists)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([720, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(split)

    def _group(
        self, title: str, table: QTableWidget, buttons: list[tuple[str, str, Callable[[], None]]]
    ) -> QGroupBox:
        box = QGroupBox(title)
        row = QHBoxLayout()
        for key, text, slot in buttons:
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.action_buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addWidget(table)
        return box

    # ----- loading
    def _on_changed(self, kind: str) -> None:
        if kind in ("escalation", "reference"):
            self.reload()

    def reload(self) -> None:
        """Refill both lists, keeping the selected record selected."""
        keep = self.selected
        self._fill(self.sheets, [_sheet_row(r) for r in self.escalation.sheet_summaries()])
        self._fill(self.notices, [_notice_row(r) for r in self.escalation.notice_summaries()])
        self.selected = None
        if keep is not None:
            self.select(*keep)
        self._show()

    def _fill(self, table: QTableWidget, rows: list[tuple[int, list[str], bool]]) -> None:
        table.blockSignals(True)
        table.clearSelection()
        table.setRowCount(len(rows))
        for r, (record_id, cells, voided) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, record_id)
                item.setToolTip(text)
                if voided:
                    item.setForeground(VOIDED_COLOR)
                table.setItem(r, c, item)
        table.blockSignals(False)

    def select(self, kind: str, record_id: int) -> None:
        """Select a sheet or notice by id (from a link elsewhere, or after a reload)."""
        table = self.sheets if kind == SHEET else self.notices
        for r in range(table.rowCount()):
            if _id_at(table, r) == record_id:
                table.selectRow(r)
                return

    def _selected(self, kind: str) -> None:
        table, other = (self.sheets, self.notices) if kind == SHEET else (self.notices, self.sheets)
        rows = table.selectionModel().selectedRows()
        record_id = _id_at(table, rows[0].row()) if rows else None
        if record_id is not None:
            other.blockSignals(True)
            other.clearSelection()
            other.blockSignals(False)
            self.selected = (kind, record_id)
        elif self.selected and self.selected[0] == kind:
            self.selected = None
        self._show()

    def current(self) -> Any:
        """The selected TransferSheet or WorkNotice, fresh from the service (or None)."""
        if self.selected is None:
            return None
        kind, record_id = self.selected
        if kind == SHEET:
            return self.escalation.sheet(record_id)
        return self.escalation.notice(record_id)

    def _show(self) -> None:
        record = self.current()
        kind = self.selected[0] if self.selected else ""
        if record is None:
            hint = self.tr("选择一张传签单或通知单查看详情。")
            self.detail.setHtml(f"<p style='color:#777'>{hint}</p>")
        else:
            self.detail.setHtml(sheet_html(record) if kind == SHEET else notice_html(record))
        sheet = record if kind == SHEET else None
        notice = record if kind == NOTICE else None
        steps = {s.value for s in sheet_steps(sheet)} if sheet is not None else set()
        steps |= {s.value for s in notice_steps(notice)} if notice is not None else set()
        steps.add("new_notice")
        if sheet is not None and sheet.void is None:
            steps |= {"print_sheet", "void_sheet"}
        if notice is not None and notice.void is None:
            steps |= {"print_notice", "void_notice"}
        for key, button in self.action_buttons.items():
            button.setVisible(self.permitted(key))
            button.setEnabled(key in steps and self.permitted(key))

    def permitted(self, key: str) -> bool:
        """The user holds what the button asks for (otherwise it is hidden)."""
        return self.escalation.session.can(BUTTON_PERMISSIONS.get(key, Permission.ESCALATE))

    # ----- actions: each opens its dialog; the dialog makes the service call
    def sign_level(self) -> None:
        self._run(
            lambda r: sheets.SignLevelDialog(self.escalation, r, self, reference=self.reference)
        )

    def fix_department(self) -> None:
        self._run(lambda r: sheets.FixDepartmentDialog(self.escalation, self.reference, r, self))

    def complete_sheet(self) -> None:
        self._run(lambda r: sheets.CompleteSheetDialog(self.escalation, self.reference, r, self))

    def issue_from_sheet(self) -> None:
        self._run(
            lambda r: notices.WorkNoticeDialog(self.escalation, self.reference, r, self),
            select_result=NOTICE,
        )

    def new_notice(self) -> None:
        self._run(
            lambda _r: notices.WorkNoticeDialog(self.escalation, self.reference, None, self),
            need_record=False,
            select_result=NOTICE,
        )

    def sign_notice(self) -> None:
        self._run(
            lambda r: notices.SignNoticeDialog(self.escalation, r, self, reference=self.reference)
        )

    def complete_notice(self) -> None:
        self._run(lambda r: notices.CompleteNoticeDialog(self.escalation, r, self))

    def accept_notice(self) -> None:
        self._run(
            lambda r: notices.AcceptNoticeDialog(self.escalation, r, self, reference=self.reference)
        )

    def void_selected(self) -> None:
        """作废 the selected sheet or notice (it stays listed, as 已作废)."""
        if self.selected is None:
            return
        if self.selected[0] == SHEET:
            void, lines, kind = self.escalation.void_sheet, sheet_lines, self.tr("工作传签单")
        else:
            void, lines, kind = self.escalation.void_notice, notice_lines, self.tr("工作安排通知单")
        self._run(
            lambda r: VoidRecordDialog(void, r, lines(r), self, kind=kind, now=self.escalation.now)
        )

    def _run(
        self, make: Callable[[Any], QDialog], *, need_record: bool = True, select_result: str = ""
    ) -> None:
        record = self.current()
        if need_record and record is None:
            return
        dialog = make(record)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        saved = getattr(dialog, "saved", None)
        if select_result and saved is not None and saved.id is not None:
            self.selected = (select_result, saved.id)
        self.bus.changed.emit("escalation")
        self.bus.changed.emit("complaints")

    def print_selected(self) -> None:
        """打印: the selected form as PDF under the data folder's prints, then open it."""
        record = self.current()
        if record is None:
            return
        kind = self.selected[0] if self.selected else ""
        try:
            pdf = (
                self.printing.transfer_pdf(record.no)
                if kind == SHEET
                else self.printing.notice_pdf(record.no)
            )
            path = self.prints_dir / f"{record.no}.pdf"
            try:
                path = self.printing.save(pdf, path)
            except PermissionError:  # last print still open in a PDF viewer (Windows)
                stamp = self.complaints.now().strftime("%Y%m%d-%H%M%S")
                path = self.printing.save(pdf, path.with_name(f"{record.no}-{stamp}.pdf"))
        except Exception as e:  # the disk, a locked file: say so, nothing else is lost
            QMessageBox.critical(self, self.tr("打印失败"), str(e))
            return
        open_pdf(path)


def _prints_dir_of(escalation: EscalationService) -> Path:
    """The data folder's prints/ (the database lives in the data folder's root)."""
    db_path = getattr(escalation.database, "path", None)
    return DataDir(Path(db_path).parent if db_path else None).prints


def _id_at(table: QTableWidget, row: int) -> int | None:
    item = table.item(row, 0)
    return None if item is None else item.data(Qt.ItemDataRole.UserRole)


def _tr(text: str) -> str:
    return QCoreApplication.translate("EscalationTab", text)


def _day(value: object) -> str:
    return str(value or "")[:10]


def _sheet_row(r: dict[str, Any]) -> tuple[int, list[str], bool]:
    state = (
        _tr("已作废")
        if r.get("voided_at")
        else _tr("已办结")
        if r.get("completed_on")
        else _tr("签署中")
        if r.get("last_level")
        else _tr("待签署")
    )
    return (
        r["id"],
        [
            r["no"],
            _day(r["raised_on"]),
            r["subject"] or "",
            r.get("complaint_no") or "",
            r.get("last_level") or "—",
            state,
        ],
        bool(r.get("voided_at")),
    )


def _notice_row(r: dict[str, Any]) -> tuple[int, list[str], bool]:
    source = (
        _tr("传签单 %1").replace("%1", r["transfer_no"]) if r.get("transfer_no") else r["source"]
    )
    state = (
        _tr("已作废")
        if r.get("voided_at")
        else _tr("已验收")
        if r.get("accepted_on")
        else _tr("已完成")
        if r.get("completed_at")
        else _tr("未完成")
    )
    content = " ".join(str(r.get("content") or "").split())
    cells = [r["no"], _day(r["issued_on"]), r["to_dept"] or "", content, source, state]
    return r["id"], cells, bool(r.get("voided_at"))
