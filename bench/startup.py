"""Start-up to first paint, as a ratio to a bare PySide6 window measured the same way.

Each run is its own process, offscreen: `python -m app --startup-probe` (the signed-in main
window on the estate, until the complaint list has painted; counted from when the program's own
code began loading) and `python -m ui.startup_probe --bare` (an empty QMainWindow, counted from
that module's first line, before PySide6 is imported). The bare window is not started through
`app`: `app --startup-probe --bare` would count the command line's own imports in the bare
figure. Runs alternate, after one unmeasured run of each (so both find their files in the OS
cache and their modules compiled, as in an installed copy, even where PYTHONDONTWRITEBYTECODE
is set); the table gives the medians and their ratio.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.accounts import PASSWORD, USER
from bench.table import Table

RATIO_TARGET = 2.0
MEMORY_TARGET_MB = 250


class ProbeError(Exception):
    pass


def probe(data_dir: Path, *, bare: bool) -> dict[str, float]:
    """One start-up: its figures in milliseconds, by name (startup_ms, and sign_in_ms for the
    app)."""
    if bare:
        command = [sys.executable, "-m", "ui.startup_probe", "--bare"]
    else:
        command = [sys.executable, "-m", "app", "--data-dir", str(data_dir), "--startup-probe"]
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "ESTATE_OFFICE_USER": USER,
        "ESTATE_OFFICE_PASSWORD": PASSWORD,
        # Compiled once and kept, as an installed copy's are (outside the source tree).
        "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "estate-bench-pycache"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    figures = {
        name: float(value)
        for name, _, value in (line.partition("=") for line in done.stdout.splitlines())
        if name.endswith("_ms")
    }
    if "startup_ms" in figures:
        return figures
    why = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
    raise ProbeError(why)


def startup(data_dir: Path, table: Table, runs: int = 5) -> None:
    label = "start-up to first paint of the complaint list"
    try:
        probe(data_dir, bare=True)
        probe(data_dir, bare=False)
        bare, full, signing_in = [], [], []
        for _ in range(runs):
            bare.append(probe(data_dir, bare=True)["startup_ms"])
            app = probe(data_dir, bare=False)
            full.append(app["startup_ms"])
            signing_in.append(app.get("sign_in_ms", 0.0))
    except (ProbeError, subprocess.TimeoutExpired, OSError) as e:
        table.failed(label, str(e), f"≤ {RATIO_TARGET:g}x bare")
        return
    app_ms, bare_ms = statistics.median(full), statistics.median(bare)
    table.add(f"{label} (median of {runs})", app_ms, "ms")
    table.add(
        "… of it signing in (argon2id; the window's modules load meanwhile)",
        statistics.median(signing_in),
        "ms",
    )
    table.add(f"bare PySide6 window to first paint (median of {runs})", bare_ms, "ms")
    table.add("start-up as a ratio to the bare window", app_ms / bare_ms, "x", RATIO_TARGET)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    table.add("peak memory of the app at start-up", peak, "MB", MEMORY_TARGET_MB)
