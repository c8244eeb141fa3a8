"""第二备份位置: a folder on a USB drive or another disk that gets a verified copy of every
backup. Chosen with the system's folder dialog; 清除 stops the second copy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QGroupBox, QLabel, QPushButton, QVBoxLayout

from ui.tabs.reference_pages import FieldErrors, left_aligned

FIELD = "second_backup_folder"
REACHABLE = "QLabel { color: #2e7d32; }"
UNREACHABLE = "QLabel { color: #8a4b00; }"


class SecondFolderBox(QGroupBox):
    status_message = Signal(str)

    def __init__(self, settings, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("第二备份位置"))
        self.settings = settings
        self.folder = QLabel(objectName="secondFolder")
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QLabel(objectName="secondFolderState")
        self.errors = FieldErrors()
        self.choose_button = QPushButton(self.tr("选择文件夹…"))
        self.clear_button = QPushButton(self.tr("清除"))
        self.choose_button.clicked.connect(self.choose)
        self.clear_button.clicked.connect(self.clear)
        hint = QLabel(
            self.tr(
                "每次备份后，另存一份校验过的副本到这个文件夹（如U盘或另一块硬盘），"
                "电脑损坏时也能恢复。U盘未插入时只备份到本机，并给出提醒。"
            ),
            objectName="pageHint",
            wordWrap=True,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.folder)
        layout.addWidget(self.state)
        layout.addWidget(self.errors.label_for(FIELD))
        layout.addWidget(self.errors.general)
        layout.addLayout(left_aligned(self.choose_button, self.clear_button))
        self.errors.clear()
        self.reload()

    def reload(self) -> None:
        folder = self.settings.second_backup_folder()
        self.folder.setText(
            self.tr("文件夹：{folder}").format(folder=folder)
            if folder
            else self.tr("未设置：备份只保存在本机的数据文件夹中")
        )
        self.clear_button.setEnabled(folder is not None)
        if folder is None:
            self.state.hide()
            return
        reachable = self.settings.second_folder_reachable()
        self.state.setText(
            self.tr("现在可以访问") if reachable else self.tr("现在无法访问（U盘未插入？）")
        )
        self.state.setStyleSheet(REACHABLE if reachable else UNREACHABLE)
        self.state.show()

    def choose(self) -> bool:
        current = self.settings.second_backup_folder()
        name = QFileDialog.getExistingDirectory(
            self, self.tr("选择第二备份位置"), str(current or Path.home())
        )
        if not name:
            return False
        return self._set(Path(name), self.tr("第二备份位置已设为 {folder}").format(folder=name))

    def clear(self) -> bool:
        return self._set(None, self.tr("已清除第二备份位置，备份只保存在本机"))

    def _set(self, folder: Path | None, done: str) -> bool:
        if not self.errors.attempt(lambda: self.settings.set_second_backup_folder(folder)):
            return False
        self.reload()
        self.status_message.emit(done)
        return True
