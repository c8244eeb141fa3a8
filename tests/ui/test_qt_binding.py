"""The Qt binding itself: a release that leaks or frees references would abort the app after
a day's use (PySide6 6.12.0 lost a reference to True on every signal emitted from Python)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Bus(QObject):
    changed = Signal(str)


def test_emitting_signals_keeps_the_reference_count_of_true(qtbot) -> None:  # noqa: ARG001
    bus = _Bus()
    seen: list[str] = []
    bus.changed.connect(seen.append)
    before = sys.getrefcount(True)
    for _ in range(300):
        bus.changed.emit("complaints")
    assert len(seen) == 300
    assert abs(sys.getrefcount(True) - before) < 50
