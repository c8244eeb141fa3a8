"""Where things live: the bundled resources, and the one folder the app writes to.

Everything the app writes goes under the data folder: `--data-dir DIR` when given, else the
platform's user data folder. Nothing is written beside the program files.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "EstateOffice"
DB_FILENAME = "estate.db"


def install_root() -> Path:
    """The folder holding resources/ and data/ (the PyInstaller bundle when frozen)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(relative: str) -> Path:
    """A file shipped under resources/ (fonts, icons, style sheet)."""
    return install_root() / "resources" / relative


def shipped_data_path(relative: str) -> Path:
    """A reference-data file shipped under data/ (not the user's database)."""
    return install_root() / "data" / relative


FONT_FILE = "fonts/wqy-microhei.ttf"
FONT_FAMILY = "WenQuanYi Micro Hei"


def default_root() -> Path:
    """The platform's user data folder: %LOCALAPPDATA%\\EstateOffice on Windows."""
    import platformdirs  # only when no --data-dir is given

    return Path(platformdirs.user_data_dir(APP_NAME, False))


class DataDir:
    """The folder the app writes to; tests and --data-dir point it elsewhere."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else default_root()

    @property
    def database(self) -> Path:
        return self.root / DB_FILENAME

    @property
    def backups(self) -> Path:
        """Verified copies of the database (migrations write theirs here too)."""
        return self.root / "backups"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def prints(self) -> Path:
        return self.root / "prints"

    def ensure(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root
