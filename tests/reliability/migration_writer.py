"""The process the migration kill test kills with SIGKILL (POSIX only: it forks).

Run from the repository root as `python -m tests.reliability.migration_writer`. It imports the
app once, prints `ready`, then for each database path read from stdin forks an upgrader, waits
for it to die and prints `exit PID STATUS`. The upgrader opens the schema-3 database as the app
does (open_database: a backup first, then the migration to schema 4 in one transaction) and
prints, each line in one write() so that a kill never leaves half of one:

    start PID   the upgrade begins
    baseline    schema 4's tables and triggers are in; the baseline entries are being written
    committing  every step is done; the transaction commits next
    migrated    open_database returned: the upgrade is committed

then waits to be killed, so the test's SIGKILL can never reach a process that took the pid of
an upgrader already reaped (as tests/reliability/crash_writer.py does).
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

from app.db import migrations, schema_v4
from app.db.connection import open_database

GIVE_UP_AFTER = 60.0  # seconds: an upgrader nobody kills (the test failed) ends by itself


def say(line: str) -> None:
    os.write(sys.stdout.fileno(), (line + "\n").encode())


def announcing(line: str) -> migrations.Step:
    def step(_conn: object) -> None:
        say(line)

    return step


def upgrade(path: Path) -> None:
    *tables, start_trail = schema_v4.STEPS
    announced = (*tables, announcing("baseline"), start_trail, announcing("committing"))
    migrations.MIGRATIONS = (*migrations.MIGRATIONS[:3], announced)
    say(f"start {os.getpid()}")
    database = open_database(path)
    say("migrated")
    database.close()
    time.sleep(GIVE_UP_AFTER)


def serve() -> None:
    say("ready")
    for line in sys.stdin:
        if not line.strip():
            return
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                upgrade(Path(line.strip()))
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        say(f"exit {pid} {status}")


if __name__ == "__main__":
    serve()
