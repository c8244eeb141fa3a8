"""保存期限 (procedure §8): how many years finished records keep their personal details, and
立即执行匿名化, which anonymises every record whose period is over (after saying how many)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.domain.errors import WorkflowError
from app.services.retention import RetentionStopped
from ui.jobs import run_job
from ui.tabs.reference_pages import FieldErrors, left_aligned
from ui.tabs.system.boxes import ask, busy
from ui.widgets.form_support import show_save_failure, show_workflow_error

FIELD = "retention_years"


class RetentionBox(QGroupBox):
    status_message = Signal(str)

    def __init__(self, settings, retention, bus, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("保存期限与匿名化"))
        self.settings, self.retention, self.bus = settings, retention, bus
        self.years = QSpinBox(minimum=1, maximum=99, suffix=self.tr(" 年"))
        self.years.setValue(settings.retention_years())
        self.save_button = QPushButton(self.tr("保存"))
        self.run_button = QPushButton(self.tr("立即执行匿名化…"))
        self.errors = FieldErrors()
        self.save_button.clicked.connect(self.save)
        self.run_button.clicked.connect(self.anonymise)
        hint = QLabel(
            self.tr(
                "投诉和报修记录办结（或作废）后，完整保存这么多年，管理规程第 8 条要求至少 2 年。"
                "期满后，投诉人、报修人的姓名和电话被匿名化，记录中的其他内容和统计数字不变；"
                "未办结的记录不受影响。"
            ),
            objectName="pageHint",
            wordWrap=True,
        )
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("办结后保存")))
        row.addWidget(self.years)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.errors.label_for(FIELD))
        layout.addWidget(self.errors.general)
        layout.addLayout(left_aligned(self.run_button))
        self.errors.clear()

    def save(self) -> bool:
        years = self.years.value()
        if not self.errors.attempt(lambda: self.settings.set_retention_years(years)):
            return False
        self.status_message.emit(self.tr("保存期限已设为 {years} 年").format(years=years))
        return True

    def anonymise(self) -> bool:
        """Say how many records are due, and anonymise them when the user agrees."""
        plan = self._call(self.retention.preview)
        if plan is None:
            return False
        when = f"{plan.cutoff:%Y-%m-%d %H:%M}"
        if not plan.total:
            QMessageBox.information(
                self,
                self.tr("匿名化"),
                self.tr(
                    "保存期限 {years} 年：没有 {when} 之前办结而尚未匿名化的记录，无需处理。"
                ).format(years=plan.years, when=when),
            )
            return False
        if not self._confirm(plan, when):
            return False
        try:
            result = run_job(
                self,
                self.tr("匿名化"),
                self.tr("正在匿名化到期的记录…（可随时停止，已完成的部分保留）"),
                self.retention.run,
                off_thread=False,  # it writes: on the thread that holds the database
            )
        except RetentionStopped as e:
            self._announce(str(e))
            return False
        except WorkflowError as e:
            show_workflow_error(self, e)
            return False
        except Exception as e:  # the database or disk refused
            show_save_failure(self, e)
            return False
        self._announce(
            self.tr("已匿名化投诉 {complaints} 条、报修 {repairs} 条").format(
                complaints=result.complaints, repairs=result.repairs
            )
        )
        return True

    def _announce(self, done: str) -> None:
        for kind in ("complaints", "repairs"):
            self.bus.changed.emit(kind)
        QMessageBox.information(self, self.tr("匿名化"), done)
        self.status_message.emit(done)

    def _confirm(self, plan, when: str) -> bool:
        text = self.tr(
            "保存期限 {years} 年：{when} 之前办结的记录将被匿名化——\n"
            "投诉 {complaints} 条，报修 {repairs} 条。\n\n"
            "这些记录中投诉人、报修人的姓名和电话将被清除，无法撤销"
            "（已有的备份中仍是原样）。确定执行吗？"
        ).format(years=plan.years, when=when, complaints=plan.complaints, repairs=plan.repairs)
        return ask(self, self.tr("立即执行匿名化"), text, self.tr("执行匿名化"))

    def _call(self, action):
        try:
            with busy():
                return action()
        except WorkflowError as e:
            show_workflow_error(self, e)
        except Exception as e:  # the database or disk refused
            show_save_failure(self, e)
        return None
