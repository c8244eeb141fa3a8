"""kill -9 of a writer at random moments: no acknowledged record lost, never a partial import,
integrity_check always ok, numbers never reused.

The writers are real processes on a real WAL + synchronous=FULL database in a temporary folder.
They are forked from a server that imported the app once (tests/reliability/crash_writer.py),
so a kill costs milliseconds instead of an interpreter start.
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

from app.db.guard import open_guard
from app.domain.complaint import Complaint, Urgency
from app.paths import DataDir
from tests.accounts_support import open_signed_in
from tests.reliability.crash_writer import FRIDAY, content_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL of forked writers (POSIX)"),
]

ROOT = Path(__file__).resolve().parents[2]
REGISTER_KILLS = 25
IMPORT_KILLS = 10  # kills that must land before the import finished
IMPORT_ATTEMPTS = 40  # at most: on a loaded machine a kill aimed early may land late
IMPORT_ROWS = 2000
AIMS = ("anywhere", "writing", "commit")  # where an import's kill is aimed, in turn
WAIT = 60.0  # seconds for any one line before the test gives up


@dataclass
class Line:
    text: str
    at: float


@dataclass
class WriterServer:
    """The crash_writer server: one command in, a forked writer's lines and its exit out."""

    process: subprocess.Popen[str]
    errors: Path
    lines: queue.Queue[Line | None] = field(default_factory=queue.Queue)
    writer: int | None = None  # the pid of the writer not yet seen to exit
    recent: collections.deque[str] = field(default_factory=lambda: collections.deque(maxlen=20))

    def start_reading(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None

        def pump(stream: IO[str]) -> None:
            for text in stream:
                self.lines.put(Line(text.rstrip("\n"), time.monotonic()))
            self.lines.put(None)

        threading.Thread(target=pump, args=(stdout,), daemon=True).start()

    def next_line(self) -> Line:
        try:
            line = self.lines.get(timeout=WAIT)
        except queue.Empty:
            line = None
        if line is None:
            last = "\n".join(self.recent)
            pytest.fail(f"the writer server went quiet after:\n{last}\n{self.stderr()}")
        self.recent.append(line.text)
        return line

    def send(self, command: str) -> tuple[int, float]:
        """Fork a writer; its pid and when it started."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(command + "\n")
        stdin.flush()
        line = self.next_line()
        kind, _, pid = line.text.partition(" ")
        assert kind == "start", line.text
        self.writer = int(pid)
        return self.writer, line.at

    def read_until(self, pid: int, text: str) -> list[Line]:
        """The writer's lines up to the one that is `text`, or up to its exit."""
        lines = []
        while True:
            line = self.next_line()
            assert not line.text.startswith("unhealthy"), line.text
            assert line.text.count("exit ") <= line.text.startswith("exit "), "half a line"
            lines.append(line)
            if line.text == text or line.text.startswith(f"exit {pid} "):
                return lines

    def kill_writer(self, seen: list[Line] | None = None) -> list[Line]:
        """SIGKILL the writer; everything it printed (after the lines already `seen`)."""
        pid = self.writer
        assert pid is not None
        os.kill(pid, signal.SIGKILL)  # alive, or dead and not yet reaped: never someone else
        lines = list(seen or [])
        if not (lines and lines[-1].text.startswith(f"exit {pid} ")):
            lines += self.read_until(pid, f"exit {pid}")
        self.writer = None
        status = int(lines.pop().text.split()[2])
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            pytest.fail(f"the writer ended by itself ({status}):\n" + self.stderr())
        return lines

    def stderr(self) -> str:
        return self.errors.read_text("utf-8")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WriterServer]:
    errors = tmp_path / "writer-stderr.txt"
    with errors.open("w", encoding="utf-8") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_writer", str(tmp_path / "data")],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            encoding="utf-8",
        )
    writer = WriterServer(process, errors)
    writer.start_reading()
    try:
        assert writer.next_line().text == "ready"
        yield writer
    finally:
        if writer.writer is not None:  # a failed test left one running
            with contextlib.suppress(ProcessLookupError):
                os.kill(writer.writer, signal.SIGKILL)
        if process.stdin is not None:
            process.stdin.close()  # the server stops at the end of its input
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def reopen_and_check(
    root: Path, sql: str, params: tuple[object, ...] = ()
) -> tuple[bool, list[tuple[object, ...]]]:
    """Start as the app does (the killed writer's lock must not block), check everything.
    Whether the start found the crash (the writer's marker), and the rows of `sql`."""
    data_dir = DataDir(root)
    guard = open_guard(root, data_dir.database)
    assert guard.health.ok, guard.health.problems
    services = open_signed_in(data_dir)
    try:
        conn = services.database.conn
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        counted = "SELECT count(*), count(DISTINCT no) FROM complaints"
        complaints, distinct = conn.execute(counted).fetchone()
        assert complaints == distinct  # no number twice
        events = "SELECT count(*) FROM record_events WHERE register = 'complaint'"
        assert conn.execute(events).fetchone()[0] == complaints  # each saved with its event
        indexed = conn.execute("SELECT count(*) FROM complaint_search").fetchone()[0]
        assert indexed == complaints  # and its search entry
        rows = conn.execute(sql, params).fetchall()
    finally:
        services.close()
    guard.close()
    return guard.health.unclean, rows


def test_killed_while_registering_no_acknowledged_complaint_is_lost(
    server: WriterServer, tmp_path: Path
) -> None:
    rng = random.Random(20261122)
    root = tmp_path / "data"
    acknowledged: dict[str, str] = {}  # 编号 → the token its content carries
    unclean_starts = 0
    started = time.monotonic()
    for run in range(REGISTER_KILLS):
        server.send(f"register {run}")
        time.sleep(rng.uniform(0.0, 0.25))
        for line in server.kill_writer():
            if line.text.startswith("ack "):
                _, no, token = line.text.split()
                assert no not in acknowledged, f"{no} was given out twice"
                acknowledged[no] = token
        unclean, rows = reopen_and_check(root, "SELECT no, content FROM complaints")
        unclean_starts += unclean
        stored = dict(rows)
        lost = [no for no, token in acknowledged.items() if stored.get(no) != content_for(token)]
        assert not lost, f"acknowledged but lost after kill {run}: {lost[:10]}"
    highest = max(int(no.rsplit("-", 1)[1]) for no in acknowledged)
    data_dir = DataDir(root)
    services = open_signed_in(data_dir)
    try:
        after = services.complaints.register(
            Complaint(received_at=FRIDAY, content="后来", urgency=Urgency.URGENT, complainant="李")
        )
    finally:
        services.close()
    assert int(after.no.rsplit("-", 1)[1]) > highest  # an acknowledged number is never reissued
    assert len(acknowledged) >= REGISTER_KILLS  # the writers got real work done between kills
    assert unclean_starts >= REGISTER_KILLS // 2  # and the next start saw the crash
    print(
        f"\nregister: {REGISTER_KILLS} kills, {len(acknowledged)} acknowledged complaints, "
        f"{unclean_starts} unclean starts, {time.monotonic() - started:.1f} s"
    )


def write_import_file(folder: Path, batch: int) -> Path:
    rows = [
        f"2026-11-{1 + i % 20:02d} {8 + i % 10:02d}:{i % 60:02d},住户{i},"
        f"批次{batch:02d}-{i} 楼道漏水,不紧急"
        for i in range(IMPORT_ROWS)
    ]
    path = folder / f"batch{batch:02d}.csv"
    path.write_text("登记时间,投诉人,投诉内容,紧急程度\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def batch_and_total(root: Path, batch: int) -> tuple[int, int]:
    sql = "SELECT coalesce(sum(content LIKE ?), 0), count(*) FROM complaints"
    _, [(rows, total)] = reopen_and_check(root, sql, (f"批次{batch:02d}-%",))
    return int(rows), int(total)  # type: ignore[call-overload]


def test_killed_while_importing_the_register_holds_all_of_the_file_or_none(
    server: WriterServer, tmp_path: Path
) -> None:
    rng = random.Random(112220)
    root = tmp_path / "data"
    started = time.monotonic()
    # One import left to finish: the whole file goes in, and it shows how long each phase takes.
    pid, began = server.send(f"import 0 {write_import_file(tmp_path, 0)}")
    lines = server.kill_writer(server.read_until(pid, "closed"))
    at = {line.text.split()[0]: line.at for line in lines}
    whole, writing = at["imported"] - began, at["imported"] - at["tx"]
    assert batch_and_total(root, 0) == (IMPORT_ROWS, IMPORT_ROWS)
    expected_total, cut_short = IMPORT_ROWS, 0
    outcomes: list[tuple[str, int]] = []  # (where the kill landed, rows stored)
    batch = 0
    while cut_short < IMPORT_KILLS or not any(
        aim == "writing" and stored == 0 for aim, stored in outcomes
    ):
        batch += 1
        assert batch <= IMPORT_ATTEMPTS, f"only {cut_short} kills landed before the end"
        pid, began = server.send(f"import {batch} {write_import_file(tmp_path, batch)}")
        aim = AIMS[batch % len(AIMS)]
        seen = [] if aim == "anywhere" else server.read_until(pid, "tx")
        if aim == "anywhere":
            time.sleep(rng.uniform(0.0, 0.9 * whole))
        elif aim == "writing":
            time.sleep(rng.uniform(0.0, 0.9 * writing))
        else:  # around the commit: sometimes just before, sometimes just after
            time.sleep(rng.uniform(0.8 * writing, 1.2 * writing))
        lines = server.kill_writer(seen)
        finished = any(line.text.startswith("imported ") for line in lines)
        cut_short += not finished
        stored, total = batch_and_total(root, batch)
        assert stored in (0, IMPORT_ROWS), f"a partial import: {stored} rows of batch {batch}"
        assert stored == IMPORT_ROWS or not finished  # an acknowledged import is all there
        expected_total += stored
        assert total == expected_total
        outcomes.append((aim, stored))
    nothing = sum(1 for _, stored in outcomes if stored == 0)
    print(
        f"\nimport: {batch} kills, {cut_short} before the import finished: "
        f"{nothing} left nothing, {batch - nothing} all {IMPORT_ROWS} rows; "
        f"one import {whole:.2f} s (writing {writing:.2f} s); {time.monotonic() - started:.1f} s"
    )
