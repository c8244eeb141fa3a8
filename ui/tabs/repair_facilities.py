"""维修资料 page: 设施台账 — the public facilities (water, power, lifts, fire systems, drainage,
lighting, fitness equipment) with model and install date, and each one's repair history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FieldError, ValidationError
from app.domain.repair import Facility
from app.domain.repair_rules import format_money
from ui.dialogs.form_parts import combo
from ui.tabs.reference_pages import FieldErrors, left_aligned, page_title
from ui.tabs.repair_prices import KIND
from ui.widgets.datetime_input import DateInput
from ui.widgets.tables import fill_row, read_only_table

# 类型 offered in the list (any other may be typed)
FACILITY_KINDS = ("给水", "供电", "电梯", "消防", "排水", "照明", "健身器材", "门禁", "监控")
TIME = "%Y-%m-%d %H:%M"


class FacilitiesPage(QWidget):
    """The ledger on top, the selected facility's form and its 维修记录 below."""

    def __init__(self, repair_reference, bus, parent=None) -> None:
        super().__init__(parent)
        self.reference, self.bus = repair_reference, bus
        self.editing: Facility | None = None
        self.table = read_only_table(
            [
                self.tr("设施名称"),
                self.tr("类型"),
                self.tr("位置"),
                self.tr("型号"),
                self.tr("安装日期"),
            ]
        )
        self.history = read_only_table(
            [
                self.tr("故障描述"),
                self.tr("编号"),
                self.tr("报修时间"),
                self.tr("状态"),
                self.tr("维修人员"),
                self.tr("费用(元)"),
            ]
        )
        self.history_title = QLabel(objectName="historyTitle")
        self.name = QLineEdit()
        self.kind = combo(FACILITY_KINDS, "", editable=True)
        self.location = QLineEdit(placeholderText=self.tr("如 3栋地下一层水泵房"))
        self.model = QLineEdit()
        self.installed_on = DateInput(optional=True)
        self.installed_on.setPlaceholderText(self.tr("不详可不填"))
        self.errors = FieldErrors()
        self.save_button = QPushButton(self.tr("保存设施"))
        self.new_button = QPushButton(self.tr("新建"))
        self._build()
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.start_new)
        self.table.itemSelectionChanged.connect(self._pick)
        self.reload()

    def _build(self) -> None:
        form = QGridLayout()
        fields = (
            (self.tr("设施名称"), self.name, "name"),
            (self.tr("类型"), self.kind, "kind"),
            (self.tr("位置"), self.location, "location"),
            (self.tr("型号"), self.model, "model"),
            (self.tr("安装日期"), self.installed_on, "installed_on"),
        )
        for i, (label, widget, field) in enumerate(fields):
            row, column = divmod(i, 2)
            form.addWidget(QLabel(label), 2 * row, 2 * column)
            form.addWidget(widget, 2 * row, 2 * column + 1)
            form.addWidget(self.errors.label_for(field), 2 * row + 1, 2 * column + 1)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        top = QWidget()
        upper = QVBoxLayout(top)
        upper.setContentsMargins(0, 0, 0, 0)
        upper.addWidget(self.table, 1)
        upper.addLayout(form)
        upper.addWidget(self.errors.general)
        upper.addLayout(left_aligned(self.save_button, self.new_button))
        bottom = QWidget()
        lower = QVBoxLayout(bottom)
        lower.setContentsMargins(0, 6, 0, 0)
        lower.addWidget(self.history_title)
        lower.addWidget(self.history, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, childrenCollapsible=False)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([420, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(
            page_title(
                self.tr("设施台账"),
                self.tr(
                    "公共设施的型号、安装日期和维修记录。报修公共设施时从台账选择，维修记录自动归入。"
                ),
            )
        )
        layout.addWidget(splitter, 1)

    def reload(self) -> None:
        chosen = self.editing.id if self.editing else None
        self._facilities = self.reference.facilities()
        self.table.setRowCount(len(self._facilities))
        for row, f in enumerate(self._facilities):
            installed = f"{f.installed_on:%Y-%m-%d}" if f.installed_on else ""
            fill_row(self.table, row, [f.name, f.kind, f.location, f.model, installed])
        ids = [f.id for f in self._facilities]
        if chosen not in ids:
            self.start_new()
            return
        self.editing = self._facilities[ids.index(chosen)]
        self.table.blockSignals(True)  # what is typed in the form stays
        self.table.selectRow(ids.index(chosen))
        self.table.blockSignals(False)
        self._show_history(self.editing)

    def start_new(self) -> None:
        """An empty form for a facility not yet in the ledger."""
        self.table.clearSelection()
        self.editing = None
        for edit in (self.name, self.location, self.model):
            edit.clear()
        self.kind.setCurrentText("")
        self.installed_on.setValue(None)
        self.errors.clear()
        self._show_history(None)

    def save(self) -> bool:
        unreadable = self.installed_on.error()
        if unreadable:
            self.errors.show(ValidationError([FieldError("installed_on", unreadable)]))
            return False
        f = Facility(
            name=self.name.text().strip(),
            kind=self.kind.currentText().strip(),
            location=self.location.text().strip(),
            model=self.model.text().strip(),
            installed_on=self.installed_on.value(),
            id=self.editing.id if self.editing else None,
        )
        saved: list[Facility] = []
        if not self.errors.attempt(lambda: saved.append(self.reference.save_facility(f))):
            return False
        self.editing = saved[0]
        self.bus.changed.emit(KIND)
        return True

    def _pick(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        f = self._facilities[rows[0].row()]
        self.editing = f
        self.name.setText(f.name)
        self.kind.setCurrentText(f.kind)
        self.location.setText(f.location)
        self.model.setText(f.model)
        self.installed_on.setValue(f.installed_on)
        self.errors.clear()
        self._show_history(f)

    def _show_history(self, f: Facility | None) -> None:
        repairs = self.reference.facility_history(f.id) if f and f.id is not None else []
        if f is None:
            self.history_title.setText(self.tr("维修记录：选择一个设施查看"))
        else:
            self.history_title.setText(
                self.tr("%1 的维修记录（%2 次）")
                .replace("%1", f.name)
                .replace("%2", str(len(repairs)))
            )
        self.history.setRowCount(len(repairs))
        for row, r in enumerate(repairs):
            money = format_money(r.total_fen) if r.total_fen else ""
            texts = [r.summary, r.no, f"{r.reported_at:{TIME}}", r.status.value, r.repairer, money]
            fill_row(self.history, row, texts, right=(5,))
