"""Who is signed in, and the check every guarded service method makes first.

A service method declares what it needs with ``@requires(Permission.X)``; the check runs before
anything else, so a refused call changes nothing. ``guarded_methods`` lists every public method
of a service with what it requires, which the role × action tests walk through.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from app.db.connection import Database
from app.domain.access import Permission, PermissionDeniedError, permissions_of
from app.domain.normalize import mask_phone
from app.store.users import User

P = ParamSpec("P")
R = TypeVar("R")

SYSTEM = "系统"


class Session:
    """The signed-in user of this copy of the app (one per window or command)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.user: User | None = None

    @property
    def name(self) -> str:
        return self.user.name if self.user else ""

    def start(self, user: User) -> None:
        self.user = user
        self.database.actor = user.name

    def end(self) -> None:
        self.user = None
        self.database.actor = SYSTEM

    def can(self, permission: Permission) -> bool:
        return self.user is not None and permission in permissions_of(self.user.roles)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDeniedError(permission, self.user.name if self.user else None)

    def show_phone(self, phone: str) -> str:
        """A phone number as this user may see it outside the record form: whole with the
        UNMASK permission, otherwise masked (138****5678)."""
        return phone if self.can(Permission.UNMASK) else mask_phone(phone)

    def require_correct(self, creator: str | None, is_draft: bool) -> None:
        """Correcting a registration: anyone with CORRECT, or its own registrar while nobody
        has acted on it yet (前台 edits their own drafts)."""
        if self.can(Permission.CORRECT):
            return
        self.require(Permission.REGISTER)
        if not (is_draft and creator is not None and creator == self.name):
            raise PermissionDeniedError(Permission.CORRECT, self.name)


class Guarded(Protocol):
    session: Session


S = TypeVar("S", bound=Guarded)


def requires(
    permission: Permission,
) -> Callable[[Callable[Concatenate[S, P], R]], Callable[Concatenate[S, P], R]]:
    """The signed-in user must hold `permission` to call the method."""

    def wrap(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
        @functools.wraps(method)
        def guarded(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            self.session.require(permission)
            return method(self, *args, **kwargs)

        guarded.required = permission  # type: ignore[attr-defined]
        return guarded

    return wrap


def open_to_anyone(method: Callable[P, R]) -> Callable[P, R]:
    """Marks a method deliberately callable without signing in (sign-in itself, first set-up)."""
    method.required = None  # type: ignore[attr-defined]
    return method


def guarded_methods(service: object) -> dict[str, Permission | None]:
    """Every public method of a service and the permission it requires (None: anyone).

    A public method with neither marker raises, so a new method cannot slip through unguarded.
    """
    found: dict[str, Permission | None] = {}
    for name, member in inspect.getmembers(type(service), inspect.isfunction):
        if name.startswith("_"):
            continue
        if not hasattr(member, "required"):
            raise AssertionError(f"{type(service).__name__}.{name} declares no permission")
        found[name] = member.required
    return found
