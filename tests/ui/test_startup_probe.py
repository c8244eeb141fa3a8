"""`estate-office --startup-probe [--bare]`, and what the window loads before its first paint.

The probes run as the benchmark runs them: a fresh interpreter, offscreen."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.accounts_support import PASSWORD, TESTER
from tests.ui.sample_complaints import make_register

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^startup_ms=(\d+\.\d)$")
HEAVY = ("reportlab", "openpyxl", "pyqtgraph")
LATER = (  # loaded when first used, after the first paint
    "ui.tabs.repairs",
    "ui.tabs.escalation",
    "ui.tabs.reference",
    "ui.tabs.system",
    "app.services.complaint_exchange",
    "app.services.retention",
    "app.forms.toolkit",
    "ui.dialogs.first_admin",
)


def run(*args: str, user: str | None = TESTER, password: str = PASSWORD):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("ESTATE_OFFICE_USER", None)
    env.pop("ESTATE_OFFICE_PASSWORD", None)
    if user is not None:
        env.update(ESTATE_OFFICE_USER=user, ESTATE_OFFICE_PASSWORD=password)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def estate(services, data_dir):
    """A small data folder with 300 complaints; its user 测试员 signs in with PASSWORD."""
    make_register(services)
    services.close()
    return data_dir


def test_the_probe_prints_the_time_to_the_complaint_list(estate):
    done = run("-m", "app", "--data-dir", str(estate.root), "--startup-probe")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 2 and LINE.match(lines[0]), done.stdout
    total, signing_in = (float(line.split("=")[1]) for line in lines)
    assert lines[1].startswith("sign_in_ms=") and 0 < signing_in < total


def test_the_bare_window_is_measured_the_same_way():
    for args in (("-m", "ui.startup_probe", "--bare"), ("-m", "app", "--startup-probe", "--bare")):
        done = run(*args, user=None)
        assert done.returncode == 0, done.stderr
        assert LINE.match(done.stdout.strip()), done.stdout


def test_without_a_user_or_with_a_wrong_password_the_probe_says_so(estate):
    missing = run("-m", "app", "--data-dir", str(estate.root), "--startup-probe", user=None)
    assert missing.returncode == 3
    assert "ESTATE_OFFICE_USER" in missing.stderr and "startup_ms" not in missing.stdout
    wrong = run("-m", "app", "--data-dir", str(estate.root), "--startup-probe", password="not-it")
    assert wrong.returncode == 3
    assert "登录失败" in wrong.stderr and "startup_ms" not in wrong.stdout


def test_the_window_opens_without_the_printing_and_spreadsheet_libraries(estate):
    """Nor the other tabs, the import/export and retention services or the form layouts."""
    code = f"""
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.paths import DataDir
from app.services import open_services
from ui.application import open_window
services = open_services(DataDir({str(estate.root)!r}))
services.accounts.sign_in({TESTER!r}, {PASSWORD!r})
window = open_window(services)
app.processEvents()
print(",".join(m for m in {HEAVY + LATER!r} if m in sys.modules) or "none")
"""
    done = run("-c", code, user=None)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "none"


def test_the_command_line_reads_its_options_without_loading_the_commands():
    code = """
import sys
from app.cli_parser import build_parser
build_parser().parse_args(["--data-dir", "x", "export", "complaints", "-o", "a.xlsx"])
print(",".join(m for m in ("app.services", "app.db.connection", "PySide6") if m in sys.modules))
"""
    done = run("-c", code, user=None)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_the_window_modules_load_on_a_worker_while_the_user_signs_in():
    """Not before the sign-in dialog (ui.preload, started by the application's Desk)."""
    code = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui import application, startup
from ui.preload import Preload
later = ["ui.main_window", "ui.tabs.complaints", "app.services.complaints", "app.services.repairs"]
before = [m for m in later if m in sys.modules]
Preload().start().wait()
print(before, all(m in sys.modules for m in later))
"""
    done = run("-c", code, user=None)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] True"
