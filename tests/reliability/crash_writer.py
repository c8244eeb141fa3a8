"""The writer process the crash tests kill with SIGKILL (POSIX only: it forks).

Run from the repository root as `python -m tests.reliability.crash_writer DATA_DIR`. It imports
the app once (the slow part, over a second), prints `ready`, then for each command read from
stdin forks a fresh writer, waits for it to die and prints `exit PID STATUS`. Each writer opens
the data folder as the app does (guard, then services: its own SQLite connections, opened after
the fork) and prints `start PID` first. Commands:

    register RUN        register complaints in a loop; `ack NO TOKEN` after each commit
    import RUN FILE     import the file; `tx` once its write transaction has begun and
                        `imported N` after it committed

A writer that gets to the end closes the folder as the app does, prints `closed` and waits to
be killed: the server reaps only dead writers, so the test's SIGKILL can never reach another
process that took a reaped writer's pid. Every line is one small write() to a pipe (see `say`),
so it arrives whole or not at all, and all of a writer's lines arrive before the server's
`exit` line.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from app.db.guard import open_guard
from app.domain.complaint import Complaint, Urgency
from app.paths import DataDir
from app.services import Services
from tests.accounts_support import open_signed_in

FRIDAY = datetime(2026, 11, 20, 9, 30)
GIVE_UP_AFTER = 60.0  # seconds: a writer nobody kills (the test failed) ends by itself


def say(line: str) -> None:
    """One line in one write(): print() makes two (the text, then the newline) when Python runs
    unbuffered (PYTHONUNBUFFERED), and a kill between them would leave half a line."""
    data = (line[:500] + "\n").encode("utf-8")
    assert len(data) < 4096  # PIPE_BUF: a pipe writes it whole or not at all
    os.write(sys.stdout.fileno(), data)


def content_for(token: str) -> str:
    return f"停电测试 {token}"


def register_forever(services: Services, run: str) -> None:
    deadline = time.monotonic() + GIVE_UP_AFTER
    i = 0
    while time.monotonic() < deadline:
        token = f"{run}.{i}"
        c = services.complaints.register(
            Complaint(
                received_at=FRIDAY,
                content=content_for(token),
                urgency=Urgency.NOT_URGENT,
                complainant="张三",
            )
        )
        say(f"ack {c.no} {token}")
        i += 1


def import_once(services: Services, source: Path) -> None:
    database = services.database
    begin = database.transaction

    @contextmanager
    def announced() -> Iterator[object]:
        outer = database._depth == 0
        with begin() as conn:
            if outer:
                say("tx")
            yield conn

    database.transaction = announced  # type: ignore[method-assign]
    report = services.exchange.import_file(source)
    say(f"imported {report.imported}")


def write(root: Path, command: str, args: list[str]) -> None:
    say(f"start {os.getpid()}")
    data_dir = DataDir(root)
    guard = open_guard(data_dir.root, data_dir.database)
    if not guard.health.ok:
        say("unhealthy " + " | ".join(guard.health.problems))
        return
    say("unclean" if guard.health.unclean else "clean")
    services = open_signed_in(data_dir)
    if command == "register":
        register_forever(services, args[0])
    elif command == "import":
        import_once(services, Path(args[1]))
    services.close()
    guard.close()
    say("closed")
    time.sleep(GIVE_UP_AFTER)


def serve(root: Path) -> None:
    say("ready")
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            return
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                write(root, parts[0], parts[1:])
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        say(f"exit {pid} {status}")


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
