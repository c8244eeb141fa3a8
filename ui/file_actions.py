"""Imports and exports through file dialogs, shared by the menu and the 基础资料 tab.

An import is all or nothing (app.services.importing): when it fails, the report naming every
bad row is shown in a dialog with a read-only text box, and nothing has been written.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services import StorageError
from app.services.importing import ImportFailedError
from ui import desktop

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


def choose_export_file(parent: QWidget | None, title: str, suggested: Path) -> Path | None:
    """The file to write; without a known suffix it becomes .xlsx (or .csv if that was picked)."""
    name, chosen = QFileDialog.getSaveFileName(parent, title, str(suggested), table_filters())
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (XLSX, CSV):
        path = path.with_name(
            path.name + (CSV if "*.csv)" in chosen and "xlsx" not in chosen else XLSX)
        )
    return path


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
    """Import `path` with `importer` (exchange or households); the report, or None on failure."""
    try:
        report = importer.import_file(path)
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
