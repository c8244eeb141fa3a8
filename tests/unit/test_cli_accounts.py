"""Signing in on the command line, who may run which command, and `setup` / `user …`.

In-process runs use cheap argon2 parameters (FAST_HASHER); the subprocess tests use the real ones.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

import app.cli
import app.services
from app.cli import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, main
from tests.accounts_support import FAST_HASHER

ADMIN, MANAGER, CLERK = "王主任", "赵经理", "小李"
PASSWORD, NEW_PASSWORD = "office-pass-1", "clerk-pass-22"


class Office:
    """One data folder, run as a given user through the environment, like a scheduled job."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = tmp_path / "data"
        self.tmp = tmp_path
        self.monkeypatch = monkeypatch

    def run(self, *args: str) -> int:
        return main(["--data-dir", str(self.folder), *args])

    def as_user(self, name: str, password: str = PASSWORD) -> Office:
        self.monkeypatch.setenv("ESTATE_OFFICE_USER", name)
        self.monkeypatch.setenv("ESTATE_OFFICE_PASSWORD", password)
        return self

    def setup(self) -> Office:
        self.monkeypatch.setenv("ESTATE_OFFICE_PASSWORD", PASSWORD)
        assert self.run("setup", "--admin", ADMIN) == EXIT_OK
        return self.as_user(ADMIN)

    def add_user(self, name: str, *roles: str, password: str = PASSWORD) -> None:
        """`user add` as the administrator, leaving the administrator signed in."""
        self.as_user(ADMIN).monkeypatch.setenv("ESTATE_OFFICE_NEW_PASSWORD", password)
        role_args = [arg for role in roles for arg in ("--role", role)]
        assert self.run("user", "add", name, *role_args) == EXIT_OK

    def count(self, table: str) -> int:
        uri = (self.folder / "estate.db").resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def complaints_csv(self) -> Path:
        f = self.tmp / "in.csv"
        f.write_text(
            "登记时间,投诉人,房号,联系电话,投诉内容,紧急程度\n"
            "2026-11-20 09:30,张三,3-2-1201,13812345678,电梯漏水，地面湿滑,紧急\n",
            encoding="utf-8-sig",
        )
        return f


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing from the developer's own environment; cheap argon2 in-process."""
    monkeypatch.setattr(app.services, "PasswordHasher", lambda: FAST_HASHER)
    for variable in ("USER", "PASSWORD", "NEW_PASSWORD"):
        monkeypatch.delenv(f"ESTATE_OFFICE_{variable}", raising=False)


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Office:
    return Office(tmp_path, monkeypatch)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    """stdin is a terminal; `terminal(typed=[...], secret=[...])` feeds input() and getpass()
    and returns the list the prompts shown from then on are added to."""
    monkeypatch.setattr(sys, "stdin", _Terminal())

    def feed(typed: tuple[str, ...] = (), secret: tuple[str, ...] = ()) -> list[str]:
        shown: list[str] = []
        monkeypatch.setattr("builtins.input", _answering(shown, typed))
        monkeypatch.setattr("getpass.getpass", _answering(shown, secret))
        return shown

    return feed


def _answering(shown: list[str], answers: tuple[str, ...]) -> Callable[[str], str]:
    left = iter(answers)

    def ask(prompt: str = "") -> str:
        shown.append(prompt)
        answer = next(left, None)
        if answer is None:
            raise AssertionError(f"not expected to ask: {prompt}")
        return answer

    return ask


class _Terminal:
    def isatty(self) -> bool:
        return True


# ----- setup


def test_setup_creates_the_administrator_once(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.monkeypatch.setenv("ESTATE_OFFICE_PASSWORD", PASSWORD)
    assert office.run("setup", "--admin", ADMIN, "--role", "经理") == EXIT_OK
    assert "已创建管理员“王主任”，角色：管理处主任/经理、管理员" in capsys.readouterr().out
    assert office.run("setup", "--admin", "另一个") == EXIT_FAILED
    assert "已经有用户了" in capsys.readouterr().err
    assert office.count("users") == 1
    assert office.as_user(ADMIN).run("user", "list") == EXIT_OK
    assert "王主任\t管理处主任/经理、管理员\t在用" in capsys.readouterr().out


def test_setup_asks_for_the_password_twice(
    office: Office, terminal: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    terminal(secret=(PASSWORD, "office-pass-2"))
    assert office.run("setup", "--admin", ADMIN) == EXIT_FAILED
    assert "两次输入的新密码不一致，未保存" in capsys.readouterr().err
    assert office.count("users") == 0
    shown = terminal(secret=(PASSWORD, PASSWORD))
    assert office.run("setup", "--admin", ADMIN) == EXIT_OK
    assert shown == ["新密码：", "再输入一次新密码："]


def test_setup_refuses_a_weak_password_and_an_unknown_role(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.monkeypatch.setenv("ESTATE_OFFICE_PASSWORD", "short")
    assert office.run("setup", "--admin", ADMIN) == EXIT_FAILED
    assert "密码至少 8 位" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        office.run("setup", "--admin", ADMIN, "--role", "保安")
    assert e.value.code == 2
    assert "没有“保安”这个角色" in capsys.readouterr().err


def test_before_setup_every_command_says_to_run_it(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.as_user(ADMIN)
    assert office.run("import", "complaints", str(office.complaints_csv())) == EXIT_REFUSED
    assert "请先运行 estate-office setup --admin 用户名" in capsys.readouterr().err
    assert office.count("complaints") == 0
    assert office.run("check") == EXIT_REFUSED
    assert "请先运行 estate-office setup" in capsys.readouterr().err


# ----- signing in


def test_wrong_or_missing_credentials_do_nothing(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    csv = str(office.complaints_csv())
    assert office.as_user(ADMIN, "wrong-pass-1").run("import", "complaints", csv) == EXIT_REFUSED
    assert "登录失败：用户名或密码不对（再错 4 次将锁定账户）" in capsys.readouterr().err
    assert office.as_user("没这人").run("import", "complaints", csv) == EXIT_REFUSED
    assert "登录失败：用户名或密码不对" in capsys.readouterr().err
    office.monkeypatch.delenv("ESTATE_OFFICE_USER")  # stdin is not a terminal: no prompt
    assert office.run("import", "complaints", csv) == EXIT_REFUSED
    assert "需要登录：请设置环境变量 ESTATE_OFFICE_USER" in capsys.readouterr().err
    assert office.count("complaints") == 0
    assert not list((office.folder / "backups").glob("*before-import*"))


def test_at_a_terminal_the_missing_name_and_password_are_asked_for(
    office: Office, terminal: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    office.monkeypatch.delenv("ESTATE_OFFICE_USER")
    office.monkeypatch.delenv("ESTATE_OFFICE_PASSWORD")
    shown = terminal(typed=(ADMIN,), secret=(PASSWORD,))
    assert office.run("user", "list") == EXIT_OK
    assert shown == ["用户名：", "密码："]
    assert "王主任" in capsys.readouterr().out
    office.monkeypatch.setenv("ESTATE_OFFICE_USER", ADMIN)
    shown = terminal(secret=(PASSWORD,))
    assert office.run("user", "list") == EXIT_OK
    assert shown == ["密码："]  # the name came from the environment


def test_a_cancelled_prompt_does_nothing(
    office: Office, terminal: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    office.monkeypatch.delenv("ESTATE_OFFICE_USER")
    terminal()  # nothing to answer: input() raises as at end of file
    office.monkeypatch.setattr("builtins.input", _eof)
    assert office.run("import", "complaints", str(office.complaints_csv())) == EXIT_REFUSED
    assert "没有输入用户名和密码，命令未执行" in capsys.readouterr().err
    assert office.count("complaints") == 0


def _eof(prompt: str = "") -> str:
    raise EOFError


def test_the_window_never_prompts_on_the_terminal(
    terminal: Callable[..., list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = terminal()
    monkeypatch.setattr(app.cli, "_start_window", lambda data_dir: 0)
    assert main([]) == 0
    assert shown == []


# ----- roles


def test_a_clerk_may_print_but_not_import_export_or_back_up(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    office.add_user(CLERK, "clerk", password=NEW_PASSWORD)
    office.as_user(CLERK, NEW_PASSWORD)
    capsys.readouterr()
    assert office.run("import", "complaints", str(office.complaints_csv())) == EXIT_REFUSED
    assert "用户“小李”没有“导入”的权限，操作未执行。" in capsys.readouterr().err
    assert office.count("complaints") == 0
    assert office.run("backup") == EXIT_REFUSED
    assert "没有“备份”的权限" in capsys.readouterr().err
    assert not list((office.folder / "backups").glob("*.db"))  # none before an import either
    assert office.run("export", "complaints", "-o", str(office.tmp / "x.csv")) == EXIT_REFUSED
    assert not (office.tmp / "x.csv").exists()
    assert office.run("print", "complaint", "--blank", "-o", str(office.tmp / "b.pdf")) == 0
    assert (office.tmp / "b.pdf").stat().st_size > 0


def test_whole_phone_numbers_only_for_a_manager(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    office.add_user(MANAGER, "manager")
    office.add_user("孙工", "handler")
    office.as_user(MANAGER)
    assert office.run("import", "complaints", str(office.complaints_csv())) == EXIT_OK
    masked, whole = office.tmp / "masked.csv", office.tmp / "whole.csv"
    assert office.run("export", "complaints", "-o", str(masked)) == EXIT_OK
    assert "138****5678" in masked.read_text(encoding="utf-8-sig")
    assert office.run("export", "complaints", "-o", str(whole), "--unmasked") == EXIT_OK
    assert "13812345678" in whole.read_text(encoding="utf-8-sig")
    refused = office.tmp / "refused.csv"
    assert office.as_user("孙工").run("export", "complaints", "-o", str(refused), "--unmasked") == 3
    assert "没有“查看和导出完整电话号码”的权限" in capsys.readouterr().err
    assert not refused.exists()


# ----- managing users


def test_a_user_added_by_the_administrator_can_sign_in(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    office.add_user(CLERK, "前台/值班", password=NEW_PASSWORD)
    assert "已添加用户“小李”，角色：前台/值班" in capsys.readouterr().out
    assert office.as_user(CLERK, NEW_PASSWORD).run("user", "list") == EXIT_OK
    out = capsys.readouterr().out
    assert "小李\t前台/值班\t在用" in out and "王主任\t管理员\t在用" in out


def test_only_an_administrator_adds_users(
    office: Office, terminal: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    office.add_user(MANAGER, "manager")
    shown = terminal()  # refused before any new password is asked for
    assert office.as_user(MANAGER).run("user", "add", "小王", "--role", "clerk") == EXIT_REFUSED
    assert "用户“赵经理”没有“管理用户”的权限" in capsys.readouterr().err
    assert shown == []
    assert office.count("users") == 2


def test_lockout_after_wrong_passwords_and_unlock_by_a_manager(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    office.add_user(MANAGER, "manager")
    office.add_user(CLERK, "clerk", password=NEW_PASSWORD)
    blank = ("print", "notice", "--blank", "-o", str(office.tmp / "n.pdf"))
    office.as_user(CLERK, "wrong-pass-1")
    for _ in range(5):
        assert office.run(*blank) == EXIT_REFUSED
    assert "密码连续输错 5 次，账户已锁定到" in capsys.readouterr().err
    assert office.as_user(CLERK, NEW_PASSWORD).run(*blank) == EXIT_REFUSED
    assert "因多次输错密码已锁定" in capsys.readouterr().err
    assert office.as_user(MANAGER).run("user", "list") == EXIT_OK
    assert "小李\t前台/值班\t在用\t20" in capsys.readouterr().out  # 锁定到 a date and time
    assert office.run("user", "unlock", CLERK) == EXIT_OK
    assert office.as_user(CLERK, NEW_PASSWORD).run(*blank) == EXIT_OK


def test_reset_password_disable_and_enable(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    office.add_user(CLERK, "clerk", password=NEW_PASSWORD)
    office.monkeypatch.setenv("ESTATE_OFFICE_NEW_PASSWORD", "fresh-pass-3")
    assert office.run("user", "passwd", CLERK) == EXIT_OK
    assert office.as_user(CLERK, NEW_PASSWORD).run("user", "list") == EXIT_REFUSED
    assert office.as_user(CLERK, "fresh-pass-3").run("user", "list") == EXIT_OK
    assert office.as_user(ADMIN).run("user", "disable", CLERK) == EXIT_OK
    assert "已停用用户“小李”" in capsys.readouterr().out
    assert office.as_user(CLERK, "fresh-pass-3").run("user", "list") == EXIT_REFUSED
    assert office.as_user(ADMIN).run("user", "disable", ADMIN) == EXIT_FAILED
    assert "不能停用自己正在使用的账户" in capsys.readouterr().err
    assert office.run("user", "enable", CLERK) == EXIT_OK
    assert office.as_user(CLERK, "fresh-pass-3").run("user", "list") == EXIT_OK


# ----- check and restore


def test_restore_needs_the_right_and_a_sound_database_checks_it(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    office.add_user(MANAGER, "manager")
    backup = office.tmp / "b.db"
    assert office.as_user(MANAGER).run("backup", "-o", str(backup)) == EXIT_OK
    assert office.run("backup") == EXIT_OK  # `check` wants one in the backups folder
    assert office.run("restore", str(backup)) == EXIT_REFUSED
    assert "没有“从备份恢复”的权限" in capsys.readouterr().err
    assert not list((office.folder / "backups").glob("*-replaced.db"))
    assert office.run("check") == EXIT_OK  # a manager may check
    assert "检查通过" in capsys.readouterr().out
    assert office.as_user(ADMIN, "wrong-pass-1").run("check") == EXIT_REFUSED
    assert "检查通过" not in capsys.readouterr().out
    assert office.as_user(ADMIN).run("restore", str(backup)) == EXIT_OK
    assert list((office.folder / "backups").glob("*-replaced.db"))


def test_a_damaged_database_is_restored_by_a_user_of_the_backup(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    office.add_user(CLERK, "clerk", password=NEW_PASSWORD)
    assert office.run("import", "complaints", str(office.complaints_csv())) == EXIT_OK
    backup = office.tmp / "b.db"
    assert office.run("backup", "-o", str(backup)) == EXIT_OK
    office.add_user("后来的", "admin")  # not in the backup
    database = office.folder / "estate.db"
    database.write_bytes(b"\xff" * 8192)  # not a database any more
    capsys.readouterr()
    assert office.as_user("后来的").run("restore", str(backup)) == EXIT_REFUSED
    assert office.as_user(CLERK, NEW_PASSWORD).run("restore", str(backup)) == EXIT_REFUSED
    assert "没有“从备份恢复”的权限" in capsys.readouterr().err
    assert office.as_user(ADMIN, "wrong-pass-1").run("restore", str(backup)) == EXIT_REFUSED
    assert "登录失败：用户名或密码不对" in capsys.readouterr().err
    assert database.read_bytes() == b"\xff" * 8192  # untouched by the refusals
    assert office.as_user(ADMIN).run("restore", str(backup)) == EXIT_OK
    assert office.count("complaints") == 1
    database.unlink()  # a missing database: the backup's users decide too
    assert office.run("restore", str(backup)) == EXIT_OK
    assert office.run("check") == EXIT_OK


def test_check_of_a_damaged_database_signs_in_against_the_newest_backup(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.setup()
    assert office.run("backup") == EXIT_OK
    (office.folder / "estate.db").write_bytes(b"\xff" * 8192)
    assert office.as_user(ADMIN, "wrong-pass-1").run("check") == EXIT_REFUSED
    assert office.as_user(ADMIN).run("check") == EXIT_FAILED
    assert "数据库无法打开或已损坏" in capsys.readouterr().out


def test_a_backup_from_before_accounts_has_nobody_to_check(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    old = office.tmp / "old.db"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "schema_v1.db", old)
    assert office.run("restore", str(old)) == EXIT_OK  # no database here, and no users in it
    assert "备份中没有用户（来自启用账户之前），未核对身份" in capsys.readouterr().out
    office.setup()  # the restored database has no users yet
    assert office.count("complaints") > 0


# ----- as a scheduled job runs it


def _job(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(folder), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if not k.startswith("ESTATE_OFFICE_")} | env,
    )


def test_a_scheduled_job_is_refused_without_good_credentials(office: Office) -> None:
    """(test_cli.py runs one that signs in.)"""
    office.setup()
    wrong = {"ESTATE_OFFICE_USER": ADMIN, "ESTATE_OFFICE_PASSWORD": "wrong-pass-1"}
    done = _job(office.folder, "backup", **wrong)
    assert (done.returncode, done.stdout) == (EXIT_REFUSED, "")
    assert "登录失败：用户名或密码不对" in done.stderr
    done = _job(office.folder, "backup")  # no credentials and no terminal: refused, not waiting
    assert (done.returncode, done.stdout) == (EXIT_REFUSED, "")
    assert "需要登录：请设置环境变量" in done.stderr
    assert not (office.folder / "backups").exists()
