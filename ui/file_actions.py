"""Imports and exports through file dialogs, shared by the menu and the 基础资料 tab.

An import is all or nothing (app.services.importing): when it fails, the report naming every
bad row is shown in a dialog with a read-only text box, and nothing has been written.

Both run behind a progress dialog with 取消 (ui/jobs.py): an export on a worker thread, an import
on the UI thread (the database takes writes only there), which stays responsive between rows.
A cancelled import writes nothing; a cancelled export leaves no file.

An export hides the middle of each phone number (138****5678). A user who may see whole numbers
(管理处主任/经理) gets a save dialog with the box 导出完整电话（记入审计日志）, unticked; the
message after the export says which it was.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.access import Permission
from app.services import StorageError
from app.services.importing import ImportFailedError
from app.services.progress import JobCancelled
from ui import desktop, jobs

XLSX, CSV = ".xlsx", ".csv"


def _tr(text: str) -> str:
    return QCoreApplication.translate("file_actions", text)


def table_filters() -> str:
    return ";;".join(
        (_tr("表格文件 (*.xlsx *.csv)"), _tr("Excel 工作簿 (*.xlsx)"), _tr("CSV 文件 (*.csv)"))
    )


def choose_import_file(parent: QWidget | None, title: str) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, title, "", table_filters())
    return Path(name) if name else None


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    whole_phones: bool = False


def choose_export_file(
    parent: QWidget | None, title: str, suggested: Path, *, offer_whole_phones: bool = False
) -> ExportChoice | None:
    """The file to write; without a known suffix it becomes .xlsx (or .csv if that was picked).

    Only with `offer_whole_phones` is the 导出完整电话 box shown (Qt's own save dialog, since a
    native one cannot carry it); everyone else gets the system's dialog and masked phones."""
    if not offer_whole_phones:
        name, chosen = QFileDialog.getSaveFileName(parent, title, str(suggested), table_filters())
        return ExportChoice(_with_suffix(name, chosen)) if name else None
    dialog = ExportFileDialog(parent, title, suggested)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return ExportChoice(
        _with_suffix(dialog.selectedFiles()[0], dialog.selectedNameFilter()),
        dialog.whole_phones.isChecked(),
    )


def _with_suffix(name: str, chosen_filter: str) -> Path:
    path = Path(name)
    if path.suffix.lower() not in (XLSX, CSV):
        csv = "*.csv)" in chosen_filter and "xlsx" not in chosen_filter
        path = path.with_name(path.name + (CSV if csv else XLSX))
    return path


class ExportFileDialog(QFileDialog):
    """导出 for a user who may take whole phone numbers away: the save dialog with the box
    导出完整电话（记入审计日志）, unticked."""

    def __init__(self, parent: QWidget | None, title: str, suggested: Path) -> None:
        super().__init__(parent, title, str(suggested.parent), table_filters())
        self.setObjectName("exportFileDialog")
        self.setOption(QFileDialog.Option.DontUseNativeDialog)
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.selectFile(suggested.name)
        for label, text in (
            (QFileDialog.DialogLabel.LookIn, _tr("位置：")),
            (QFileDialog.DialogLabel.FileName, _tr("文件名：")),
            (QFileDialog.DialogLabel.FileType, _tr("文件类型：")),
            (QFileDialog.DialogLabel.Accept, _tr("导出")),
            (QFileDialog.DialogLabel.Reject, _tr("取消")),
        ):
            self.setLabelText(label, text)
        self.whole_phones = QCheckBox(_tr("导出完整电话（记入审计日志）"), objectName="wholePhones")
        hint = QLabel(
            _tr("不勾选时，电话号码隐去中间数字，如 138****5678"), objectName="wholePhonesHint"
        )
        grid = self.layout()
        row = grid.rowCount()
        grid.addWidget(self.whole_phones, row, 0, 1, 2)
        grid.addWidget(hint, row + 1, 0, 1, -1)
        sidebar = self.findChild(QSplitter)
        if sidebar is not None:  # room for 计算机 and the drive names
            sidebar.setSizes([130, 600])


def run_export(parent: QWidget | None, exchange, title: str, suggested: Path) -> str | None:
    """Choose a file and export `exchange`'s register to it (complaints or repairs).

    Returns the message to show (how many, where, and whether the phones are masked), or None
    when nothing was written (cancelled, or the error has been shown)."""
    with suppress(OSError):  # open the dialog in the exports folder, not the program's
        suggested.parent.mkdir(parents=True, exist_ok=True)
    may_unmask = exchange.session.can(Permission.UNMASK)
    choice = choose_export_file(parent, title, suggested, offer_whole_phones=may_unmask)
    if choice is None:
        return None
    # an export of whole numbers notes itself in the audit trail: a write, so on this thread
    off_thread = not choice.whole_phones
    try:
        choice.path.parent.mkdir(parents=True, exist_ok=True)
        count = jobs.run_job(
            parent,
            title,
            _tr("正在导出到 {name}").format(name=choice.path.name),
            lambda progress: exchange.export_file(
                choice.path, unmasked=choice.whole_phones, progress=progress
            ),
            off_thread=off_thread,
        )
    except JobCancelled:
        desktop.show_message(parent, title, _tr("已取消导出，没有写入文件。"))
        return None
    except (OSError, ValueError, StorageError) as e:
        desktop.show_error(parent, _tr("导出失败：{error}").format(error=e))
        return None
    if choice.whole_phones:
        done = _tr("已导出 {count} 条记录到 {path}（含完整电话号码，已记入审计日志）")
    else:
        done = _tr("已导出 {count} 条记录到 {path}（电话号码已隐去中间数字）")
    return done.format(count=count, path=choice.path)


class ImportReportDialog(QDialog):
    """导入失败: what was wrong, row by row, in a box the clerk can read, copy and print."""

    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入失败"))
        self.setObjectName("importReport")
        self.resize(640, 420)
        first, _sep, rest = summary.partition("\n")
        heading = QLabel(first, wordWrap=True, objectName="errorHeading")
        self.text = QPlainTextEdit(rest or first, readOnly=True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        hint = QLabel(self.tr("请在表格中改正以上各行后重新导入。"), wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)


def run_import(parent: QWidget | None, importer, path: Path):
    """Import `path` with `importer` (exchange or households); the report, or None on failure
    or when cancelled."""
    try:
        report = jobs.run_job(
            parent,
            _tr("导入"),
            _tr("正在导入 {name}：逐行检查，无误则先备份数据库，再全部写入").format(name=path.name),
            lambda progress: importer.import_file(path, progress=progress),
            off_thread=False,
            counts=False,  # rows checked, then records written: the bar only
        )
    except JobCancelled:
        desktop.show_message(parent, _tr("导入"), _tr("已取消导入，没有写入任何记录。"))
        return None
    except ImportFailedError as e:
        dialog = ImportReportDialog(e.report.summary(), parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return None
    except StorageError as e:  # a full disk or an I/O error: nothing was written
        desktop.show_error(parent, str(e))
        return None
    except OSError as e:
        desktop.show_error(parent, _tr("无法读取文件：{error}").format(error=e))
        return None
    desktop.show_message(parent, _tr("导入完成"), report.summary())
    return report
