"""`estate-office --selftest`: prove an installed copy works, on a throw-away data folder.

Each step prints one line, ✓ or ✗ and what it found; the run stops at the first failure and
returns False. It writes only to a new temporary folder (deleted afterwards), never to the
user's data folder. A bundle missing a resource, a hidden import (reportlab, openpyxl, argon2,
chinese-calendar's holidays) or a Qt plug-in fails one of these steps.

The core imports no Qt: the command line passes `open_window`, which builds the real main window
(ui/application.py), and this only asks it what a user would see.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Protocol, TextIO

from app.domain.access import Role
from app.domain.complaint import Channel, Complaint, Urgency
from app.paths import FONT_FAMILY, FONT_FILE, DataDir, resource_path, shipped_data_path
from app.services import Services, open_services

ADMIN, PASSWORD = "自检管理员", "selftest-pass-2026"
RECEIVED = datetime(2026, 9, 30, 10, 0)  # the day before the National Day holiday
FIRST_WORKDAY_AFTER_HOLIDAY = date(2026, 10, 8)
SHIPPED = (FONT_FILE, "style.qss", "icons/estate-office.png")


class _Picture(Protocol):
    def isNull(self) -> bool: ...
    def width(self) -> int: ...
    def height(self) -> int: ...


class _FontInfo(Protocol):
    def family(self) -> str: ...


class Window(Protocol):
    """What the self-test asks of the main window (a QMainWindow)."""

    def grab(self) -> _Picture: ...
    def fontInfo(self) -> _FontInfo: ...
    def windowTitle(self) -> str: ...
    def close(self) -> bool: ...


OpenWindow = Callable[[Services], Window]


class StepFailed(Exception):
    """A check did not hold; the message says what was found instead."""


class SelfTest:
    """The steps, in order, sharing one temporary data folder and one set of services."""

    def __init__(self, folder: Path, open_window: OpenWindow | None) -> None:
        self.data_dir = DataDir(folder / "data")
        self.out_dir = folder / "out"
        self.open_window = open_window
        self.services: Services | None = None
        self.complaint: Complaint | None = None

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        steps = [
            ("随程序安装的文件", self.shipped_files),
            ("打开临时数据库", self.open_database),
            ("创建管理员并登录", self.sign_in),
            ("登记投诉", self.register),
            ("答复期限按法定节假日计算", self.deadline),
            ("打印顾客投诉处理记录表 (PDF)", self.print_form),
            ("导出投诉登记表 (XLSX)", self.export),
            ("备份数据库", self.backup),
            ("检查数据库、审计日志和备份", self.check),
        ]
        if self.open_window is not None:
            steps.append(("打开主窗口（不显示）", self.window))
        return steps

    @property
    def s(self) -> Services:
        if self.services is None:
            raise StepFailed("数据库没有打开")
        return self.services

    def shipped_files(self) -> str:
        files = [resource_path(name) for name in SHIPPED]
        files.append(shipped_data_path("repair_time_limits.csv"))
        missing = [str(f) for f in files if not f.is_file() or f.stat().st_size == 0]
        if missing:
            raise StepFailed("缺少 " + "、".join(missing))
        return f"{len(files)} 个文件都在（{resource_path('')}）"

    def open_database(self) -> str:
        self.services = open_services(self.data_dir)
        return str(self.data_dir.database)

    def sign_in(self) -> str:
        self.s.accounts.setup_admin(ADMIN, PASSWORD, extra_roles=frozenset(Role))
        user = self.s.accounts.sign_in(ADMIN, PASSWORD)
        return f"{user.name}（密码以 argon2id 保存）"

    def register(self) -> str:
        self.complaint = self.s.complaints.register(
            Complaint(
                received_at=RECEIVED,
                content="自检：3栋楼道灯不亮，晚上看不清台阶。",
                urgency=Urgency.NOT_URGENT,
                receiver=ADMIN,
                complainant="王女士",
                phone="13800138000",
                channel=Channel.PHONE,
            )
        )
        return f"编号 {self.complaint.no}"

    def deadline(self) -> str:
        due = self.s.complaints.deadline(self._complaint())
        if due.estimated or due.due_at.date() < FIRST_WORKDAY_AFTER_HOLIDAY:
            raise StepFailed(
                f"期限 {due.due_at:%Y-%m-%d %H:%M} 没有跳过国庆假期（节假日数据缺失？）"
            )
        return f"{RECEIVED:%m月%d日}登记，期限 {due.due_at:%Y-%m-%d %H:%M}（{due.rule}）"

    def print_form(self) -> str:
        pdf = self.s.printing.complaint_pdf(self._complaint())
        path = self.s.printing.save(pdf, self.out_dir / "顾客投诉处理记录表.pdf")
        data = path.read_bytes() if path.is_file() else b""
        if not data.startswith(b"%PDF"):
            raise StepFailed(f"{path} 不存在或不是 PDF")
        if b"/FontFile2" not in data or FONT_FAMILY.replace(" ", "").encode() not in data:
            raise StepFailed(f"{path} 没有嵌入 {FONT_FAMILY} 字体")
        return f"{len(data) / 1024:.1f} KB，已嵌入字体 {FONT_FAMILY}"

    def export(self) -> str:
        import openpyxl  # only here: the check reads the file back the way Excel would

        path = self.out_dir / "投诉登记.xlsx"
        count = self.s.exchange.export_file(path)
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            rows = book.active.iter_rows(values_only=True) if book.active else []
            values = {value for row in rows for value in row}
        finally:
            book.close()
        if count != 1 or self._complaint().no not in values:
            raise StepFailed(f"导出 {count} 条，文件中找不到编号 {self._complaint().no}")
        return f"{count} 条，{path.stat().st_size / 1024:.1f} KB"

    def backup(self) -> str:
        result = self.s.backups.backup_now()
        return f"{result.info.path.name}（{result.info.size / 1024:.0f} KB）"

    def check(self) -> str:
        report = self.s.backups.check()
        if not report.ok:
            raise StepFailed("；".join(report.problems))
        return f"检查通过，结构版本 {report.schema_version}"

    def window(self) -> str:
        assert self.open_window is not None
        window = self.open_window(self.s)
        try:
            picture = window.grab()
            family = window.fontInfo().family()
            title = window.windowTitle()
        finally:
            window.close()
        if picture.isNull() or picture.width() < 100:
            raise StepFailed("主窗口没有画出来")
        if family != FONT_FAMILY:
            raise StepFailed(f"界面字体是 {family}，不是随程序安装的 {FONT_FAMILY}")
        return f"“{title}”，{picture.width()}×{picture.height()}，字体 {family}"

    def close(self) -> None:
        if self.services is not None:
            self.services.close()
            self.services = None

    def _complaint(self) -> Complaint:
        if self.complaint is None:
            raise StepFailed("没有登记的投诉")
        return self.complaint


def run(open_window: OpenWindow | None = None, out: TextIO | None = None) -> bool:
    """Run every step, printing a line each; True when all of them passed."""
    out = out or _console()
    _headless()
    print("物业管理处办公系统 自检", file=out)
    with tempfile.TemporaryDirectory(
        prefix="estate-office-selftest-", ignore_cleanup_errors=True
    ) as folder:
        test = SelfTest(Path(folder), open_window)
        try:
            passed = _run_steps(test, out)
        finally:
            test.close()
    print("自检通过" if passed else "自检失败", file=out, flush=True)
    return passed


def _run_steps(test: SelfTest, out: TextIO) -> bool:
    for name, step in test.steps():
        try:
            detail = step()
        except Exception as e:  # any failure is the result: say which step and why
            print(f"✗ {name}：{type(e).__name__}: {e}", file=out, flush=True)
            return False
        print(f"✓ {name}：{detail}", file=out, flush=True)
    return True


def _headless() -> None:
    """Qt draws off screen when there is no display (CI, a server), so no window appears."""
    has_display = sys.platform in ("win32", "darwin") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY")
    )
    if not has_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _console() -> TextIO:
    """Standard output; a windowed Windows build has none, so the report goes to a file."""
    if sys.stdout is not None:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="replace")  # a GBK console cannot show ✓
        return sys.stdout
    report = Path(tempfile.gettempdir()) / "estate-office-selftest.txt"
    return report.open("w", encoding="utf-8")
