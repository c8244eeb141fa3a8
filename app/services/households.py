"""Importing the household register (住户登记) from CSV/XLSX, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.domain.access import Permission
from app.domain.normalize import normalize_phone, normalize_room, to_halfwidth
from app.io.row_reader import text
from app.services.importing import (
    BeforeWrite,
    ImportFailedError,
    ImportReport,
    RowProblem,
    no_backup,
    open_table,
    row_reader,
)
from app.services.progress import Progress, counted
from app.services.reference import ReferenceService
from app.services.session import Session, requires
from app.store.reference import Household

COLUMNS = ("栋", "单元", "房号", "业主姓名", "联系电话", "是否入住")
REQUIRED = ("房号",)
_YES = {"是", "已入住", "入住", "y", "yes", "1", "true"}
_NO = {"否", "未入住", "空置", "n", "no", "0", "false"}


class HouseholdImport:
    def __init__(
        self,
        reference: ReferenceService,
        before_write: BeforeWrite = no_backup,
        *,
        session: Session,
    ) -> None:
        self.session = session
        self.reference = reference
        self.before_write = before_write

    @requires(Permission.IMPORT)
    def import_file(self, path: Path, progress: Progress | None = None) -> ImportReport:
        """All rows or none; `progress` counts the rows checked (cancelled: nothing written)."""
        report = ImportReport(path)
        table, columns = open_table(path, COLUMNS, REQUIRED, report)
        households: list[Household] = []
        seen: dict[str, int] = {}
        for row in counted(table.rows, len(table.rows), progress):
            household, problems = parse_household(row_reader(columns, row))
            report.problems.extend(RowProblem(row.line, c, m) for c, m in problems)
            if household is None:
                continue
            if household.label in seen:
                first = seen[household.label]
                report.problems.append(
                    RowProblem(row.line, "房号", f"{household.label} 与第{first}行重复")
                )
            seen[household.label] = row.line
            households.append(household)
        if report.problems:
            raise ImportFailedError(report)
        self.before_write(progress)  # a verified backup before the register changes
        report.imported = self.reference.save_households(households)
        return report


def parse_household(
    cell: Callable[[str], object],
) -> tuple[Household | None, list[tuple[str, str]]]:
    """One row → a Household, or its problems. 房号 alone may carry 栋-单元-房 ("3-2-1201")."""

    def get(name: str) -> str:
        return text(cell(name))

    problems: list[tuple[str, str]] = []
    building, unit = to_halfwidth(get("栋")), to_halfwidth(get("单元"))
    room = to_halfwidth(get("房号"))
    if not room:
        problems.append(("房号", "必填，不能为空"))
    elif not (building and unit):
        parts = normalize_room(room).split("-")
        if len(parts) != 3:
            problems.append(("房号", f"“{room}”无法拆分为 栋-单元-房号，请填写栋和单元列"))
        else:
            building, unit, room = parts
    phone = get("联系电话")
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValueError as e:
            problems.append(("联系电话", str(e)))
    occupied_text = str(get("是否入住")).strip().lower()
    occupied = True
    if occupied_text in _NO:
        occupied = False
    elif occupied_text and occupied_text not in _YES:
        problems.append(("是否入住", f"“{occupied_text}”应为 是 或 否"))
    if problems:
        return None, problems
    return Household(
        building.strip(), unit.strip(), room.strip(), get("业主姓名"), phone, occupied
    ), []
