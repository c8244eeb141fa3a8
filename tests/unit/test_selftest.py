"""`estate-office --selftest`: every step passes on a good installation, a broken one fails at
the step that is broken, and neither touches the user's real data folder."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli, selftest
from app.services.printing import PrintService

STEPS = [
    "随程序安装的文件",
    "打开临时数据库",
    "创建管理员并登录",
    "登记投诉",
    "答复期限按法定节假日计算",
    "打印顾客投诉处理记录表 (PDF)",
    "导出投诉登记表 (XLSX)",
    "备份数据库",
    "检查数据库、审计日志和备份",
]
WINDOW_STEP = "打开主窗口（不显示）"


@pytest.fixture
def real_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the app would keep the user's data; the self-test must never create it."""
    folder = tmp_path / "user-data"
    monkeypatch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(folder))
    return folder


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(root))
    return root


def run(open_window: selftest.OpenWindow | None = None) -> tuple[bool, list[str]]:
    out = io.StringIO()
    passed = selftest.run(open_window, out)
    return passed, out.getvalue().splitlines()


def test_every_step_passes_and_is_reported(real_data_folder: Path, temp_root: Path) -> None:
    passed, lines = run()
    assert passed
    assert lines[0] == "物业管理处办公系统 自检"
    assert [line.split("：")[0] for line in lines[1:-1]] == [f"✓ {step}" for step in STEPS]
    assert lines[-1] == "自检通过"
    assert any("编号 TS2026-00001" in line for line in lines)
    assert any("期限 2026-10-09 23:59" in line for line in lines)  # after the 国庆 holiday
    assert any("已嵌入字体 WenQuanYi Micro Hei" in line for line in lines)
    assert not real_data_folder.exists()
    assert list(temp_root.iterdir()) == []  # its temporary folder is gone afterwards


def test_a_missing_resource_fails_the_first_step_and_stops(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(selftest, "resource_path", lambda name: tmp_path / "gone" / name)
    passed, lines = run()
    assert not passed
    assert lines[1].startswith("✗ 随程序安装的文件：StepFailed: 缺少 ")
    assert "wqy-microhei.ttf" in lines[1]
    assert lines[2:] == ["自检失败"]  # nothing after the broken step is attempted


def test_a_pdf_without_the_font_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PrintService, "complaint_pdf", lambda self, c: b"%PDF-1.4\n%%EOF\n")
    passed, lines = run()
    assert not passed
    assert lines[-2].startswith("✗ 打印顾客投诉处理记录表 (PDF)：StepFailed: ")
    assert "没有嵌入 WenQuanYi Micro Hei 字体" in lines[-2]


def test_a_window_that_does_not_draw_fails() -> None:
    class Blank:
        def grab(self) -> object:
            return type("P", (), {"isNull": lambda s: True, "width": lambda s: 0})()

        def fontInfo(self) -> object:  # noqa: N802 (Qt's name)
            return type("F", (), {"family": lambda s: "WenQuanYi Micro Hei"})()

        def windowTitle(self) -> str:  # noqa: N802 (Qt's name)
            return ""

        def close(self) -> bool:
            return True

    passed, lines = run(lambda services: Blank())  # type: ignore[arg-type,return-value]
    assert not passed
    assert lines[-2] == f"✗ {WINDOW_STEP}：StepFailed: 主窗口没有画出来"


def test_the_command_opens_the_real_main_window(
    qapp: object, real_data_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--selftest"]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].startswith(f"✓ {WINDOW_STEP}：“物业管理处办公系统")
    assert "字体 WenQuanYi Micro Hei" in lines[-2]
    assert lines[-1] == "自检通过"
    assert not real_data_folder.exists()


def test_python_dash_m_app_selftest_exits_zero(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-m", "app", "--selftest"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        env=os.environ | {"HOME": str(home), "XDG_DATA_HOME": str(home / "data")},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert sum(line.startswith("✓ ") for line in lines) == len(STEPS) + 1
    assert lines[-1] == "自检通过"
    assert not home.exists()  # nothing written under the user's home, data folder included
