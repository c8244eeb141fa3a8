"""A tab of pages chosen from a list on the left (基础资料, 维修资料)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QStackedWidget, QWidget

PAGE_MAX_WIDTH = 820  # forms stay readable on a wide screen


class PagedTab(QWidget):
    """``add_pages`` takes (key, QT_TRANSLATE_NOOP title in ``tr_context``, page) in order.
    The list is styled as ``QListWidget#referenceNav`` in resources/style.qss."""

    tr_context = "PagedTab"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pages: dict[str, QWidget] = {}
        self.nav = QListWidget(objectName="referenceNav")
        self.stack = QStackedWidget()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)

    def add_pages(
        self, pages: list[tuple[str, str, QWidget]], *, max_width: int | None = PAGE_MAX_WIDTH
    ) -> None:
        for key, title, page in pages:
            self.pages[key] = page
            self.nav.addItem(QCoreApplication.translate(self.tr_context, title))
            if max_width:
                page.setMaximumWidth(max_width)
            self.stack.addWidget(page)
        metrics = self.nav.fontMetrics()
        widest = max(
            metrics.horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count())
        )
        self.nav.setFixedWidth(widest + 48)
        self.nav.setCurrentRow(0)

    def show_page(self, key: str) -> QWidget:
        self.nav.setCurrentRow(list(self.pages).index(key))
        return self.pages[key]
