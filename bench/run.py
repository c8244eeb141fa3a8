"""The benchmark: one run on the synthetic estate, one table of figures against the targets.

    python bench/make_estate.py --data-dir bench/.estate/large     # once (about 3 minutes)
    python bench/run.py --data-dir bench/.estate/large

Figures are measured in this one run on this machine; targets are the issue's. Exits 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain.listing import ComplaintFilter, QuickView, Sort  # noqa: E402
from app.paths import DataDir  # noqa: E402
from app.services import Services, open_services  # noqa: E402

QUERIES = {
    2: ["电梯", "漏水", "停电", "噪音", "车位", "垃圾", "门禁", "物业", "外墙", "快递"],
    3: [
        "下水道",
        "垃圾桶",
        "消防通",
        "电动车",
        "物业费",
        "对讲机",
        "停车费",
        "地下车",
        "楼梯扶",
        "水压太",
    ],
    4: [
        "电梯困人",
        "装修噪音",
        "积水未清",
        "道闸不抬",
        "违章搭建",
        "垃圾房垃",
        "多次反映",
        "希望尽快",
        "晚上尤其",
        "门岗无人",
    ],
}


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    """Milliseconds per call."""
    result = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        result.append((time.perf_counter() - started) * 1000)
    return result


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool]] = []

    def add(self, name: str, value: float, unit: str, target: float | None = None) -> None:
        ok = target is None or value <= target
        shown = f"{value:,.1f} {unit}"
        self.rows.append((name, shown, "" if target is None else f"≤ {target:g} {unit}", ok))

    def print(self) -> bool:
        width = max(len(r[0]) for r in self.rows)
        print(f"| {'measure':<{width}} | value | target | ok |")
        print(f"|{'-' * (width + 2)}|-------|--------|----|")
        for name, value, target, ok in self.rows:
            print(f"| {name:<{width}} | {value} | {target} | {'yes' if ok else 'NO'} |")
        return all(r[3] for r in self.rows)


def search(services: Services, table: Table) -> None:
    complaints = services.complaints
    for length, words in QUERIES.items():
        samples: list[float] = []
        hits = 0
        for word in words:
            flt = ComplaintFilter(text=word)
            complaints.list_ids(flt, Sort())  # warm the page cache once per query
            samples += timed(lambda f=flt: complaints.list_ids(f, Sort()), repeat=5)
            hits += len(complaints.list_ids(flt, Sort()))
        table.add(
            f"search p95, {length}-character words ({hits // len(words):,} hits avg)",
            p95(samples),
            "ms",
            50,
        )


def views(services: Services, table: Table) -> None:
    complaints = services.complaints
    worst = 0.0
    for view in QuickView:
        for sort in (Sort(), Sort("reply_due_at", False), Sort("status", True)):
            worst = max(
                worst,
                *timed(
                    lambda v=view, s=sort: complaints.list_ids(ComplaintFilter(view=v), s), repeat=3
                ),
            )
    table.add("list query, worst quick view x sort", worst, "ms", 100)
    ids = complaints.list_ids(ComplaintFilter(), Sort())
    table.add(
        "fetch one page of 200 rows", min(timed(lambda: complaints.rows(ids[-200:]), 5)), "ms", 100
    )


def open_record(services: Services, table: Table) -> None:
    complaints = services.complaints
    ids = complaints.list_ids(ComplaintFilter(), Sort())
    rng = random.Random(1)
    picks = [rng.choice(ids) for _ in range(50)]
    samples = [
        t for i in picks for t in timed(lambda i=i: (complaints.get(i), complaints.events(i)))
    ]
    table.add("open a record (p95)", p95(samples), "ms", 50)


def list_model(services: Services, table: Table) -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QTableView

    from ui.models.complaint_table import ComplaintTableModel

    class FirstPaint(QObject):
        at: float | None = None

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and self.at is None:
                self.at = time.perf_counter()
            return False

    app = QApplication.instance() or QApplication(sys.argv[:1])
    warm = QTableView()  # Qt's one-off start-up (styles, fonts) is not the list's cost
    warm.show()
    app.processEvents()
    warm.close()
    started = time.perf_counter()
    model = ComplaintTableModel(services.complaints)
    view = QTableView()
    painted = FirstPaint()
    view.viewport().installEventFilter(painted)
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    while not model.complete:
        app.processEvents()
    done = time.perf_counter()
    assert painted.at is not None
    table.add(
        f"open the list ({model.rowCount():,} rows) to first paint",
        (painted.at - started) * 1000,
        "ms",
        100,
    )
    table.add("… and until every id is read", (done - started) * 1000, "ms")
    started = time.perf_counter()
    view.scrollToBottom()
    app.processEvents()
    table.add("scroll to the end", (time.perf_counter() - started) * 1000, "ms", 100)
    view.close()


def pdf(services: Services, table: Table) -> None:
    complaints = services.complaints
    c = complaints.get(complaints.list_ids(ComplaintFilter(), Sort())[0])
    services.printing.complaint_pdf(c)  # font registration happens once per process
    samples = timed(lambda: services.printing.complaint_pdf(c), repeat=20)
    table.add("complaint form PDF (median)", statistics.median(samples), "ms", 50)
    table.add("complaint form PDF size", len(services.printing.complaint_pdf(c)) / 1024, "KB", 80)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("bench/.estate/large"))
    args = parser.parse_args()
    if not (args.data_dir / "estate.db").exists():
        raise SystemExit(f"no estate at {args.data_dir}: run bench/make_estate.py first")
    services = open_services(DataDir(args.data_dir))
    table = Table()
    try:
        print(f"{services.complaints.store.count():,} complaints in {args.data_dir}")
        search(services, table)
        views(services, table)
        open_record(services, table)
        list_model(services, table)
        pdf(services, table)
    finally:
        services.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table.add("peak memory (whole run)", peak, "MB", 250)
    return 0 if table.print() else 1


if __name__ == "__main__":
    sys.exit(main())
