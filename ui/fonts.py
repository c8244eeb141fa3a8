"""The shipped CJK font, registered at start-up so Chinese renders on any PC."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.paths import FONT_FAMILY, FONT_FILE, resource_path


def install_app_font(app: QApplication, point_size: int = 10) -> str:
    """Register resources/fonts' TrueType font and make it the application font."""
    font_id = QFontDatabase.addApplicationFont(str(resource_path(FONT_FILE)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    family = families[0] if families else FONT_FAMILY
    font = QFont(family, point_size)
    app.setFont(font)
    return family
