"""All-or-nothing imports with a report that names every bad row.

A file is read and every row checked before anything is written; one bad row means nothing
is written. The report lists each problem as (line, column, message), line as Excel shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.errors import FieldError
from app.io.tabular import ColumnMap, Table, TableError, TableRow, match_columns, read_table
from app.services.progress import Progress


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.line}行" if self.line else "文件"
        if not self.column:
            return f"{where}：{self.message}"
        return f"{where}「{self.column}」：{self.message}"


@dataclass
class ImportReport:
    """What an import did (or would have done) and why it refused."""

    path: Path
    rows: int = 0
    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            text = f"已导入 {self.imported} 条记录（{self.path.name}）"
        else:
            bad_lines = len({p.line for p in self.problems})
            text = (
                f"导入失败：{bad_lines} 行有错误，未写入任何记录（{self.path.name}）\n"
                + "\n".join(str(p) for p in self.problems)
            )
        if self.ignored_columns:
            text += f"\n已忽略无法识别的列：{'、'.join(self.ignored_columns)}"
        return text


class ImportFailedError(Exception):
    """Nothing was written; `report` says why, row by row."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


def open_table(
    path: Path, known: tuple[str, ...], required: tuple[str, ...], report: ImportReport
) -> tuple[Table, ColumnMap]:
    """Read the file and line up its columns; a file-level problem fails the import."""
    try:
        table = read_table(path)
        columns = match_columns(table.headers, known, required)
    except TableError as e:
        report.problems.append(RowProblem(0, "", str(e)))
        raise ImportFailedError(report) from e
    report.rows = len(table.rows)
    report.ignored_columns = columns.unknown
    return table, columns


def row_reader(columns: ColumnMap, row: TableRow) -> Callable[[str], object]:
    """column name → the row's cell (None when the file lacks the column)."""

    def cell(name: str) -> object:
        return columns.get(row, name)

    return cell


BeforeWrite = Callable[[Progress | None], object]
"""Run once a file has passed its checks, before anything is written: a verified backup. It
hears the import's `progress`, so the window answers (and 取消 works) while it runs."""


def no_backup(_progress: Progress | None = None) -> None:
    """For an importer built without a backup (tests of the import rules alone)."""


def number_problem(
    no: str, line: int, seen: dict[str, int], exists: Callable[[str], object]
) -> FieldError | None:
    """A 编号 given in a file must be new: not earlier in the file, not in the register."""
    if not no:
        return None
    first = seen.setdefault(no, line)
    if first != line:
        return FieldError("no", f"编号与第{first}行重复")
    if exists(no) is not None:
        return FieldError("no", f"编号 {no} 已存在（编号不能重复使用）")
    return None
