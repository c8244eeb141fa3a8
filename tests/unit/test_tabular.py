"""app.io.tabular: reading and writing header-row tables in CSV and XLSX."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path

import openpyxl
import pytest

from app.io.tabular import (
    ColumnMap,
    Table,
    TableError,
    TableRow,
    match_columns,
    read_table,
    write_table,
)

HEADERS = ["编号", "投诉人", "投诉时间", "日期", "金额（元）", "内容"]
ROWS: list[list[object]] = [
    ["TS-001", "张三", datetime(2024, 5, 1, 9, 30), date(2024, 5, 2), 120, "楼道灯坏了"],
    ["TS-002", "李四", datetime(2024, 12, 31, 23, 59), None, -35.5, "漏水\n第二行说明"],
    ["TS-003", None, None, None, None, "只有内容"],
]
INJECTIONS = ["=1+2", "@SUM(A1)", "-cmd", "+86 138", "\tTAB", "\rCR", '=HYPERLINK("x")']


class Kind(StrEnum):
    PHONE = "来电"


def rows_of(table: Table) -> list[dict[str, object]]:
    return [r.values for r in table.rows]


def lines_of(table: Table) -> list[int]:
    return [r.line for r in table.rows]


# ------------------------------------------------------------------------------- round trips


def test_csv_round_trip_chinese_dates_and_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "投诉.csv"
    assert write_table(path, HEADERS, ROWS) == 3

    table = read_table(path)
    assert table.headers == HEADERS
    assert lines_of(table) == [2, 3, 4]
    assert rows_of(table) == [
        {
            "编号": "TS-001",
            "投诉人": "张三",
            "投诉时间": "2024-05-01 09:30",
            "日期": "2024-05-02",
            "金额（元）": "120",
            "内容": "楼道灯坏了",
        },
        {
            "编号": "TS-002",
            "投诉人": "李四",
            "投诉时间": "2024-12-31 23:59",
            "日期": "",
            "金额（元）": "-35.5",
            "内容": "漏水\n第二行说明",
        },
        {
            "编号": "TS-003",
            "投诉人": "",
            "投诉时间": "",
            "日期": "",
            "金额（元）": "",
            "内容": "只有内容",
        },
    ]


def test_csv_is_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_table(path, ["名称", "数量"], [["甲", 1], ["乙", 2]])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "名称,数量\r\n甲,1\r\n乙,2\r\n"


def test_csv_writes_seconds_times_enums_and_booleans(tmp_path: Path) -> None:
    path = tmp_path / "misc.csv"
    row = [datetime(2024, 1, 2, 3, 4, 5), time(8, 0), Kind.PHONE, True]
    write_table(path, ["a", "b", "c", "d"], [row])
    assert read_table(path).rows[0].values == {
        "a": "2024-01-02 03:04:05",
        "b": "08:00",
        "c": "来电",
        "d": "TRUE",
    }


def test_xlsx_round_trip_keeps_native_types(tmp_path: Path) -> None:
    path = tmp_path / "投诉.xlsx"
    assert write_table(path, HEADERS, ROWS) == 3

    table = read_table(path)
    assert table.headers == HEADERS
    assert lines_of(table) == [2, 3, 4]
    first, second, third = rows_of(table)
    assert first == {
        "编号": "TS-001",
        "投诉人": "张三",
        "投诉时间": datetime(2024, 5, 1, 9, 30),
        "日期": datetime(2024, 5, 2),  # openpyxl reads date-formatted cells as datetimes
        "金额（元）": 120,
        "内容": "楼道灯坏了",
    }
    assert isinstance(first["投诉时间"], datetime)
    assert second["日期"] is None
    assert second["金额（元）"] == -35.5
    assert second["内容"] == "漏水\n第二行说明"
    assert third["投诉人"] is None and third["投诉时间"] is None


def test_xlsx_layout_bold_frozen_header_widths_and_datetime_format(tmp_path: Path) -> None:
    path = tmp_path / "layout.xlsx"
    write_table(path, HEADERS, ROWS)

    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])
    assert not ws["A2"].font.bold
    assert ws["C2"].is_date and ws["C2"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["D2"].number_format == "yyyy-mm-dd"
    widths = {letter: ws.column_dimensions[letter].width for letter in "ABCDEF"}
    assert all(8 <= w <= 60 for w in widths.values())
    assert widths["C"] >= 16  # a datetime fits
    assert widths["B"] < widths["C"]


def test_xlsx_many_rows_beyond_the_width_sample(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    rows = ([f"第{i}号", i, datetime(2024, 1, 1, i % 24)] for i in range(1000))
    assert write_table(path, ["名称", "序号", "时间"], rows) == 1000
    table = read_table(path)
    assert len(table.rows) == 1000
    assert table.rows[-1].line == 1001
    assert table.rows[-1].values == {
        "名称": "第999号",
        "序号": 999,
        "时间": datetime(2024, 1, 1, 15),
    }


def test_xlsx_text_with_control_characters_is_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "ctl.xlsx"
    write_table(path, ["内容"], [["粘贴\x07来的\x1b文字"]])
    assert read_table(path).rows[0].values == {"内容": "粘贴来的文字"}


def test_aware_datetime_is_written_as_local_wall_clock(tmp_path: Path) -> None:
    aware = datetime(2024, 5, 1, 1, 30).astimezone()  # local zone, so the wall clock is kept
    path = tmp_path / "tz.xlsx"
    write_table(path, ["时间"], [[aware]])
    assert read_table(path).rows[0].values == {"时间": datetime(2024, 5, 1, 1, 30)}


# ------------------------------------------------------------------------------- CSV decoding


def test_gb18030_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    text = "房号,业主,备注\r\n1-101,王五,䶮字和𠀀字\r\n"  # 4-byte GB18030 characters too
    path.write_bytes(text.encode("gb18030"))
    table = read_table(path)
    assert table.headers == ["房号", "业主", "备注"]
    assert rows_of(table) == [{"房号": "1-101", "业主": "王五", "备注": "䶮字和𠀀字"}]


def test_gbk_saved_by_excel_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("投诉人,内容\r\n赵六,电梯故障\r\n".encode("gbk"))
    assert rows_of(read_table(path)) == [{"投诉人": "赵六", "内容": "电梯故障"}]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_utf8_with_or_without_bom(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes(bom + "编号,姓名\n1,钱七\n".encode())
    table = read_table(path)
    assert table.headers == ["编号", "姓名"]
    assert rows_of(table) == [{"编号": "1", "姓名": "钱七"}]


def test_headers_are_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes("\ufeff\ufeff 编号 ,\u3000姓名\u3000,\u00a0电话\n1,孙八,123\n".encode())
    assert read_table(path).headers == ["编号", "姓名", "电话"]


@pytest.mark.parametrize("delimiter", ["\t", ";"], ids=["tab", "semicolon"])
def test_other_delimiters(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "d.csv"
    lines = ["编号,备注|姓名|地址", "1|周九|A栋,3楼"]
    path.write_text("\n".join(s.replace("|", delimiter) for s in lines) + "\n", encoding="utf-8")
    table = read_table(path)
    assert table.headers == ["编号,备注", "姓名", "地址"]
    assert rows_of(table) == [{"编号,备注": "1", "姓名": "周九", "地址": "A栋,3楼"}]


def test_single_column_csv(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("姓名\n吴十\n", encoding="utf-8")
    assert rows_of(read_table(path)) == [{"姓名": "吴十"}]


@pytest.mark.parametrize(
    "data",
    [
        "编号,姓名\n1,郑\n".encode("utf-16"),
        "编号,姓名\n".encode("utf-16-le"),
        b"\x81\x30\xff\xfe,x\n",
    ],
    ids=["utf-16", "utf-16-no-bom", "garbage"],
)
def test_unknown_encoding_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(TableError, match="无法识别文件编码：bad.csv，请另存为 UTF-8 或 GB18030"):
        read_table(path)


def test_short_csv_rows_are_padded_with_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("a,b,c\n1\n", encoding="utf-8")
    assert rows_of(read_table(path)) == [{"a": "1", "b": "", "c": ""}]


# ------------------------------------------------------------------------------- line numbers


def test_csv_line_numbers_skip_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("编号,姓名\n1,甲\n\n,\n  ,\u3000\n2,乙\n\n", encoding="utf-8")
    table = read_table(path)
    assert [(r.line, r.values["编号"]) for r in table.rows] == [(2, "1"), (6, "2")]


def test_xlsx_line_numbers_skip_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "gaps.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "编号", "姓名"
    ws["A2"], ws["B2"] = 1, "甲"
    ws["B4"] = ""  # a row that exists in the XML but holds nothing
    ws["A6"], ws["B6"] = 2, "乙"
    ws["A9"] = None
    wb.save(path)
    table = read_table(path)
    assert [(r.line, r.values) for r in table.rows] == [
        (2, {"编号": 1, "姓名": "甲"}),
        (6, {"编号": 2, "姓名": "乙"}),
    ]


def test_csv_lines_count_records_as_excel_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('编号,内容\n1,"第一行\n第二行"\n2,单行\n', encoding="utf-8")
    assert [(r.line, r.values["编号"]) for r in read_table(path).rows] == [(2, "1"), (3, "2")]


# ------------------------------------------------------------------------------- formula guard


def test_csv_escapes_formula_text_and_reads_it_back(tmp_path: Path) -> None:
    path = tmp_path / "inj.csv"
    headers = [f"c{i}" for i in range(len(INJECTIONS))] + ["负数", "负小数"]
    write_table(path, headers, [[*INJECTIONS, -5, -1.5]])

    raw = path.read_bytes().decode("utf-8-sig")
    data_line = raw.split("\r\n", 1)[1]
    assert data_line.startswith("'=1+2,'@SUM(A1),'-cmd,'+86 138,'\tTAB,\"'\rCR\"")
    assert data_line.rstrip().endswith(",-5,-1.5")

    values = read_table(path).rows[0].values
    assert [values[h] for h in headers] == [*INJECTIONS, "-5", "-1.5"]


def test_xlsx_never_writes_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "inj.xlsx"
    headers = [f"c{i}" for i in range(len(INJECTIONS))] + ["负数", "错误值", "=表头"]
    write_table(path, headers, [[*INJECTIONS, -5, "#N/A", "x"]])

    wb = openpyxl.load_workbook(path)  # not data_only: a formula would show as data_type 'f'
    ws = wb.worksheets[0]
    cells = list(ws[2])
    for cell, text in zip(cells, INJECTIONS, strict=False):
        assert cell.data_type == "s", cell.coordinate
        # readable: no apostrophe in the value (XML itself reads a bare CR back as LF)
        assert cell.value == text.replace("\r", "\n")
        assert cell.quotePrefix
    assert cells[len(INJECTIONS)].data_type == "n" and cells[len(INJECTIONS)].value == -5
    assert cells[len(INJECTIONS) + 1].data_type == "s"
    assert ws.cell(1, len(headers)).data_type == "s"

    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml

    values = read_table(path).rows[0].values
    expected = [t.replace("\r", "\n") for t in INJECTIONS]
    assert [values[h] for h in headers] == [*expected, -5, "#N/A", "x"]


def test_apostrophe_before_ordinary_text_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("a,b\n'abc,'\n", encoding="utf-8")
    assert read_table(path).rows[0].values == {"a": "'abc", "b": "'"}


# ------------------------------------------------------------------------------- Excel input


def test_excel_date_cells_come_back_as_datetime(tmp_path: Path) -> None:
    path = tmp_path / "dates.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "时间", "公式"])
    ws.append([datetime(2024, 3, 8), datetime(2024, 3, 8, 14, 5), "=1+1"])
    ws["A2"].number_format = "yyyy/m/d"
    ws["B2"].number_format = "yyyy-mm-dd hh:mm"
    wb.save(path)

    values = read_table(path).rows[0].values
    assert values["日期"] == datetime(2024, 3, 8)
    assert values["时间"] == datetime(2024, 3, 8, 14, 5)
    assert all(isinstance(values[k], datetime) for k in ("日期", "时间"))
    # data_only: the cached result (none here, openpyxl never calculates), never the formula
    assert values["公式"] is None


def test_only_first_worksheet_is_read(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["第一"])
    wb.active.append(["甲"])
    wb.create_sheet("第二").append(["第二"])
    wb.active = 1
    wb.save(path)
    assert read_table(path).headers == ["第一"]


def test_xlsx_trailing_empty_header_columns_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "trail.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "姓名", None, None])
    ws.append([1, "甲", None, ""])
    wb.save(path)
    table = read_table(path)
    assert table.headers == ["编号", "姓名"]
    assert rows_of(table) == [{"编号": 1, "姓名": "甲"}]


def test_broken_xlsx_is_a_table_error(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    with pytest.raises(TableError, match="无法打开 Excel 文件"):
        read_table(path)


# ------------------------------------------------------------------------------- header errors


def test_duplicate_headers_are_named(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("编号,姓名, 姓名,电话,编号\n", encoding="utf-8")
    with pytest.raises(TableError, match="重复的列名：「姓名」、「编号」"):
        read_table(path)


def test_empty_header_in_the_middle_is_named(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("编号,,姓名,,\n1,2,3\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"空的列名：第 2 列（B 列）"):
        read_table(path)


def test_content_without_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("编号,地址\n1,A栋,3楼\n2,B栋,,\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"第 2 行的第 3 列（C 列）有内容"):
        read_table(path)


@pytest.mark.parametrize("content", ["", "\n\n"], ids=["empty", "blank-first-line"])
def test_empty_file_or_header(tmp_path: Path, content: str) -> None:
    path = tmp_path / "e.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TableError):
        read_table(path)


@pytest.mark.parametrize("name", ["a.xls", "a.txt", "a"])
def test_unknown_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("x\n", encoding="utf-8")
    with pytest.raises(TableError, match="只支持 .csv 和 .xlsx 文件"):
        read_table(path)
    with pytest.raises(TableError, match="只支持 .csv 和 .xlsx 文件"):
        write_table(path, ["x"], [])


def test_extension_case_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "UP.XLSX"
    write_table(path, ["名"], [["甲"]])
    assert rows_of(read_table(path)) == [{"名": "甲"}]


def test_missing_file_is_a_table_error(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="找不到文件"):
        read_table(tmp_path / "none.csv")


# ------------------------------------------------------------------------------- writing safely


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_failed_write_leaves_old_file_and_no_temp(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"keep{suffix}"
    write_table(path, ["名"], [["旧"]])
    before = path.read_bytes()

    def rows() -> Iterator[list[object]]:
        yield ["新"]
        raise RuntimeError("crash mid-export")

    with pytest.raises(RuntimeError):
        write_table(path, ["名"], rows())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_row_width_mismatch_is_a_programming_error(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    with pytest.raises(ValueError, match="row 2 has 1 values for 2 headers"):
        write_table(path, ["a", "b"], [[1, 2], [3]])
    assert not path.exists()


def test_missing_folder_is_a_table_error(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="文件夹不存在"):
        write_table(tmp_path / "no" / "x.csv", ["a"], [])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_header_only_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"h{suffix}"
    assert write_table(path, ["编号", "姓名"], []) == 0
    table = read_table(path)
    assert table.headers == ["编号", "姓名"] and table.rows == []


# ------------------------------------------------------------------------------- match_columns

KNOWN = ["编号", "投诉人", "投诉时间", "金额(元)", "备注"]


def test_match_columns_by_name_with_full_width_brackets_and_spaces() -> None:
    headers = ["投诉人", "金额（元）", " 编 号 ", "投诉时间", "楼栋", "其他"]
    cmap = match_columns(headers, KNOWN, required=["编号", "投诉人"])
    assert isinstance(cmap, ColumnMap)
    assert cmap.columns == {
        "投诉人": "投诉人",
        "金额(元)": "金额（元）",
        "编号": " 编 号 ",
        "投诉时间": "投诉时间",
    }
    assert cmap.unknown == ["楼栋", "其他"]
    assert cmap.missing == ["备注"]
    assert "金额(元)" in cmap and "备注" not in cmap

    row = TableRow(line=2, values={"金额（元）": "12", "投诉人": "张三"})
    assert cmap.get(row, "金额(元)") == "12"
    assert cmap.get(row, "备注") is None
    assert cmap.get(row, "备注", "") == ""


def test_match_columns_square_brackets() -> None:
    cmap = match_columns(["房号【必填】"], ["房号[必填]"], required=["房号[必填]"])
    assert cmap.columns == {"房号[必填]": "房号【必填】"}


def test_missing_required_columns_are_listed_in_chinese() -> None:
    with pytest.raises(TableError) as info:
        match_columns(["投诉人", "备注"], KNOWN, required=["编号", "投诉人", "投诉时间"])
    assert str(info.value) == "缺少必需的列：编号、投诉时间（文件中的列：投诉人、备注）"


def test_two_headers_for_one_column() -> None:
    with pytest.raises(TableError, match="两列都是「金额\\(元\\)」"):
        match_columns(["金额(元)", "金额（元）"], KNOWN, required=[])


def test_required_must_be_known() -> None:
    with pytest.raises(ValueError):
        match_columns(["a"], ["a"], required=["b"])


def test_match_columns_with_a_read_table(tmp_path: Path) -> None:
    path = tmp_path / "import.csv"
    path.write_bytes("编号,投诉人,楼栋\r\nTS-9,陈一,3栋\r\n".encode("gb18030"))
    table = read_table(path)
    cmap = match_columns(table.headers, KNOWN, required=["编号"])
    assert cmap.unknown == ["楼栋"]
    assert [cmap.get(r, "投诉人") for r in table.rows] == ["陈一"]
