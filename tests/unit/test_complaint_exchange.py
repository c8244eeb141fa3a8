"""Complaint import/export: all-or-nothing, forgiving formats, a report naming every bad row."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from app.domain.complaint import Status, Urgency, Validity
from app.io.complaint_columns import COLUMNS, COMPUTED_COLUMNS
from app.io.tabular import read_table
from app.services import Services
from app.services.importing import ImportFailedError

HEADER = ",".join(
    [
        "编号",
        "登记时间",
        "投诉人",
        "房号",
        "联系电话",
        "投诉内容",
        "投诉类别",
        "紧急程度",
        "投诉性质",
        "答复时间",
        "回访时间",
        "回访人",
        "投诉人意见",
    ]
)


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_import_accepts_what_clerks_type(services: Services, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "in.csv",
        [
            HEADER,
            ",2026-11-20 09:30,张三,3-2-1201,138 1234 5678,电梯漏水,维修,紧急,,,,,",
            ",2026/11/20 9:30,李四,３栋２单元８０１,,楼道堆物,清洁,不紧急,有效,2026-11-20 15:00,"
            "2026-11-21 10:00,周敏,基本满意：希望加强巡查",
            ",2026年11月２０日 9时30分,,5-1-302,,噪音扰民,,不紧急,无效,2026-11-20 11:00,,,",
        ],
        encoding="gb18030",
    )
    report = services.exchange.import_file(f)
    assert report.ok and report.imported == 3
    rows = list(services.complaints.store.iter_all())
    assert [c.received_at for c in rows] == [datetime(2026, 11, 20, 9, 30)] * 3
    assert [c.status for c in rows] == [Status.REGISTERED, Status.CLOSED, Status.CLOSED]
    assert rows[0].phone == "13812345678" and rows[1].room == "3-2-801"
    assert rows[1].visit is not None and rows[1].visit.remarks == "希望加强巡查"
    assert [c.no for c in rows] == ["TS2026-00001", "TS2026-00002", "TS2026-00003"]


def test_one_bad_row_writes_nothing_and_every_problem_is_named(
    services: Services, tmp_path: Path
) -> None:
    f = write_csv(
        tmp_path / "bad.csv",
        [
            HEADER,
            ",2026-11-20 09:30,张三,3-2-1201,,电梯漏水,维修,紧急,,,,,",
            ",2026-02-30 09:30,李四,,,楼道堆物,清洁,不紧急,,,,,",
            ",2026-11-20 09:30,,,12,,卫生,很急,待定,,,,",
            ",2026-11-20 09:30,王五,,,水压低,,不紧急,有效,,,,满意",
        ],
    )
    with pytest.raises(ImportFailedError) as e:
        services.exchange.import_file(f)
    report = e.value.report
    found = {(p.line, p.column) for p in report.problems}
    assert (3, "登记时间") in found
    assert {
        (4, "投诉内容"),
        (4, "投诉人"),
        (4, "联系电话"),
        (4, "投诉类别"),
        (4, "紧急程度"),
        (4, "投诉性质"),
    } <= found
    assert {(5, "回访时间"), (5, "回访人")} <= found
    assert 2 not in {p.line for p in report.problems}
    assert "日期不存在" in report.summary() and "未写入任何记录" in report.summary()
    assert services.complaints.store.count() == 0


def test_status_must_agree_with_the_record(services: Services, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "s.csv",
        [
            "登记时间,投诉人,投诉内容,紧急程度,投诉性质,状态",
            "2026-11-20 09:30,张三,电梯漏水,紧急,有效,已关闭",
        ],
    )
    with pytest.raises(ImportFailedError) as e:
        services.exchange.import_file(f)
    problems = {p.column: p.message for p in e.value.report.problems}
    assert "已关闭" in problems["答复时间"]
    assert problems["回访时间"] == "有效投诉须回访后才能关闭"


def test_numbers_are_unique_and_claimed(services: Services, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "n.csv",
        [
            "编号,登记时间,投诉人,投诉内容,紧急程度",
            "TS2026-00007,2026-11-20 09:30,张三,漏水,紧急",
            "TS2026-00007,2026-11-20 09:30,李四,漏水,紧急",
        ],
    )
    with pytest.raises(ImportFailedError, match="第2行重复"):
        services.exchange.import_file(f)
    write_csv(
        f,
        [
            "编号,登记时间,投诉人,投诉内容,紧急程度",
            "TS2026-00007,2026-11-20 09:30,张三,漏水,紧急",
            ",2026-11-20 10:30,李四,停水,紧急",
        ],
    )
    services.exchange.import_file(f)
    nos = sorted(c.no for c in services.complaints.store.iter_all())
    assert nos == ["TS2026-00007", "TS2026-00008"]
    with pytest.raises(ImportFailedError, match="已存在"):
        services.exchange.import_file(f)


def test_missing_required_column(services: Services, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "m.csv", ["登记时间,投诉人,投诉内容", "2026-11-20 09:30,张三,漏水"])
    with pytest.raises(ImportFailedError, match="缺少必需的列：紧急程度"):
        services.exchange.import_file(f)


def test_xlsx_with_excel_date_cells(services: Services, tmp_path: Path) -> None:
    f = tmp_path / "in.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记时间", "投诉人", "投诉内容", "紧急程度", "要求答复时间"])
    ws.append(
        [datetime(2026, 11, 20, 9, 30), "张三", "电梯漏水", "紧急", datetime(2026, 11, 21, 12, 0)]
    )
    wb.save(f)
    services.exchange.import_file(f)
    (c,) = services.complaints.store.iter_all()
    assert c.requested_reply_at == datetime(2026, 11, 21, 12, 0)
    assert services.complaints.store.due(c.id)[0] == datetime(2026, 11, 21, 12, 0)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_round_trip(
    services: Services, tmp_path: Path, suffix: str, data_dir
) -> None:  # type: ignore[no-untyped-def]
    src = write_csv(
        tmp_path / "in.csv",
        [
            HEADER,
            ',2026-11-20 09:30,=HYPERLINK("x"),3-2-1201,13812345678,-电梯漏水,维修,紧急,,,,,',
            ",2026-11-20 09:30,李四,3-2-801,,楼道堆物,清洁,不紧急,有效,2026-11-20 15:00,"
            "2026-11-21 10:00,周敏,不满意：还是很脏",
        ],
    )
    services.exchange.import_file(src)
    out = tmp_path / f"out{suffix}"
    assert services.exchange.export_file(out, unmasked=True) == 2  # re-imported below
    table = read_table(out)
    assert table.headers == list(COLUMNS + COMPUTED_COLUMNS)
    first = table.rows[0].values
    assert first["投诉人"] == '=HYPERLINK("x")' and first["投诉内容"] == "-电梯漏水"
    if suffix == ".xlsx":
        ws = openpyxl.load_workbook(out).active
        assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    else:
        assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")
    # 2026-11-20 09:30 紧急 → 11:30; not replied and it is 10:00 now → not yet due
    assert str(first["答复期限"]).startswith("2026-11-20 11:30")
    assert first["是否按时答复"] in ("", None)
    assert table.rows[1].values["状态"] == Status.HANDLING.value  # 不满意 reopened it
    # into a fresh register: the same records come back
    from app.paths import DataDir
    from tests.accounts_support import open_signed_in

    other = open_signed_in(DataDir(tmp_path / "other"), clock=services.complaints.clock)
    try:
        other.exchange.import_file(out)
        before = [
            (c.no, c.complainant, c.content, c.status, c.validity, c.replied_at, c.phone)
            for c in services.complaints.store.iter_all()
        ]
        after = [
            (c.no, c.complainant, c.content, c.status, c.validity, c.replied_at, c.phone)
            for c in other.complaints.store.iter_all()
        ]
        assert after == before
    finally:
        other.close()


def test_export_marks_late_replies(services: Services, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    from app.domain.complaint import Complaint, ReplyMethod

    c = services.complaints.register(
        Complaint(
            received_at=datetime(2026, 11, 20, 9, 0),
            content="停水",
            urgency=Urgency.URGENT,
            complainant="张三",
        )
    )
    services.complaints.judge(c.id, Validity.VALID, handler="王")
    services.complaints.reply(
        c.id, at=datetime(2026, 11, 20, 12, 0), method=ReplyMethod.ORAL, content="已恢复"
    )
    out = tmp_path / "late.csv"
    services.exchange.export_file(out)
    assert read_table(out).rows[0].values["是否按时答复"] == "否"


def test_households_import_and_errors(services: Services, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "h.csv",
        [
            "栋,单元,房号,业主姓名,联系电话,是否入住",
            "3,2,1201,张三,13812345678,是",
            ",,3-2-801,李四,,否",
        ],
    )
    assert services.households.import_file(f).imported == 2
    assert services.reference.household_labels() == ["3-2-801", "3-2-1201"]  # numeric order
    assert not services.reference.household("3-2-801").occupied
    write_csv(f, ["栋,单元,房号,是否入住", "3,2,1202,也许", ",,北门岗亭,是"])
    with pytest.raises(ImportFailedError) as e:
        services.households.import_file(f)
    assert {(p.line, p.column) for p in e.value.report.problems} == {(2, "是否入住"), (3, "房号")}
    assert services.reference.household_count() == 2
