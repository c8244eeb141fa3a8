"""从备份恢复: the backups in the data folder's backup folder and the second folder, newest
first; 恢复所选备份 checks the chosen one, says what it holds and that the current database is
kept aside, and hands it to the application (which closes the database, restores, and asks
everyone to sign in again)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout

from app.services.backups import BackupError, BackupInfo
from app.services.progress import JobCancelled
from ui import desktop
from ui.jobs import run_job
from ui.tabs.reference_pages import left_aligned
from ui.tabs.system.boxes import ask
from ui.widgets.tables import fill_row, read_only_table

SUMMARY = 0


class RestoreBox(QGroupBox):
    restore_requested = Signal(object)  # the backup's Path

    def __init__(self, backups, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("从备份恢复"))
        self.backups = backups
        self.found: list[BackupInfo] = []
        self.table = read_only_table(
            [self.tr("备份（时间、类型、记录数、大小）"), self.tr("所在文件夹")], stretch=SUMMARY
        )
        self.table.setMinimumHeight(180)
        self.refresh_button = QPushButton(self.tr("刷新列表"))
        self.restore_button = QPushButton(self.tr("恢复所选备份…"))
        self.refresh_button.clicked.connect(self.reload)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.table.doubleClicked.connect(self.restore_selected)
        hint = QLabel(
            self.tr(
                "用所选备份替换当前的数据库。当前的数据库文件会先原样另存到备份文件夹（不删除），"
                "需要时还能再恢复回来。恢复时程序关闭数据库，完成后请重新登录。"
            ),
            objectName="pageHint",
            wordWrap=True,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(left_aligned(self.restore_button, self.refresh_button))
        self.reload()

    def reload(self) -> None:
        self.found = self.backups.backups()
        own = self.backups.folder
        self.table.setRowCount(len(self.found))
        for row, info in enumerate(self.found):
            where = (
                self.tr("本机备份文件夹")
                if info.path.parent == own
                else self.tr("第二备份位置 {folder}").format(folder=info.path.parent)
            )
            fill_row(self.table, row, [info.summary(), where])
            self.table.item(row, SUMMARY).setToolTip(str(info.path))
        self._update_button()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.found[rows[0].row()] if rows else None

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def restore_selected(self) -> bool:
        """Check the chosen backup in full, ask, then ask the application to restore it."""
        info = self.selected()
        if info is None:
            return False
        path = info.path
        try:
            info = run_job(
                self,
                self.tr("检查备份"),
                self.tr("正在检查备份 {name} 是否完好（数据多时约需半分钟）…").format(
                    name=path.name
                ),
                lambda progress: self.backups.verify(path, progress),
                off_thread=True,  # it reads only the backup file, through its own connection
                counts=False,
            )
        except JobCancelled:
            return False
        except BackupError as e:
            desktop.show_error(self, self.tr("这份备份不能用来恢复：{error}").format(error=e))
            return False
        if not self._confirm(info):
            return False
        self.restore_requested.emit(info.path)
        return True

    def _confirm(self, info: BackupInfo) -> bool:
        text = self.tr(
            "用 {when} 的备份恢复数据库吗？\n\n"
            "备份内容：\n{summary}\n\n"
            "当前的数据库文件会先原样另存到备份文件夹（不删除）。"
            "此备份之后录入的内容不在恢复后的数据库中。\n"
            "恢复时程序会关闭数据库，完成后需要重新登录。"
        ).format(when=f"{info.taken_at:%Y年%m月%d日 %H:%M}", summary=info.summary())
        if info.notes:  # e.g. the backup's audit trail does not verify
            text += "\n\n" + "\n".join(info.notes)
        return ask(self, self.tr("恢复所选备份"), text, self.tr("恢复"))
