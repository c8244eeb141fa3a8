"""The users table: who may sign in, their roles and their sign-in failures."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.db.connection import Database
from app.domain.access import Role
from app.store.rows import dt_in, dt_out


@dataclass(frozen=True)
class User:
    id: int
    name: str
    roles: frozenset[Role]
    active: bool
    failed_logins: int
    locked_until: datetime | None


class UserStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def count(self) -> int:
        return int(self.database.scalar("SELECT count(*) FROM users"))

    def all(self) -> list[User]:
        return [_user(r) for r in self.database.query("SELECT * FROM users ORDER BY name")]

    def by_name(self, name: str) -> User | None:
        rows = self.database.query("SELECT * FROM users WHERE name = ?", (name,))
        return _user(rows[0]) if rows else None

    def password_hash(self, user_id: int) -> str:
        return str(self.database.scalar("SELECT password_hash FROM users WHERE id = ?", (user_id,)))

    def insert(self, name: str, roles: frozenset[Role], password_hash: str, now: datetime) -> int:
        cur = self.database.conn.execute(
            "INSERT INTO users (name, roles, password_hash, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (name, _roles_out(roles), password_hash, dt_out(now), dt_out(now)),
        )
        return int(cur.lastrowid or 0)

    def update(self, user_id: int, now: datetime, **values: Any) -> None:
        if "roles" in values:
            values["roles"] = _roles_out(values["roles"])
        if "locked_until" in values:
            values["locked_until"] = dt_out(values["locked_until"])
        if "active" in values:
            values["active"] = int(values["active"])
        values["updated_at"] = dt_out(now)
        sets = ", ".join(f"{k} = :{k}" for k in values)
        self.database.conn.execute(
            f"UPDATE users SET {sets} WHERE id = :id", values | {"id": user_id}
        )


def users_in(conn: sqlite3.Connection) -> dict[str, tuple[User, str]]:
    """Every user of another database (a backup being restored) with its password hash, by
    name; empty for a database from before accounts."""
    accounts = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'"
    if not conn.execute(accounts).fetchone():
        return {}
    cur = conn.execute("SELECT * FROM users")
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    return {row["name"]: (_user(row), str(row["password_hash"])) for row in rows}


def _roles_out(roles: frozenset[Role]) -> str:
    return ",".join(r.value for r in Role if r in roles)


def _user(row: dict[str, Any]) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        roles=frozenset(Role(code) for code in row["roles"].split(",") if code),
        active=bool(row["active"]),
        failed_logins=row["failed_logins"],
        locked_until=dt_in(row["locked_until"]),
    )
