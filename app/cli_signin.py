"""Who runs a command (`estate-office …`): signing in from the environment or the terminal.

A scheduled job sets ESTATE_OFFICE_USER and ESTATE_OFFICE_PASSWORD; at a terminal whatever is
missing is asked for, the password without echo. Nothing here asks when stdin is not a
terminal, and the window never comes here: it has its own sign-in dialog.

A new password (`setup`, `user add`, `user passwd`) comes from an environment variable or is
typed twice.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.cli_parser import PASSWORD_VAR, USER_VAR
from app.db.backup_files import BackupError, open_read_only
from app.domain.access import Permission, PermissionDeniedError, permissions_of
from app.domain.errors import FieldError, ValidationError
from app.services import Services, SignInError
from app.store.users import User, users_in

NO_USERS = "还没有任何用户：请先运行 estate-office setup --admin 用户名 创建管理员"
WRONG = "用户名或密码不对"


class NotSignedIn(Exception):
    """Nobody could be signed in, so the command did nothing; the message says why."""


@dataclass(frozen=True)
class Credentials:
    name: str
    password: str = field(repr=False)


def credentials() -> Credentials:
    """The user name and password from the environment, else typed at the terminal."""
    name = os.environ.get(USER_VAR, "").strip()
    password = os.environ.get(PASSWORD_VAR, "")
    if name and password:
        return Credentials(name, password)
    if not _at_terminal():
        raise NotSignedIn(
            f"需要登录：请设置环境变量 {USER_VAR} 和 {PASSWORD_VAR}，"
            "或在终端里运行此命令以输入用户名和密码"
        )
    try:
        name = name or input("用户名：").strip()
        password = password or getpass.getpass("密码：")
    except (EOFError, KeyboardInterrupt):
        raise NotSignedIn("没有输入用户名和密码，命令未执行") from None
    return Credentials(name, password)


def sign_in(services: Services) -> User:
    """Sign the command's user in (a wrong password counts towards the lockout).

    Raises NotSignedIn when there are no users yet or no credentials, SignInError otherwise."""
    if services.accounts.needs_setup():
        raise NotSignedIn(NO_USERS)
    given = credentials()
    return services.accounts.sign_in(given.name, given.password)


def new_password(variable: str) -> str:
    """A new password: `variable` from the environment, else typed twice at the terminal."""
    given = os.environ.get(variable, "")
    if given:
        return given
    if not _at_terminal():
        raise _password_error(f"请用环境变量 {variable} 给出新密码，或在终端里运行此命令")
    try:
        first = getpass.getpass("新密码：")
        second = getpass.getpass("再输入一次新密码：")
    except (EOFError, KeyboardInterrupt):
        raise _password_error("没有输入新密码，未保存") from None
    if first != second:
        raise _password_error("两次输入的新密码不一致，未保存")
    return first


def sign_in_to_file(path: Path, permission: Permission) -> bool:
    """Check the command's user against the users in a backup file, which is only read.

    For when the data folder's own database is missing or damaged. A failure here is not
    counted (nothing is written to the file), and a disabled user is refused. A backup
    without users (from before accounts) checks nobody: returns False, and the caller goes on.
    Raises SignInError or PermissionDeniedError.
    """
    users = _users_in(path)
    if not users:
        return False
    given = credentials()
    found, password_hash = users.get(given.name, (None, ""))
    if found is None or not found.active:
        raise SignInError(WRONG)
    try:
        PasswordHasher().verify(password_hash, given.password)
    except (VerificationError, InvalidHashError):
        raise SignInError(WRONG) from None
    if permission not in permissions_of(found.roles):
        raise PermissionDeniedError(permission, given.name)
    return True


def _users_in(path: Path) -> dict[str, tuple[User, str]]:
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}")
    try:
        with closing(open_read_only(path)) as conn:
            return users_in(conn)
    except sqlite3.Error as e:
        raise BackupError(f"无法读取备份 {path.name}：{e}") from e


def _password_error(message: str) -> ValidationError:
    return ValidationError([FieldError("password", message)])


def _at_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()
