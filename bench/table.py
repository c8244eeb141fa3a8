"""The benchmark's one table: each measure, its value, its target and whether it was met."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


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
        shown = f"{value:,.1f} {unit}".rstrip()
        self.rows.append((name, shown, "" if target is None else f"≤ {target:g} {unit}", ok))

    def failed(self, name: str, why: str, target: str) -> None:
        """A measure that could not be taken counts as a missed target."""
        self.rows.append((name, f"failed: {why}", target, False))

    def print(self) -> bool:
        """Print the table (markdown); True when every target was met."""
        width = max(len(r[0]) for r in self.rows)
        print(f"| {'measure':<{width}} | value | target | ok |")
        print(f"|{'-' * (width + 2)}|-------|--------|----|")
        for name, value, target, ok in self.rows:
            print(f"| {name:<{width}} | {value} | {target} | {'yes' if ok else 'NO'} |")
        return all(r[3] for r in self.rows)
