"""The main window's tabs, each built the first time it is shown or asked for.

Building a register tab loads its modules and queries its list, so only the tab the window
opens on is built before the first paint. The others are built when the user switches to them,
when code asks for them (`pages["报修维修"]`), or one at a time once the window is idle
(`build_rest_later`), so a later switch finds them ready.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

IDLE_GAP_MS = 50
"""Between two tabs built in the background: the event loop answers the user in between."""


class TabPages(Mapping[str, QWidget]):
    """Title → the tab's widget, built on first use; iterating gives the titles in tab order."""

    def __init__(self, tabs: QTabWidget, on_built: Callable[[QWidget], None]) -> None:
        self.tabs, self.on_built = tabs, on_built
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._pages: dict[str, QWidget] = {}
        self._built: dict[str, QWidget] = {}
        tabs.currentChanged.connect(self._shown)

    def add(self, title: str, label: str, factory: Callable[[], QWidget]) -> None:
        """A tab labelled `label`; `factory` makes its widget when it is first needed."""
        page = QWidget(objectName="tabPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self._factories[title], self._pages[title] = factory, page
        self.tabs.addTab(page, label)  # the first tab added becomes current and is built

    def is_built(self, title: str) -> bool:
        return title in self._built

    def build_rest_later(self) -> None:
        """Build the tabs not yet built, one per idle moment, after the first paint."""
        QTimer.singleShot(IDLE_GAP_MS, self.tabs, self._build_next)

    def __getitem__(self, title: str) -> QWidget:
        return self.build(title)

    def build(self, title: str) -> QWidget:
        """The tab's widget, built now if it was not yet."""
        if title not in self._factories:
            raise KeyError(title)
        if title not in self._built:
            widget = self._factories[title]()
            page = self._pages[title]
            page.layout().addWidget(widget)
            self._built[title] = widget
            self.on_built(widget)
        return self._built[title]

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)

    def _shown(self, index: int) -> None:
        page = self.tabs.widget(index)
        for title, candidate in self._pages.items():
            if candidate is page:
                self.build(title)
                return

    def _build_next(self) -> None:
        waiting = [t for t in self._factories if t not in self._built]
        if waiting:
            self.build(waiting[0])
            if len(waiting) > 1:
                QTimer.singleShot(IDLE_GAP_MS, self.tabs, self._build_next)
