"""The benchmark: one run on the synthetic estate, one table of figures against the targets.

    python -m bench.make_estate --size large --data-dir bench/.estate/large   # once
    python -m bench.run --data-dir bench/.estate/large

Figures are measured in this one run on this machine, in this order: start-up (bench/startup.py,
as separate processes), the measures that write, on a copy of the estate (bench/writes.py), then
each register's reads. Targets are the issue's; saving a record has none there, so 100 ms p95
is ours. Exits 1 when a target is missed (or a measure could not be taken).
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain.listing import ComplaintFilter, QuickView, Sort  # noqa: E402
from app.domain.repair_listing import RepairFilter, RepairView  # noqa: E402
from app.paths import DataDir  # noqa: E402
from app.services import Services, open_services  # noqa: E402
from bench.accounts import sign_in  # noqa: E402
from bench.startup import MEMORY_TARGET_MB, startup  # noqa: E402
from bench.table import Table, p95, timed  # noqa: E402
from bench.writes import writes  # noqa: E402

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


REPAIR_QUERIES = {
    2: ["漏水", "电梯", "插座", "门锁", "路灯", "跳闸", "地漏", "纱窗", "瓷砖", "水表"],
    3: [
        "下水道",
        "水龙头",
        "灭火器",
        "对讲机",
        "闭门器",
        "声控灯",
        "晾衣架",
        "信报箱",
        "浴霸不",
        "消防栓",
    ],
    4: [
        "电梯困人",
        "马桶水箱",
        "外墙瓷砖",
        "空气开关",
        "铝合金窗",
        "地下车库",
        "应急照明",
        "屋面渗水",
        "入户门锁",
        "请尽快上",
    ],
}


@dataclass
class Register:
    """One register as the benchmark sees it: its service, filters, views, sorts and forms."""

    label: str
    service: Any  # list_ids / count / rows / get / events
    make_filter: Callable[..., Any]
    views: tuple[Any, ...]
    sorts: tuple[Sort, ...]
    queries: dict[int, list[str]]
    model: Callable[[Any], Any]  # the register's lazy Qt table model
    pdf: Callable[[Any], bytes]


def search(reg: Register, table: Table) -> None:
    service = reg.service
    for length, words in reg.queries.items():
        samples: list[float] = []
        hits = 0
        for word in words:
            flt = reg.make_filter(text=word)
            service.list_ids(flt, Sort())  # warm the page cache once per query
            samples += timed(lambda f=flt: service.list_ids(f, Sort()), repeat=5)
            hits += len(service.list_ids(flt, Sort()))
        avg = hits // len(words)
        table.add(
            f"{reg.label}: search p95, {length}-character words ({avg:,} hits avg)",
            p95(samples),
            "ms",
            50,
        )


def views(reg: Register, table: Table) -> None:
    """The slowest quick view x sort, each measured as its best of three runs (its own cost,
    not a moment when the shared machine was busy)."""
    service = reg.service
    worst = 0.0
    for view in reg.views:
        for sort in reg.sorts:
            flt = reg.make_filter(view=view)
            worst = max(worst, min(timed(lambda f=flt, s=sort: service.list_ids(f, s), 3)))
    table.add(f"{reg.label}: list query, slowest quick view x sort", worst, "ms", 100)
    ids = service.list_ids(reg.make_filter(), Sort())
    page = min(timed(lambda: service.rows(ids[-200:]), 5))
    table.add(f"{reg.label}: fetch one page of 200 rows", page, "ms", 100)


def open_record(reg: Register, table: Table) -> None:
    service = reg.service
    ids = service.list_ids(reg.make_filter(), Sort())
    rng = random.Random(1)
    picks = [rng.choice(ids) for _ in range(50)]
    samples = [t for i in picks for t in timed(lambda i=i: (service.get(i), service.events(i)))]
    table.add(f"{reg.label}: open a record (p95)", p95(samples), "ms", 50)


def list_model(reg: Register, table: Table) -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QTableView

    from ui.models.register_table import ReadRestWhenPainted

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
    model = reg.model(reg.service)
    view = QTableView()
    painted = FirstPaint()
    view.viewport().installEventFilter(painted)
    view.setModel(model)
    ReadRestWhenPainted(view, model)  # as the register tabs do
    view.resize(1200, 700)
    view.show()
    while not model.complete:
        app.processEvents()
    done = time.perf_counter()
    assert painted.at is not None
    rows = model.rowCount()
    table.add(
        f"{reg.label}: open the list ({rows:,} rows) to first paint",
        (painted.at - started) * 1000,
        "ms",
        100,
    )
    table.add(f"{reg.label}: … and until every id is read", (done - started) * 1000, "ms")
    started = time.perf_counter()
    view.scrollToBottom()
    app.processEvents()
    table.add(f"{reg.label}: scroll to the end", (time.perf_counter() - started) * 1000, "ms", 100)
    view.close()


def pdf(reg: Register, table: Table) -> None:
    record = reg.service.get(reg.service.list_ids(reg.make_filter(), Sort())[0])
    reg.pdf(record)  # font registration happens once per process
    samples = timed(lambda: reg.pdf(record), repeat=20)
    table.add(f"{reg.label}: form PDF (median)", statistics.median(samples), "ms", 50)
    table.add(f"{reg.label}: form PDF size", len(reg.pdf(record)) / 1024, "KB", 80)


def complaint_model(service: Any) -> Any:
    from ui.models.complaint_table import ComplaintTableModel

    return ComplaintTableModel(service)


def repair_model(service: Any) -> Any:
    from ui.models.repair_table import RepairTableModel

    return RepairTableModel(service)


def registers(services: Services) -> list[Register]:
    return [
        Register(
            "complaints",
            services.complaints,
            ComplaintFilter,
            tuple(QuickView),
            (Sort(), Sort("reply_due_at", False), Sort("status", True)),
            QUERIES,
            complaint_model,
            services.printing.complaint_pdf,
        ),
        Register(
            "repairs",
            services.repairs,
            RepairFilter,
            tuple(RepairView),
            (Sort("reported_at"), Sort("complete_due_at", False), Sort("status", True)),
            REPAIR_QUERIES,
            repair_model,
            services.printing.work_order_pdf,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("bench/.estate/large"))
    parser.add_argument("--startup-runs", type=int, default=5, help="start-ups of each kind")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up measure")
    args = parser.parse_args()
    if not (args.data_dir / "estate.db").exists():
        raise SystemExit(f"no estate at {args.data_dir}: run bench/make_estate.py first")
    table = Table()
    if not args.no_startup:  # first, while no other process has the estate open
        startup(args.data_dir, table, args.startup_runs)
    # Before the reads: signing in on the copy (argon2id takes 64 MB for a moment) while the
    # reads' lists were still held would count a peak the app, signed in once, never has.
    writes(args.data_dir, table)
    services = open_services(DataDir(args.data_dir))
    try:
        sign_in(services)
        complaints = services.complaints.count(ComplaintFilter())
        repairs = services.repairs.count(RepairFilter())
        print(f"{complaints:,} complaints, {repairs:,} repairs in {args.data_dir}")
        for reg in registers(services):
            if reg.service.count(reg.make_filter()) == 0:
                continue
            for measure in (search, views, open_record, list_model, pdf):
                measure(reg, table)
    finally:
        services.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table.add("peak memory of the benchmark (whole run)", peak, "MB", MEMORY_TARGET_MB)
    return 0 if table.print() else 1


if __name__ == "__main__":
    sys.exit(main())
