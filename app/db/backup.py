"""Copies of the live database through SQLite's backup API (never a file copy)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """Write a consistent copy of the open database to `target` (a new file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    dest = sqlite3.connect(str(partial))
    try:
        conn.backup(dest)
        ok = dest.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        dest.close()
    if ok != "ok":
        partial.unlink(missing_ok=True)
        raise OSError(f"备份文件校验失败：{ok}")
    partial.replace(target)
    return target


def backup_name(reason: str, now: datetime) -> str:
    return f"estate-{now:%Y%m%d-%H%M%S}-{reason}.db"
