"""The command line, as a scheduled job or a supervisor would run it.

Every test here runs as the office's administrator, who is also 主任 and so holds every
permission, signed in from the environment like a scheduled job (test_cli_accounts.py covers
who may do what, and signing in).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

import app.services
from app.cli import main
from app.db.connection import Database
from app.db.migrations import SCHEMA_VERSION
from app.domain.retention import ANONYMISED_NAME
from app.paths import DataDir
from app.services import open_services
from tests.accounts_support import FAST_HASHER, signed_in
from tests.unit.test_retention import closed_complaint

ADMIN, PASSWORD = "王主任", "office-pass-1"


def run(tmp_path: Path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


@pytest.fixture(autouse=True)
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A data folder set up with `setup`, its administrator signed in from the environment.
    In-process, argon2 runs with cheap parameters (the subprocess test uses the real ones)."""
    monkeypatch.setattr(app.services, "PasswordHasher", lambda: FAST_HASHER)
    monkeypatch.delenv("ESTATE_OFFICE_USER", raising=False)
    monkeypatch.setenv("ESTATE_OFFICE_PASSWORD", PASSWORD)
    assert run(tmp_path, "setup", "--admin", ADMIN, "--role", "manager") == 0
    monkeypatch.setenv("ESTATE_OFFICE_USER", ADMIN)


@pytest.fixture
def complaints_csv(tmp_path: Path) -> Path:
    f = tmp_path / "in.csv"
    f.write_text(
        "登记时间,投诉人,房号,投诉内容,紧急程度\n"
        "2026-11-20 09:30,张三,3-2-1201,电梯漏水，地面湿滑,紧急\n",
        encoding="utf-8-sig",
    )
    return f


def test_import_export_print(
    tmp_path: Path, complaints_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "import", "complaints", str(complaints_csv)) == 0
    assert "已导入 1 条" in capsys.readouterr().out
    assert (tmp_path / "data" / "estate.db").exists()
    out = tmp_path / "out.xlsx"
    assert run(tmp_path, "export", "complaints", "-o", str(out)) == 0
    assert out.stat().st_size > 0
    pdf = tmp_path / "c.pdf"
    assert run(tmp_path, "print", "complaint", "TS2026-00001", "-o", str(pdf)) == 0
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "TS2026-00001" in text and "张三" in text


def test_bad_import_exits_non_zero_with_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(
        "登记时间,投诉人,投诉内容,紧急程度\n2026-13-01 09:00,张三,漏水,紧急\n", encoding="utf-8"
    )
    assert run(tmp_path, "import", "complaints", str(f)) == 1
    err = capsys.readouterr().err
    assert "第2行「登记时间」" in err and "未写入任何记录" in err


@pytest.mark.parametrize("form", ["complaint", "transfer", "notice"])
def test_blank_forms(tmp_path: Path, form: str) -> None:
    pdf = tmp_path / f"{form}.pdf"
    assert run(tmp_path, "print", form, "--blank", "-o", str(pdf)) == 0
    assert PdfReader(pdf).pages


def test_unknown_number_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "print", "transfer", "CQ2026-00099", "-o", str(tmp_path / "x.pdf")) == 1
    assert "找不到编号为 CQ2026-00099" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_print_needs_a_number_or_blank(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as e:
        run(tmp_path, "print", "complaint", "-o", str(tmp_path / "x.pdf"))
    assert e.value.code == 2


def test_newer_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(tmp_path / "data" / "estate.db")
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    assert run(tmp_path, "export", "complaints", "-o", str(tmp_path / "o.csv")) == 1
    assert "请安装新版程序" in capsys.readouterr().err


def test_python_dash_m_app_runs_the_command_line(tmp_path: Path, complaints_csv: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--data-dir",
            str(tmp_path / "data"),
            "import",
            "complaints",
            str(complaints_csv),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=os.environ | {"ESTATE_OFFICE_USER": ADMIN, "ESTATE_OFFICE_PASSWORD": PASSWORD},
    )
    assert done.returncode == 0, done.stderr
    assert "已导入 1 条" in done.stdout


def test_repairs_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "repairs.csv"
    f.write_text(
        "报修时间,报修人,房号,类别,故障描述,紧急程度,是否有偿,费用合计(元)\n"
        "2026-11-20 09:00,张三,3-2-1201,给排水,厨房水龙头漏水,一般,是,45\n",
        encoding="utf-8-sig",
    )
    assert run(tmp_path, "import", "repairs", str(f)) == 0
    assert "已导入 1 条" in capsys.readouterr().out
    out = tmp_path / "out.csv"
    assert run(tmp_path, "export", "repairs", "-o", str(out)) == 0
    assert "WX2026-00001" in out.read_text(encoding="utf-8-sig")
    pdf = tmp_path / "wo.pdf"
    assert run(tmp_path, "print", "workorder", "WX2026-00001", "-o", str(pdf)) == 0
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "WX2026-00001" in text and "厨房水龙头漏水" in text and "45.00" in text
    assert run(tmp_path, "print", "workorder", "--blank", "-o", str(tmp_path / "b.pdf")) == 0


def test_backup_check_corruption_and_restore(
    tmp_path: Path, complaints_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "import", "complaints", str(complaints_csv)) == 0
    backups = tmp_path / "data" / "backups"
    assert [p.name for p in backups.glob("*before-import*.db")]  # taken before the import
    assert run(tmp_path, "backup") == 0
    assert run(tmp_path, "check") == 0
    capsys.readouterr()
    db = tmp_path / "data" / "estate.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096  # a torn page
    db.write_bytes(bytes(data))
    assert run(tmp_path, "check") == 1
    assert run(tmp_path, "export", "complaints", "-o", str(tmp_path / "x.csv")) == 1
    err = capsys.readouterr().err
    assert "已将损坏的文件原样移到" in err and "estate-office restore" in err
    newest = max(backups.glob("*-manual.db"))
    assert run(tmp_path, "restore", str(newest)) == 0
    assert run(tmp_path, "check") == 0
    out = tmp_path / "after.csv"
    assert run(tmp_path, "export", "complaints", "-o", str(out)) == 0
    assert "电梯漏水" in out.read_text(encoding="utf-8-sig")
    assert list((backups / "corrupt").glob("*.db"))  # the damaged file is kept, not deleted


def test_a_second_copy_on_the_same_folder_is_refused(
    tmp_path: Path, complaints_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.db.guard import InstanceLock

    with InstanceLock(tmp_path / "data"):
        assert run(tmp_path, "import", "complaints", str(complaints_csv)) == 1
        assert run(tmp_path, "check") == 1
    assert "本程序已在运行" in capsys.readouterr().err
    assert run(tmp_path, "import", "complaints", str(complaints_csv)) == 0  # once it is gone


def test_a_network_share_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.db import guard

    monkeypatch.setattr(
        guard,
        "check_location",
        lambda path, probes=None: guard.LocationVerdict(
            True, False, "数据文件夹在网络共享上，不能使用"
        ),
    )
    assert run(tmp_path, "export", "complaints", "-o", str(tmp_path / "x.csv")) == 1
    assert "网络共享" in capsys.readouterr().err


def test_retention_previews_then_anonymises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = signed_in(open_services(DataDir(tmp_path / "data"), hasher=FAST_HASHER))
    try:
        closed_complaint(services, datetime(2020, 3, 2, 10, 0))
    finally:
        services.close()
    assert run(tmp_path, "retention") == 0
    assert "之前办结的记录：将匿名化投诉 1 条、维修 0 条（仅预览" in capsys.readouterr().out
    assert run(tmp_path, "retention", "--years", "1", "--run") == 1
    assert "保存期限至少 2 年" in capsys.readouterr().err
    assert run(tmp_path, "retention", "--years", "3", "--run") == 0
    out = capsys.readouterr().out
    assert "保存期限已改为 3 年" in out and "保存期限 3 年" in out and "已匿名化投诉 1 条" in out
    uri = (tmp_path / "data" / "estate.db").resolve().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        assert conn.execute("SELECT complainant, phone FROM complaints").fetchall() == [
            (ANONYMISED_NAME, "")
        ]
    assert run(tmp_path, "retention", "--run") == 0
    assert "已匿名化投诉 0 条" in capsys.readouterr().out
