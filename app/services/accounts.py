"""Accounts (用户): the first administrator, signing in with lockout, and user management.

Passwords are hashed with argon2id (argon2-cffi). A wrong password counts against the account;
after FREE_ATTEMPTS in a row it is locked for a delay that doubles with each further failure
(app.domain.accounts.lock_delay). A supervisor (a user with the UNLOCK permission) can unlock it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.db import audit
from app.db.connection import Database
from app.domain import accounts as rules
from app.domain.access import Permission, Role
from app.domain.errors import FieldError, ValidationError, WorkflowError
from app.services.clock import Clock
from app.services.session import Session, open_to_anyone, requires
from app.store.users import User, UserStore


class SignInError(WorkflowError):
    """Signing in did not succeed; the message says why (without saying which part was wrong)."""


class AccountService:
    def __init__(
        self, database: Database, session: Session, clock: Clock, hasher: PasswordHasher
    ) -> None:
        self.database = database
        self.session = session
        self.store = UserStore(database)
        self.clock = clock
        self.hasher = hasher

    # ----- first start and signing in
    @open_to_anyone
    def needs_setup(self) -> bool:
        """No user exists yet: the first start must create the administrator."""
        return self.store.count() == 0

    @open_to_anyone
    def setup_admin(self, name: str, password: str, extra_roles: Iterable[Role] = ()) -> User:
        """Create the first user, an administrator; refused once any user exists."""
        if not self.needs_setup():
            raise WorkflowError("已经有用户了：首个管理员只能在新的数据文件夹上创建")
        return self._create(name, password, frozenset({Role.ADMIN, *extra_roles}))

    @open_to_anyone
    def sign_in(self, name: str, password: str) -> User:
        """Check the password and start the session; count a failure against the account."""
        name = rules.normalize_name(name)
        user = self.store.by_name(name)
        now = self.clock()
        if user is None or not user.active:
            self._verify_dummy(_typed(password))
            raise SignInError("用户名或密码不对")
        if user.locked_until is not None and user.locked_until > now:
            raise SignInError(
                f"账户“{name}”因多次输错密码已锁定，请在 {_when(user.locked_until, now)} 之后"
                "再试，或请主管解锁"
            )
        stored = self.store.password_hash(user.id)
        try:
            self.hasher.verify(stored, _typed(password))
        except (VerificationError, InvalidHashError):
            failures = user.failed_logins + 1
            until = rules.locked_until(failures, now)
            with self.database.acting_as(name), self.database.transaction():
                self.store.update(user.id, now, failed_logins=failures, locked_until=until)
            if until is not None:
                raise SignInError(
                    f"密码连续输错 {failures} 次，账户已锁定到 {_when(until, now)}，或请主管解锁"
                ) from None
            left = rules.FREE_ATTEMPTS - failures
            raise SignInError(f"用户名或密码不对（再错 {left + 1} 次将锁定账户）") from None
        with self.database.acting_as(name), self.database.transaction():
            changes: dict[str, object] = {}
            if user.failed_logins or user.locked_until:
                changes |= {"failed_logins": 0, "locked_until": None}
            if self.hasher.check_needs_rehash(stored):
                changes["password_hash"] = self.hasher.hash(password)
            if changes:
                self.store.update(user.id, now, **changes)
            audit.note(self.database.conn, "sign_in", "users", {"name": name}, user.id)
        user = self.store.by_name(name)
        assert user is not None
        self.session.start(user)
        return user

    @open_to_anyone
    def sign_out(self) -> None:
        self.session.end()

    def _verify_dummy(self, password: bytes) -> None:
        """Take as long for an unknown name as for a wrong password."""
        self.hasher.hash(password)

    # ----- managing users
    @requires(Permission.VIEW)
    def users(self) -> list[User]:
        return self.store.all()

    @requires(Permission.USERS)
    def add_user(self, name: str, password: str, roles: Iterable[Role]) -> User:
        return self._create(name, password, frozenset(roles))

    @requires(Permission.USERS)
    def set_roles(self, name: str, roles: Iterable[Role]) -> User:
        wanted = frozenset(roles)
        if not wanted:
            raise ValidationError([FieldError("roles", "至少选择一个角色")])
        user = self._get(name)
        if Role.ADMIN in user.roles and Role.ADMIN not in wanted:
            self._keep_an_admin(user)
        return self._update(user, roles=wanted)

    @requires(Permission.USERS)
    def set_active(self, name: str, active: bool) -> User:
        user = self._get(name)
        if not active:
            if user.name == self.session.name:
                raise WorkflowError("不能停用自己正在使用的账户")
            if Role.ADMIN in user.roles:
                self._keep_an_admin(user)
        return self._update(user, active=active)

    @requires(Permission.USERS)
    def reset_password(self, name: str, password: str) -> User:
        user = self._get(name)
        self._check_password(password, user.name)
        return self._update(
            user, password_hash=self.hasher.hash(password), failed_logins=0, locked_until=None
        )

    @requires(Permission.VIEW)
    def change_own_password(self, old: str, new: str) -> None:
        user = self._get(self.session.name)
        try:
            self.hasher.verify(self.store.password_hash(user.id), _typed(old))
        except (VerificationError, InvalidHashError):
            raise ValidationError([FieldError("old_password", "原密码不对")]) from None
        self._check_password(new, user.name)
        self._update(user, password_hash=self.hasher.hash(new))

    @requires(Permission.UNLOCK)
    def unlock(self, name: str) -> User:
        """A supervisor lifts a lockout; the failure count starts again from zero."""
        return self._update(self._get(name), failed_logins=0, locked_until=None)

    # ----- helpers
    def _create(self, name: str, password: str, roles: frozenset[Role]) -> User:
        name = rules.normalize_name(name)
        errors = [e for e in (rules.name_problem(name),) if e is not None]
        if not roles:
            errors.append(FieldError("roles", "至少选择一个角色"))
        problem = rules.password_problem(password, name)
        if problem is not None:
            errors.append(problem)
        if not errors and self.store.by_name(name) is not None:
            errors.append(FieldError("name", f"已有名为“{name}”的用户"))
        if errors:
            raise ValidationError(errors)
        with self.database.transaction():
            self.store.insert(name, roles, self.hasher.hash(password), self.clock())
        user = self.store.by_name(name)
        assert user is not None
        return user

    def _check_password(self, password: str, name: str) -> None:
        problem = rules.password_problem(password, name)
        if problem is not None:
            raise ValidationError([problem])

    def _get(self, name: str) -> User:
        user = self.store.by_name(rules.normalize_name(name))
        if user is None:
            raise WorkflowError(f"没有名为“{name}”的用户")
        return user

    def _keep_an_admin(self, user: User) -> None:
        others = [
            u for u in self.store.all() if u.active and Role.ADMIN in u.roles and u.id != user.id
        ]
        if not others:
            raise WorkflowError("至少要保留一个在用的管理员")

    def _update(self, user: User, **values: object) -> User:
        with self.database.transaction():
            self.store.update(user.id, self.clock(), **values)
        updated = self.store.by_name(user.name)
        assert updated is not None
        if self.session.user is not None and updated.id == self.session.user.id:
            self.session.start(updated)
        return updated


def _typed(password: str) -> bytes:
    """A typed password as the bytes to check. Text that is not valid Unicode (a lone
    surrogate, e.g. from an environment variable holding other bytes) matches no password
    instead of failing to encode."""
    return password.encode("utf-8", "surrogatepass")


def _when(until: datetime, now: datetime) -> str:
    """The end of a lock as the user reads it: the time, and the day when it is not today."""
    day = "" if until.date() == now.date() else f"{until.month}月{until.day}日 "
    return f"{day}{until:%H:%M}"
