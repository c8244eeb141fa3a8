"""系统设置: the office-wide settings an administrator changes in the window.

- 第二备份位置: a second folder (a USB drive, another disk) that gets a verified copy of every
  backup. Changing it also changes where the running BackupService copies to.
- 保存期限: how many years personal details in closed records are kept before the retention
  job anonymises them; the office procedure (§8) requires at least two years.

Both are rows of the database's settings table, so they travel with the data (and a backup).
"""

from __future__ import annotations

import os
from pathlib import Path

from app.db.connection import Database
from app.domain.access import Permission
from app.domain.errors import FieldError, ValidationError
from app.domain.retention import DEFAULT_YEARS, MAX_YEARS, MIN_YEARS, YEARS_SETTING, parse_years
from app.services.backups import BackupService
from app.services.session import Session, requires
from app.store.reference import ReferenceStore

SECOND_BACKUP_FOLDER = "backup_second_folder"


def stored_second_folder(store: ReferenceStore) -> Path | None:
    """The office's second backup folder as stored, when one is set."""
    folder = store.setting(SECOND_BACKUP_FOLDER)
    return Path(folder) if folder else None


class SystemSettings:
    def __init__(
        self, database: Database, store: ReferenceStore, backups: BackupService, *, session: Session
    ) -> None:
        self.session = session
        self.database = database
        self.store = store
        self.backups = backups

    # ----- 第二备份位置
    @requires(Permission.VIEW)
    def second_backup_folder(self) -> Path | None:
        return stored_second_folder(self.store)

    @requires(Permission.VIEW)
    def second_folder_reachable(self) -> bool:
        """The folder is set and can be reached now (the USB drive is plugged in)."""
        folder = stored_second_folder(self.store)
        return folder is not None and folder.is_dir()

    @requires(Permission.SETTINGS)
    def set_second_backup_folder(self, folder: Path | None) -> None:
        """Set (or, with None, clear) the second folder; the next backup copies there."""
        if folder is not None:
            folder = Path(folder)
            problem = self._second_folder_problem(folder)
            if problem:
                raise ValidationError([FieldError("second_backup_folder", problem)])
        with self.database.transaction():
            self.store.set_setting(SECOND_BACKUP_FOLDER, str(folder) if folder else "")
        self.backups.second_folder = folder

    def _second_folder_problem(self, folder: Path) -> str:
        if not folder.is_absolute():
            return "请选择一个完整的文件夹位置（如 E:\\备份）"
        if not folder.is_dir():
            return f"找不到文件夹 {folder}（U盘是否已插好？）"
        if not os.access(folder, os.W_OK):
            return f"文件夹 {folder} 不能写入，请换一个"
        if _inside(folder, self.backups.data_dir.root):
            return "第二备份位置不能在数据文件夹里面：请选U盘或另一块硬盘上的文件夹"
        return ""

    # ----- 保存期限
    @requires(Permission.VIEW)
    def retention_years(self) -> int:
        """Years finished records keep their personal details (2 unless set; a stored value
        the retention job would refuse also shows as 2, to be saved anew)."""
        try:
            return parse_years(self.store.setting(YEARS_SETTING))
        except ValueError:
            return DEFAULT_YEARS

    @requires(Permission.SETTINGS)
    def set_retention_years(self, years: int) -> None:
        if years < MIN_YEARS:
            message = f"保存期限至少 {MIN_YEARS} 年（管理规程第 8 条要求保存 2 年）"
            raise ValidationError([FieldError("retention_years", message)])
        if years > MAX_YEARS:
            message = f"保存期限最多 {MAX_YEARS} 年"
            raise ValidationError([FieldError("retention_years", message)])
        with self.database.transaction():
            self.store.set_setting(YEARS_SETTING, str(years))


def _inside(folder: Path, root: Path) -> bool:
    try:
        return folder.resolve().is_relative_to(root.resolve())
    except OSError:
        return False
