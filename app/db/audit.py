"""The audit trail (审计日志): every change to every record, append-only and hash-chained.

Triggers on each audited table write one `audit_log` entry per inserted, updated or deleted row:
when, who, which record, the changed columns' old and new values, and a hash of the whole row as
it now stands. Each entry's `hash` covers the previous entry's hash, so removing, editing or
reordering entries breaks the chain, and a row edited outside the app no longer matches the
hash of its latest entry (`app.db.audit_check`). Triggers refuse UPDATE and DELETE on the log.

Personal fields (names, phone numbers) are not written into the chained entry: their old and new
values go to `audit_personal`, which the retention job may erase; the chained entry only says
that such a field changed. Secret fields (password hashes) are never copied at all.

Convention for later registers: every ordinary table is audited unless it is listed in
NOT_AUDITED (derived data that is rebuilt from the audited tables). A migration that changes a
table's columns calls `install_triggers` again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path

ROW_ACTIONS = ("baseline", "insert", "update", "delete")

NOT_AUDITED = frozenset(
    {
        "audit_log",  # the trail itself
        "audit_personal",  # erasable personal values of the trail
        "record_events",  # the registers' step log: append-only by its own triggers
    }
)

PERSONAL: dict[str, tuple[str, ...]] = {
    "complaints": ("complainant", "phone"),
    "repairs": ("reporter", "phone"),
    "households": ("owner_name", "phone"),
}
"""Columns holding personal information (PIPL): kept out of the chained entries."""

SECRET: dict[str, tuple[str, ...]] = {"users": ("password_hash",)}
"""Columns whose values are never copied into the trail."""

_JSON_CHUNK = 50  # SQLite allows 127 function arguments before 3.48; two per column


def audited_tables(conn: sqlite3.Connection) -> list[str]:
    """Every ordinary table of the schema that the trail covers, by name."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    virtual = [name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL")]
    return sorted(
        name
        for name, _ in rows
        if name not in NOT_AUDITED
        and name not in virtual
        and not any(name.startswith(f"{v}_") for v in virtual)
    )


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def row_json(prefix: str, cols: list[str]) -> str:
    """SQL building a JSON object of a row's columns (`prefix` is NEW, OLD or a table alias)."""
    chunks = [cols[i : i + _JSON_CHUNK] for i in range(0, len(cols), _JSON_CHUNK)]
    expr = "json_object(" + ", ".join(f"'{c}', {prefix}.\"{c}\"" for c in chunks[0]) + ")"
    for chunk in chunks[1:]:
        pairs = ", ".join(f"'$.{c}', {prefix}.\"{c}\"" for c in chunk)
        expr = f"json_set({expr}, {pairs})"
    return expr


def _entry(table: str, action: str, key: str, changes: str, row: str) -> str:
    return f"""INSERT INTO audit_log (at, actor, action, record_type, record_id, changes, row_hash,
        hash)
    SELECT x.at, x.actor, '{action}', '{table}', {key}, x.changes, x.row_hash,
        audit_chain(x.prev, x.at, x.actor, '{action}', '{table}', {key}, x.changes, x.row_hash)
    FROM (SELECT audit_now() AS at, audit_actor() AS actor, {changes} AS changes,
        {row} AS row_hash,
        coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), X'') AS prev) AS x
    WHERE x.changes IS NOT NULL;"""


def _personal(table: str, key: str, old: str, new: str, cols: tuple[str, ...]) -> str:
    return "".join(
        f"""
    INSERT INTO audit_personal (seq, record_type, record_id, field, old, new)
    SELECT (SELECT max(seq) FROM audit_log), '{table}', {key}, '{c}', {old.format(c=c)},
        {new.format(c=c)}
    WHERE {old.format(c=c)} IS NOT {new.format(c=c)};"""
        for c in cols
    )


def trigger_sql(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """The three audit triggers of one table, by name."""
    cols = columns(conn, table)
    old, new = row_json("OLD", cols), row_json("NEW", cols)
    personal = tuple(c for c in PERSONAL.get(table, ()) if c in cols)
    name = f"audit_{table}"
    insert = _entry(
        table,
        "insert",
        "NEW.rowid",
        f"audit_diff('{table}', NULL, {new})",
        f"audit_row_hash({new})",
    )
    update = _entry(
        table,
        "update",
        "NEW.rowid",
        f"audit_diff('{table}', {old}, {new})",
        f"audit_row_hash({new})",
    )
    delete = _entry(table, "delete", "OLD.rowid", f"audit_diff('{table}', {old}, NULL)", "NULL")
    new_col, old_col = 'NEW."{c}"', 'OLD."{c}"'
    bodies = {
        "insert": insert + _personal(table, "NEW.rowid", "NULL", new_col, personal),
        "update": update + _personal(table, "NEW.rowid", old_col, new_col, personal),
        "delete": delete + _personal(table, "OLD.rowid", old_col, "NULL", personal),
    }
    return {f"{name}_{event}": _trigger(name, event, table, body) for event, body in bodies.items()}


def _trigger(name: str, event: str, table: str, body: str) -> str:
    head = f'CREATE TRIGGER {name}_{event} AFTER {event.upper()} ON "{table}" BEGIN'
    return f"{head}\n    {body}\nEND"


GUARD_TRIGGERS: dict[str, str] = {
    f"{table}_no_{verb.lower()}": (
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} BEGIN "
        f"SELECT RAISE(ABORT, '{message}'); END"
    )
    for table, verb, message in (
        ("audit_log", "UPDATE", "审计日志只能追加，不能修改"),
        ("audit_log", "DELETE", "审计日志只能追加，不能删除"),
        ("record_events", "UPDATE", "处理记录只能追加，不能修改"),
        ("record_events", "DELETE", "处理记录只能追加，不能删除"),
        *(
            (register, "DELETE", "登记的记录不能删除，只能作废")
            for register in ("complaints", "repairs", "transfer_sheets", "work_notices")
        ),
    )
}
"""The trail and the registers' step log refuse changes and deletions; the registers' records
refuse deletion (a record is voided instead, §8)."""


def expected_triggers(conn: sqlite3.Connection) -> dict[str, str]:
    """Every trigger the trail depends on, by name, with its exact SQL."""
    wanted = dict(GUARD_TRIGGERS)
    for table in audited_tables(conn):
        wanted |= trigger_sql(conn, table)
    return wanted


def install_triggers(conn: sqlite3.Connection) -> None:
    """(Re)create every audit trigger from the tables' current columns."""
    for name, sql in expected_triggers(conn).items():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        conn.execute(sql)


# ----- the SQL functions the triggers call


def row_hash(row: str | None) -> bytes | None:
    return None if row is None else hashlib.sha256(row.encode()).digest()


def chain_hash(
    prev: bytes,
    at: str,
    actor: str,
    action: str,
    table: str,
    record_id: int | None,
    changes: str | None,
    row: bytes | None,
) -> bytes:
    """An entry's hash: its own fields and the previous entry's hash."""
    fields = (at, actor, action, table, "" if record_id is None else str(record_id), changes or "")
    text = "\x1f".join(fields).encode()
    return hashlib.sha256(b"".join((prev, b"\x1f", text, b"\x1f", row or b""))).digest()


def diff(table: str, old: str | None, new: str | None) -> str | None:
    """The changed columns as JSON {column: [old, new]}; None when nothing changed.

    Personal and secret columns appear as {column: null}: changed, value kept elsewhere or not
    at all.
    """
    before = json.loads(old) if old else {}
    after = json.loads(new) if new else {}
    hidden = set(PERSONAL.get(table, ())) | set(SECRET.get(table, ()))
    changed: dict[str, object] = {}
    for col in after.keys() | before.keys():
        a, b = before.get(col), after.get(col)
        if a != b:
            changed[col] = None if col in hidden else [a, b]
    if not changed and old is not None and new is not None:
        return None
    return json.dumps(dict(sorted(changed.items())), ensure_ascii=False)


def register_functions(
    conn: sqlite3.Connection,
    actor: Callable[[], str] = lambda: "系统",
    now: Callable[[], datetime] = datetime.now,
) -> None:
    """Make the trail's functions available on a connection (the triggers call them)."""
    conn.create_function("audit_now", 0, lambda: now().isoformat(sep=" ", timespec="seconds"))
    conn.create_function("audit_actor", 0, actor)
    conn.create_function("audit_row_hash", 1, row_hash, deterministic=True)
    conn.create_function("audit_chain", 8, chain_hash, deterministic=True)
    conn.create_function("audit_diff", 3, diff, deterministic=True)


def note(
    conn: sqlite3.Connection,
    action: str,
    subject: str,
    details: dict[str, object],
    record_id: int | None = None,
) -> None:
    """An entry for something that is not a row change (a sign-in, an unmasked export …)."""
    if action in ROW_ACTIONS:
        raise ValueError(f"{action} is reserved for row changes")
    conn.execute(
        """INSERT INTO audit_log (at, actor, action, record_type, record_id, changes, row_hash,
            hash)
        SELECT x.at, x.actor, :action, :subject, :id, :changes, NULL,
            audit_chain(x.prev, x.at, x.actor, :action, :subject, :id, :changes, NULL)
        FROM (SELECT audit_now() AS at, audit_actor() AS actor,
            coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), X'') AS prev) AS x""",
        {
            "action": action,
            "subject": subject,
            "id": record_id,
            "changes": json.dumps(details, ensure_ascii=False, sort_keys=True),
        },
    )


def has_trail(conn: sqlite3.Connection) -> bool:
    """The database has the audit_log table (schema 4 on)."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'"
    ).fetchone()
    return found is not None


def note_in_file(
    path: Path, actor: str, at: datetime, action: str, subject: str, details: dict[str, object]
) -> None:
    """`note` into a database file nobody has open (a restored copy before it is moved in);
    a file from before the trail is left as it is (its baseline comes with the upgrade)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        if has_trail(conn):
            register_functions(conn, actor=lambda: actor, now=lambda: at)
            note(conn, action, subject, details)


def write_baseline(conn: sqlite3.Connection, at: str, actor: str) -> int:
    """One `baseline` entry per existing row, so rows from before the trail can be checked."""
    prev = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    last: bytes = prev[0] if prev else b""
    written = 0
    for table in audited_tables(conn):
        expr = row_json(f'"{table}"', columns(conn, table))
        cur = conn.execute(f'SELECT rowid, {expr} FROM "{table}" ORDER BY rowid')
        while batch := cur.fetchmany(5000):
            entries = []
            for rowid, row in batch:
                digest = row_hash(row)
                last = chain_hash(last, at, actor, "baseline", table, rowid, None, digest)
                entries.append((at, actor, table, rowid, digest, last))
            conn.executemany(
                "INSERT INTO audit_log (at, actor, action, record_type, record_id, changes, "
                "row_hash, hash) VALUES (?, ?, 'baseline', ?, ?, NULL, ?, ?)",
                entries,
            )
            written += len(entries)
    return written
