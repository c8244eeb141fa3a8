"""基础资料 pages: 投诉类别 (an ordered list saved as a whole) and 住户登记 (imported)."""

from __future__ import annotations

from PySide6.QtCore import QSize, QSortFilterProxyModel, QStringListModel, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import file_actions
from ui.tabs.reference_pages import FieldErrors, page_title, roomy_list


def _room_order(label: str) -> list[tuple[int, str]]:
    """3-2-902 before 3-2-1001: numbers compare as numbers."""
    return [(int(part), "") if part.isdigit() else (0, part) for part in label.split("-")]


class CategoriesPage(QWidget):
    """投诉类别 (or any ordered list of names saved as a whole, such as 维修类别): the order
    here is the order of every list and report. ``reference`` offers ``categories()`` and
    ``set_categories(names)``; a save announces ``kind`` on the bus."""

    def __init__(
        self,
        reference,
        bus,
        parent=None,
        *,
        title: str = "",
        hint: str = "",
        kind: str = "reference",
    ) -> None:
        super().__init__(parent)
        self.reference, self.bus, self.kind = reference, bus, kind
        self.list = roomy_list()
        self.name = QLineEdit(placeholderText=self.tr("新类别名称"))
        self.errors = FieldErrors()
        self.buttons = {
            key: QPushButton(text)
            for key, text in (
                ("add", self.tr("添加")),
                ("remove", self.tr("删除")),
                ("up", self.tr("上移")),
                ("down", self.tr("下移")),
                ("save", self.tr("保存类别")),
                ("revert", self.tr("放弃修改")),
            )
        }
        self.dirty_note = QLabel(objectName="dirtyNote")
        side = QVBoxLayout()
        for key in ("up", "down", "remove"):
            side.addWidget(self.buttons[key])
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.list, 1)
        middle.addLayout(side)
        add_row = QGridLayout()
        add_row.addWidget(self.name, 0, 0)
        add_row.addWidget(self.buttons["add"], 0, 1)
        save_row = QHBoxLayout()
        save_row.addWidget(self.buttons["save"])
        save_row.addWidget(self.buttons["revert"])
        save_row.addWidget(self.dirty_note)
        save_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            page_title(
                title or self.tr("投诉类别"),
                hint
                or self.tr("双击类别可改名。修改后请点“保存类别”；已登记投诉上的类别名称不变。"),
            )
        )
        layout.addLayout(middle, 1)
        layout.addLayout(add_row)
        layout.addWidget(self.errors.label_for("categories"))
        layout.addWidget(self.errors.general)
        layout.addLayout(save_row)
        self._connect()
        self.reload()

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def reload(self) -> None:
        self.list.clear()
        for name in self.reference.categories():
            self._append(name)
        self._set_dirty(False)
        self.errors.clear()

    def refresh(self) -> None:
        """Reference data changed elsewhere: re-read unless the clerk has unsaved edits."""
        if not self.buttons["save"].isEnabled():
            self.reload()

    def add(self) -> None:
        name = self.name.text().strip()
        if name:
            self.list.setCurrentItem(self._append(name))
            self.name.clear()
            self._set_dirty(True)

    def remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._set_dirty(True)

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self._set_dirty(True)

    def save(self) -> bool:
        names = self.names()
        if not self.errors.attempt(lambda: self.reference.set_categories(names)):
            return False
        self.reload()
        self.bus.changed.emit(self.kind)
        return True

    def _append(self, name: str) -> QListWidgetItem:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)
        return item

    def _set_dirty(self, dirty: bool) -> None:
        self.buttons["save"].setEnabled(dirty)
        self.buttons["revert"].setEnabled(dirty)
        self.dirty_note.setText(self.tr("有未保存的修改") if dirty else "")

    def _connect(self) -> None:
        b = self.buttons
        b["add"].clicked.connect(self.add)
        self.name.returnPressed.connect(self.add)
        b["remove"].clicked.connect(self.remove)
        b["up"].clicked.connect(lambda: self.move(-1))
        b["down"].clicked.connect(lambda: self.move(1))
        b["save"].clicked.connect(self.save)
        b["revert"].clicked.connect(self.reload)
        self.list.itemChanged.connect(lambda _item: self._set_dirty(True))


class HouseholdsPage(QWidget):
    """住户登记: how many rooms are registered, a searchable list, and the import."""

    def __init__(self, reference, households, bus, parent=None) -> None:
        super().__init__(parent)
        self.reference, self.households, self.bus = reference, households, bus
        self.count_label = QLabel(objectName="householdCount")
        self.search = QLineEdit(
            placeholderText=self.tr("查找房号，如 3-2-1201"), clearButtonEnabled=True
        )
        self._labels = QStringListModel(self)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self._labels)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.view = QListView()
        self.view.setModel(self._proxy)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.setFlow(QListView.Flow.LeftToRight)  # rooms side by side, like a roster
        self.view.setWrapping(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        metrics = self.view.fontMetrics()
        self.view.setGridSize(
            QSize(metrics.horizontalAdvance("12-3-1804") + 28, metrics.height() + 10)
        )
        self.import_button = QPushButton(self.tr("导入住户登记…"))
        self.import_button.setEnabled(households is not None)
        top = QHBoxLayout()
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            page_title(
                self.tr("住户登记"),
                self.tr(
                    "从 Excel/CSV 导入（列：栋、单元、房号、业主姓名、联系电话、是否入住）；"
                    "有任何一行出错时整个文件不导入，并列出出错的行。"
                ),
            )
        )
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        self.search.textChanged.connect(self._proxy.setFilterFixedString)
        self.import_button.clicked.connect(self.import_file)
        self.reload()

    def reload(self) -> None:
        self.count_label.setText(
            self.tr("已登记 {n} 户").format(n=self.reference.household_count())
        )
        self._labels.setStringList(sorted(self.reference.household_labels(), key=_room_order))

    def import_file(self) -> bool:
        path = file_actions.choose_import_file(self, self.tr("导入住户登记"))
        if path is None or file_actions.run_import(self, self.households, path) is None:
            return False
        self.bus.changed.emit("reference")
        return True
