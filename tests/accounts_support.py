"""Signing in for tests: cheap argon2id parameters and a user holding the roles a test needs."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher

from app.domain.access import Role
from app.paths import DataDir
from app.services import Services, open_services
from app.services.clock import Clock, system_clock

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
"""argon2id with cheap parameters: the tests create and sign in many users."""
TESTER = "测试员"
PASSWORD = "test-pass-123"


def signed_in(s: Services, roles: frozenset[Role] = frozenset(Role), name: str = "") -> Services:
    """`s` with a user holding `roles` signed in (on a new folder it becomes the administrator
    first, with `roles` as well)."""
    if s.accounts.needs_setup():
        name = name or TESTER
        s.accounts.setup_admin(name, PASSWORD, extra_roles=roles)
    else:
        name = name or f"{TESTER}{len(s.accounts.store.all()) + 1}"
        if s.accounts.store.by_name(name) is None:
            with s.database.transaction():
                s.accounts.store.insert(name, roles, FAST_HASHER.hash(PASSWORD), datetime.now())
    s.accounts.sign_in(name, PASSWORD)
    return s


def open_signed_in(
    data_dir: DataDir, clock: Clock = system_clock, roles: frozenset[Role] = frozenset(Role)
) -> Services:
    """open_services on `data_dir`, with a user holding `roles` signed in."""
    return signed_in(open_services(data_dir, clock=clock, hasher=FAST_HASHER), roles)
