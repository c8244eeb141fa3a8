"""Opening the one SQLite file: pragmas, explicit transactions, migrations at start-up."""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.db import audit, migrations, planner_stats
from app.db.errors import translate_storage_error

if TYPE_CHECKING:
    import sqlite_utils

Params = tuple[Any, ...] | list[Any] | dict[str, Any]


class Database:
    """The app's database: a sqlite-utils Database with explicit, all-or-nothing transactions.

    The connection runs in autocommit mode; `transaction()` wraps writes in BEGIN IMMEDIATE …
    COMMIT, rolling back on any error so nothing is half-written.

    `actor` and `clock` say who and when for the audit trail's entries (app.db.audit); the
    session sets `actor` to the signed-in user.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        self.actor = "系统"
        self.clock: Callable[[], datetime] = datetime.now
        conn = _connect(str(path))
        audit.register_functions(conn, actor=lambda: self.actor, now=lambda: self.clock())
        # INSERT OR REPLACE then runs the delete trigger of the row it replaces
        conn.execute("PRAGMA recursive_triggers = ON")
        if self.path is not None:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        self.conn = conn
        self._depth = 0
        self._owner = threading.get_ident()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    def reader(self) -> sqlite3.Connection:
        """The connection to read with on this thread.

        The thread that opened the database reads through its own connection; any other
        thread (e.g. the list's background query) gets a read-only connection of its own.
        In WAL mode readers see committed data and never block the writer.
        """
        if threading.get_ident() == self._owner or self.path is None:
            return self.conn
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(f"file:{self.path.as_posix()}?mode=ro", uri=True)
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the write connection, for table-level conveniences. Imported on
        first use: sqlite-utils loads numpy when it is installed (about 0.5 s at start-up)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    @contextmanager
    def acting_as(self, actor: str) -> Iterator[None]:
        """Entries written inside name `actor` (e.g. a failed sign-in before anyone is in)."""
        before, self.actor = self.actor, actor
        try:
            yield
        finally:
            self.actor = before

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside commit together or not at all. Nested use joins the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        if threading.get_ident() != self._owner:
            raise RuntimeError("writes must run on the thread that opened the database")
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            # After SQLITE_FULL or SQLITE_IOERR SQLite may already have rolled back.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            storage = translate_storage_error(exc)
            if storage is None or storage is exc:
                raise
            raise storage from exc
        finally:
            self._depth = 0

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """Rows as dicts (column name → value)."""
        cur = self.reader().execute(sql, params)
        cols = [d[0] for d in cur.description or ()]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.reader().execute(sql, params).fetchone()
        return None if row is None else row[0]

    def close(self) -> None:
        """Close every connection; first let SQLite refresh its planner statistics where the
        tables have grown or changed (cheap when nothing did)."""
        with suppress(sqlite3.Error):
            # a sample of each index is enough for the planner; a full ANALYZE of a large
            # file took ~0.9 s at every exit
            self.conn.execute("PRAGMA analysis_limit = 400")
            self.conn.execute("PRAGMA optimize")
            planner_stats.forget_search_statistics(self.conn)
        with self._readers_lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
        self.conn.close()


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(
        target, uri=uri, isolation_level=None, check_same_thread=False, timeout=5.0
    )
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MB: the list's indexes stay in memory
    conn.execute("PRAGMA temp_store = MEMORY")
    audit.register_functions(conn)
    return conn


def open_database(path: Path | str) -> Database:
    """Open (creating if needed) and bring the schema up to date."""
    database = Database(path)
    try:
        migrations.migrate(database)
        planner_stats.forget_search_statistics(database.conn)  # a file written by older versions
    except BaseException:
        database.close()
        raise
    return database
