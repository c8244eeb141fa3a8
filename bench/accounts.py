"""The benchmark estate's one user, so the guarded services can be measured signed in."""

from __future__ import annotations

from app.domain.access import Role
from app.services import Services

USER = "管理员"
PASSWORD = "bench-password"


def sign_in(services: Services) -> None:
    """Sign in as the estate's administrator (holding every role), creating it if needed."""
    if services.accounts.needs_setup():
        services.accounts.setup_admin(USER, PASSWORD, extra_roles=frozenset(Role))
    services.accounts.sign_in(USER, PASSWORD)
