"""The app-wide change bus: after a service call the UI announces what changed, and each tab
decides whether to reload (rule 3 of the house)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeBus(QObject):
    changed = Signal(str)  # "complaints", "escalation", "reference", "settings"
