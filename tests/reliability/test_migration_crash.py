"""kill -9 while a schema-3 database is upgraded to schema 4 (accounts and the audit trail, with
a baseline entry written for every existing row): afterwards the file holds the old schema
untouched or the new one complete, never a mix, and the next start finishes the upgrade.

The database is the schema-3 fixture with some thousands of complaints added, so the upgrade
takes about a second; the writer (tests/reliability/migration_writer.py) is a real process,
killed at seeded moments spread over the measured length of one upgrade.
"""

from __future__ import annotations

import contextlib
import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db import audit
from app.db.audit_check import verify
from app.db.backup_files import read_backup
from app.db.connection import Database, open_database
from tests.fixtures.make_fixtures import many_complaints

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL (POSIX)"),
]

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "schema_v3.db"
COMPLAINTS = 3000
KILLS = 10
AIMS = ("anywhere", "baseline", "commit")  # where each kill is aimed, in turn
WAIT = 60.0
NEW_TABLES = {"users", "audit_log", "audit_personal"}


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows of every ordinary table (the search index's own tables left out)."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%search%'"
        )
    ]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture(scope="module")
def schema3(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A schema-3 database with COMPLAINTS more complaints, and its row counts."""
    path = tmp_path_factory.mktemp("v3") / "estate.db"
    shutil.copy(FIXTURE, path)
    conn = sqlite3.connect(path, isolation_level=None)
    many_complaints(conn, COMPLAINTS)
    before = counts(conn)
    conn.close()
    assert before["complaints"] > COMPLAINTS and before["repairs"] > 0
    return path, before


class Upgrader:
    """The migration_writer server: a database path in, a forked upgrader's lines out, each
    with the moment it arrived."""

    def __init__(self, errors: Path) -> None:
        self.errors = errors
        with errors.open("w", encoding="utf-8") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.migration_writer"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
        self.lines: queue.Queue[tuple[str, float] | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.pid: int | None = None  # the upgrader not yet seen to exit
        self.seen: dict[str, float] = {}
        self.wait_for("ready")

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for text in self.process.stdout:
            self.lines.put((text.strip(), time.monotonic()))
        self.lines.put(None)

    def wait_for(self, wanted: str) -> float:
        """When the line starting with `wanted` arrived (waiting for it if need be)."""
        while not (found := [at for text, at in self.seen.items() if text.startswith(wanted)]):
            try:
                item = self.lines.get(timeout=WAIT)
            except queue.Empty:
                item = None
            if item is None or (item[0].startswith("exit ") and not wanted.startswith("exit")):
                pytest.fail(f"no “{wanted}” from the upgrader:\n{self.errors.read_text()}")
            self.seen[item[0]] = item[1]
        return found[0]

    def upgrade(self, database: Path) -> float:
        """Fork an upgrader on `database`; when it started."""
        assert self.process.stdin is not None
        self.seen = {}
        self.process.stdin.write(f"{database}\n")
        self.process.stdin.flush()
        began = self.wait_for("start ")
        self.pid = int(next(t for t in self.seen if t.startswith("start ")).split()[1])
        return began

    def kill(self) -> set[str]:
        """SIGKILL the upgrader (alive, or dead and not yet reaped); the lines it printed."""
        assert self.pid is not None
        os.kill(self.pid, signal.SIGKILL)
        status = self.wait_for(f"exit {self.pid} ") and next(
            int(t.split()[2]) for t in self.seen if t.startswith(f"exit {self.pid} ")
        )
        self.pid = None
        assert os.WIFSIGNALED(status), self.errors.read_text()
        return set(self.seen)

    def close(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        if self.process.stdin is not None:
            self.process.stdin.close()  # the server stops at the end of its input
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def upgrader(tmp_path: Path) -> Iterator[Upgrader]:
    server = Upgrader(tmp_path / "upgrader-stderr.txt")
    try:
        yield server
    finally:
        server.close()


def state_after(path: Path, before: dict[str, int]) -> int:
    """The schema the file was left at (3 or 4), after checking it is wholly that schema."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        now = counts(conn)
        columns = {row[1] for row in conn.execute("PRAGMA table_info(complaints)")}
        triggers = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'"
        ).fetchone()[0]
    finally:
        conn.close()
    if version == 3:
        assert now == before  # the old schema, every row as it was
        assert not {"voided_at", "anonymised_at"} & columns and triggers == 0
    else:
        assert version == 4, f"schema {version}"
        assert now.keys() >= NEW_TABLES and {"voided_at", "anonymised_at"} <= columns
        assert {t: now[t] for t in before} == before
        check_v4(path, before)
    return int(version)


def check_v4(path: Path, before: dict[str, int]) -> None:
    """Schema 4 complete: a baseline entry for every row that was there, the trail verifies."""
    db = Database(path)
    try:
        audited = sum(n for t, n in before.items() if t in audit.audited_tables(db.conn))
        baseline = db.scalar("SELECT count(*) FROM audit_log WHERE action = 'baseline'")
        assert baseline == audited
        report = verify(db.conn)
        assert report.ok, report.problems
    finally:
        db.close()


def test_killed_while_upgrading_the_file_holds_the_old_schema_or_the_new_one(
    schema3: tuple[Path, dict[str, int]], tmp_path: Path, upgrader: Upgrader
) -> None:
    source, before = schema3
    rng = random.Random(20261123)
    started = time.monotonic()

    def fresh_copy(name: str) -> Path:
        path = tmp_path / name / "estate.db"
        path.parent.mkdir()
        shutil.copy(source, path)
        return path

    path = fresh_copy("measure")  # one upgrade left to finish shows how long each part takes
    begun = upgrader.upgrade(path)
    done = upgrader.wait_for("migrated")
    baseline, committing = upgrader.wait_for("baseline"), upgrader.wait_for("committing")
    upgrader.kill()
    whole, writing, committed = done - begun, committing - baseline, done - committing
    assert state_after(path, before) == 4
    landed: list[tuple[str, str, int]] = []  # (aimed at, the last line seen, schema left)
    for kill in range(KILLS):
        path = fresh_copy(f"kill{kill}")
        upgrader.upgrade(path)
        aim = AIMS[kill % len(AIMS)]
        if aim == "anywhere":  # spread over the upgrade's whole length
            time.sleep(rng.uniform(kill / KILLS, (kill + 1) / KILLS) * whole)
        elif aim == "baseline":  # while the baseline is written, most of the transaction
            upgrader.wait_for("baseline")
            time.sleep(rng.uniform(0.0, writing))
        else:  # around the commit: sometimes before it ends, sometimes after
            upgrader.wait_for("committing")
            time.sleep(rng.uniform(0.0, 2 * committed))
        seen = upgrader.kill()
        last = next((p for p in ("migrated", "committing", "baseline") if p in seen), "backup")
        landed.append((aim, last, state_after(path, before)))
        for backup in (path.parent / "backups").glob("*.db"):
            assert read_backup(backup).schema_version == 3  # a file named as a backup is whole
        open_database(path).close()  # the next start finishes the upgrade
        assert state_after(path, before) == 4
    assert any(aim == "baseline" and version == 3 for aim, _, version in landed)
    print(
        f"\nupgrade of {before['complaints']} complaints: {whole:.2f} s, baseline {writing:.2f} s,"
        f" commit {committed:.3f} s;"
        f" kills (aimed, last line, schema left): {landed}; {time.monotonic() - started:.1f} s"
    )
