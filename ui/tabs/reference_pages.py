"""基础资料 pages: 小区信息, 部门, 员工; and the field-error labels all pages share."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError, WorkflowError
from app.services.reference import OfficeSettings, StaffMember


def roomy_list() -> QListWidget:
    """A list with a little air between its lines (easier to pick with a mouse)."""
    widget = QListWidget()
    widget.setSpacing(3)
    return widget


def left_aligned(*widgets: QWidget) -> QHBoxLayout:
    """A row of buttons at the left, the rest empty."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def page_title(text: str, hint: str = "") -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 6)
    layout.addWidget(QLabel(text, objectName="pageTitle"))
    if hint:
        layout.addWidget(QLabel(hint, objectName="pageHint", wordWrap=True))
    return box


class FieldErrors:
    """Red messages under the fields they are about; unknown fields go to the general label."""

    def __init__(self, general: QLabel | None = None) -> None:
        self.general = general or error_label()
        self.labels: dict[str, QLabel] = {}

    def label_for(self, field: str) -> QLabel:
        self.labels[field] = error_label()
        return self.labels[field]

    def clear(self) -> None:
        for label in (*self.labels.values(), self.general):
            label.clear()
            label.hide()

    def show(self, error: Exception) -> None:
        """Show a ValidationError's messages (or a WorkflowError) beside their fields."""
        self.clear()
        items = error.errors if isinstance(error, ValidationError) else [None]
        for item in items:
            label = self.labels.get(item.field, self.general) if item else self.general
            message = item.message if item else str(error)
            label.setText("；".join(filter(None, [label.text(), message])))
            label.show()

    def attempt(self, action) -> bool:
        """Run a service call; on a ValidationError/WorkflowError show it and return False."""
        self.clear()
        try:
            action()
        except (ValidationError, WorkflowError) as e:
            self.show(e)
            return False
        return True


def error_label() -> QLabel:
    label = QLabel(objectName="fieldError", wordWrap=True)
    label.hide()
    return label


class OfficePage(QWidget):
    """小区/管理处名称: printed in every form's header and shown in the window title."""

    def __init__(self, reference, bus, parent=None) -> None:
        super().__init__(parent)
        self.reference, self.bus = reference, bus
        self.estate_name = QLineEdit()
        self.office_name = QLineEdit()
        self.errors = FieldErrors()
        self.save_button = QPushButton(self.tr("保存"))
        self.saved_note = QLabel(objectName="savedNote")
        form = QFormLayout()
        form.addRow(self.tr("小区名称"), self.estate_name)
        form.addRow("", self.errors.label_for("estate_name"))
        form.addRow(self.tr("管理处名称"), self.office_name)
        form.addRow("", self.errors.label_for("office_name"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved_note)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            page_title(self.tr("小区信息"), self.tr("打印的表单抬头和窗口标题使用这里的名称。"))
        )
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.save_button.clicked.connect(self.save)
        self.reload()

    def reload(self) -> None:
        office = self.reference.office()
        self.estate_name.setText(office.estate_name)
        self.office_name.setText(office.office_name)

    def save(self) -> bool:
        settings = OfficeSettings(self.estate_name.text(), self.office_name.text())
        self.saved_note.clear()
        if not self.errors.attempt(lambda: self.reference.set_office(settings)):
            return False
        self.saved_note.setText(self.tr("已保存"))
        self.bus.changed.emit("settings")
        return True


class DepartmentsPage(QWidget):
    """部门: responsible departments offered in the lists and dialogs."""

    def __init__(self, reference, bus, parent=None) -> None:
        super().__init__(parent)
        self.reference, self.bus = reference, bus
        self.list = roomy_list()
        self.name = QLineEdit(placeholderText=self.tr("新部门名称"))
        self.errors = FieldErrors()
        self.add_button = QPushButton(self.tr("添加"))
        self.remove_button = QPushButton(self.tr("删除所选"))
        row = QGridLayout()
        row.addWidget(self.name, 0, 0)
        row.addWidget(self.add_button, 0, 1)
        row.addWidget(self.errors.label_for("name"), 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(
            page_title(
                self.tr("部门"),
                self.tr("删除的部门不再出现在选择列表中，已有记录上的部门名称保持不变。"),
            )
        )
        layout.addWidget(self.list, 1)
        layout.addLayout(left_aligned(self.remove_button))
        layout.addLayout(row)
        layout.addWidget(self.errors.general)
        self.add_button.clicked.connect(self.add)
        self.name.returnPressed.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        self.list.addItems(self.reference.departments())

    def add(self) -> bool:
        name = self.name.text()
        if not self.errors.attempt(lambda: self.reference.add_department(name)):
            return False
        self.name.clear()
        self.bus.changed.emit("reference")
        return True

    def remove(self) -> None:
        item = self.list.currentItem()
        if item is not None and self.errors.attempt(
            lambda: self.reference.remove_department(item.text())
        ):
            self.bus.changed.emit("reference")


class StaffPage(QWidget):
    """员工: name, 部门, 职务 — the handlers, visitors and signers the dialogs offer."""

    def __init__(self, reference, bus, parent=None) -> None:
        super().__init__(parent)
        self.reference, self.bus = reference, bus
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("部门"), self.tr("职务")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, self.fontMetrics().horizontalAdvance("欧阳小明") + 40)
        self.table.setColumnWidth(1, self.fontMetrics().horizontalAdvance("工程维修部") + 40)
        self.name = QLineEdit(placeholderText=self.tr("姓名"))
        self.department = QComboBox()
        self.role_title = QLineEdit(placeholderText=self.tr("职务，如 客服主管"))
        self.errors = FieldErrors()
        self.add_button = QPushButton(self.tr("添加"))
        self.remove_button = QPushButton(self.tr("删除所选"))
        form = QGridLayout()
        for column, widget in enumerate(
            (self.name, self.department, self.role_title, self.add_button)
        ):
            form.addWidget(widget, 0, column)
        form.addWidget(self.errors.label_for("name"), 1, 0)
        form.addWidget(self.errors.label_for("department"), 1, 1)
        form.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("员工")))
        layout.addWidget(self.table, 1)
        layout.addLayout(left_aligned(self.remove_button))
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.reload()

    def reload(self) -> None:
        chosen = self.department.currentText()
        self.department.clear()
        self.department.addItems(self.reference.departments())
        if chosen:
            self.department.setCurrentText(chosen)
        self._members = self.reference.staff()
        self.table.setRowCount(len(self._members))
        for row, m in enumerate(self._members):
            for column, text in enumerate((m.name, m.department, m.role_title)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def add(self) -> bool:
        member = StaffMember(
            self.name.text().strip(), self.department.currentText(), self.role_title.text().strip()
        )
        if not self.errors.attempt(lambda: self.reference.add_staff(member)):
            return False
        self.name.clear()
        self.role_title.clear()
        self.bus.changed.emit("reference")
        return True

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._members) and self._members[row].id is not None:
            staff_id = self._members[row].id
            if self.errors.attempt(lambda: self.reference.remove_staff(staff_id)):
                self.bus.changed.emit("reference")
