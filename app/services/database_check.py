"""`estate-office check` (检查): the database file, its audit trail, and the backups.

Works on an open or a closed (even a corrupt) database: everything is read through
connections of its own, read-only.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.db.backup_files import (
    BackupError,
    BackupInfo,
    format_counts,
    integrity_problems,
    open_read_only,
    record_counts,
    scan_backups,
)
from app.db.migrations import SCHEMA_VERSION
from app.paths import DataDir
from app.services.restore import verify_for_restore
from app.services.trail_check import trail_report

STALE_AFTER = timedelta(days=2)


@dataclass(frozen=True)
class CheckReport:
    """What `estate-office check` prints; `ok` is False when anything is wrong."""

    schema_version: int
    counts: dict[str, int]
    facts: tuple[str, ...]
    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    newest_backup: BackupInfo | None

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        verdict = "检查通过" if self.ok else f"发现 {len(self.problems)} 个问题"
        return [
            *self.facts,
            *(f"问题：{p}" for p in self.problems),
            *(f"提醒：{w}" for w in self.warnings),
            verdict,
        ]


@dataclass
class _Findings:
    facts: list[str]
    problems: list[str]
    warnings: list[str]


def check_database(
    data_dir: DataDir, now: datetime, *, second_folder: Path | None = None
) -> CheckReport:
    """Integrity and foreign keys of the database, its schema version and counts, its audit
    trail (the chain, the triggers, every row against its latest entry), and a full check of
    the newest backup."""
    found = _Findings([], [], [])
    version, counts = _check_live(data_dir.database, found)
    newest = _check_backups(data_dir.backups, now, found)
    if second_folder is not None:
        if second_folder.is_dir():
            scan = scan_backups(second_folder)
            found.facts.append(f"第二备份位置 {second_folder}：{len(scan.backups)} 份备份")
            found.problems += [f"备份无法读取：{path}（{why}）" for path, why in scan.unreadable]
        else:
            found.warnings.append(f"第二备份位置 {second_folder} 不可用（U盘未插入？）")
    return CheckReport(
        version,
        counts,
        tuple(found.facts),
        tuple(found.problems),
        tuple(found.warnings),
        newest,
    )


def _check_live(database: Path, found: _Findings) -> tuple[int, dict[str, int]]:
    if not database.exists():
        found.problems.append(f"数据库文件不存在：{database}")
        return 0, {}
    try:
        with closing(open_read_only(database)) as conn:
            integrity = integrity_problems(conn)
            broken_links = len(conn.execute("PRAGMA foreign_key_check").fetchall())
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            counts = record_counts(conn)
            _file_findings(database, integrity, broken_links, version, counts, found)
            if not integrity and version <= SCHEMA_VERSION:  # else it cannot be judged
                _check_trail(conn, version, found)
    except sqlite3.Error as e:
        found.problems.append(f"数据库无法打开或已损坏：{e}")
        return 0, {}
    return version, counts


def _file_findings(
    database: Path,
    integrity: list[str],
    broken_links: int,
    version: int,
    counts: dict[str, int],
    found: _Findings,
) -> None:
    facts, problems = found.facts, found.problems
    facts.append(f"数据库：{database}（{database.stat().st_size / 1_048_576:.1f} MB）")
    if integrity:
        problems.append("完整性检查未通过：" + "；".join(integrity[:5]))
    else:
        facts.append("完整性检查：正常")
    if broken_links:
        problems.append(f"外键检查：{broken_links} 处记录引用不一致")
    if version > SCHEMA_VERSION:
        problems.append(f"数据库版本 {version} 比本程序（{SCHEMA_VERSION}）新")
    elif version < SCHEMA_VERSION:
        found.warnings.append(f"数据库版本 {version}，打开程序时会升级到 {SCHEMA_VERSION}")
    facts.append(f"数据库版本：{version}")
    facts.append(f"记录数：{format_counts(counts)}")


def _check_trail(conn: sqlite3.Connection, version: int, found: _Findings) -> None:
    """The audit trail's lines: one fact when it verifies, one problem per finding if not."""
    try:
        report = trail_report(conn)
    except sqlite3.Error as e:
        found.problems.append(f"审计日志无法检查：{e}")
        return
    if report is None:
        found.facts.append(f"审计日志：数据库版本 {version} 尚无审计日志，升级后开始记录")
        return
    if report.ok:
        found.facts += report.lines()
        return
    found.facts.append(
        f"审计日志：共 {report.entries} 条记录，发现问题（可能有人在程序之外改动了数据库）"
    )
    found.problems += [f"审计日志：{p}" for p in report.problems]
    if report.more:
        found.problems.append(f"审计日志：另有 {report.more} 处同类问题未列出")


def _check_backups(folder: Path, now: datetime, found: _Findings) -> BackupInfo | None:
    scan = scan_backups(folder)
    found.problems += [f"备份无法读取：{path}（{why}）" for path, why in scan.unreadable]
    if not scan.backups:
        found.problems.append(f"{folder} 中没有任何备份")
        return None
    newest = scan.backups[0]
    try:
        verify_for_restore(newest.path)
    except BackupError as e:
        found.problems.append(f"最新的备份校验失败：{e}")
    else:
        found.facts.append(f"最新备份（校验正常）：{newest.summary()}")
    found.facts.append(f"备份文件夹 {folder}：{len(scan.backups)} 份备份")
    if now - newest.taken_at > STALE_AFTER:
        found.warnings.append(f"最近一次备份是 {(now - newest.taken_at).days} 天前")
    return newest
