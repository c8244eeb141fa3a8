"""系统设置: the office-wide settings (第二备份位置, 保存期限 and the anonymisation run) for
holders of SETTINGS, and 从备份恢复 for holders of RESTORE (both: the administrator).

The restore itself is carried out by the application, which closes the database first:
this page only names the backup, through `restore_requested`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from app.domain.access import Permission
from ui.tabs.reference_pages import page_title
from ui.tabs.system.restore import RestoreBox
from ui.tabs.system.retention import RetentionBox
from ui.tabs.system.second_folder import SecondFolderBox


class SystemPage(QScrollArea):
    status_message = Signal(str)
    restore_requested = Signal(object)  # the backup's Path

    def __init__(self, settings, retention, backups, bus, parent=None) -> None:
        super().__init__(parent)
        session = settings.session
        self.second_folder: SecondFolderBox | None = None
        self.retention: RetentionBox | None = None
        self.restore: RestoreBox | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(
            page_title(
                self.tr("系统设置"),
                self.tr("这里的设置保存在数据库中，对本数据文件夹的所有用户生效。"),
            )
        )
        if session.can(Permission.SETTINGS):
            self.second_folder = SecondFolderBox(settings)
            self.retention = RetentionBox(settings, retention, bus)
            layout.addWidget(self.second_folder)
            layout.addWidget(self.retention)
            for box in (self.second_folder, self.retention):
                box.status_message.connect(self.status_message)
        if session.can(Permission.RESTORE):
            self.restore = RestoreBox(backups)
            self.restore.restore_requested.connect(self.restore_requested)
            layout.addWidget(self.restore, 1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
