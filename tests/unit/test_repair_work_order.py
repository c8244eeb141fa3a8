"""维修派工单（维修服务确认单）, and the toolkit's Table it prints its charges with."""

from __future__ import annotations

import io
import re
import time
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from app.domain.repair import (
    Acceptance,
    ChargeLine,
    NotHomeAction,
    NotHomeVisit,
    RepairChannel,
    RepairTicket,
    RepairUrgency,
    RepairVisit,
    Satisfaction,
)
from app.forms.fonts import font_name
from app.forms.inline import width_of
from app.forms.layout import paginate
from app.forms.repair_work_order import (
    _capital,
    _quantity,
    _yuan,
    render_work_order,
    work_order_blocks,
)
from app.forms.toolkit import Block, Column, Field, FormHeader, Row, Section, Table, render_form

HEADER = FormHeader("翠湖花园", "翠湖花园管理处")
CHARGES = [
    ChargeLine("不锈钢编织进水软管 60cm", Decimal("2"), 1800, "根"),
    ChargeLine("角阀（铜）", Decimal("1"), 3500, "个"),
    ChargeLine("厨房单冷水龙头", Decimal("1"), 8500, "个"),
    ChargeLine("生料带", Decimal("0.5"), 300, "卷"),
    ChargeLine("PPR 管 20mm", Decimal("1.25"), 1250, "米"),
    ChargeLine("人工费（水龙头及角阀更换）", Decimal("1"), 5000, "次"),
]
AMOUNTS = ("36.00", "35.00", "85.00", "1.50", "15.63", "50.00")  # 1.25 × 12.50 = 15.625 → 15.63


def ticket(**changes: object) -> RepairTicket:
    record = RepairTicket(
        reported_at=datetime(2026, 11, 22, 9, 30),
        description="卫生间洗手盆下方进水软管接头漏水，地面积水，已关闭角阀。",
        no="WX2026-0012",
        reporter="陈先生",
        room="3-2-1502",
        phone="13800138000",
        channel=RepairChannel.VISIT,
        category="给排水",
        urgency=RepairUrgency.URGENT,
        chargeable=True,
        appointment_at=datetime(2026, 11, 22, 14, 0),
        dispatched_at=datetime(2026, 11, 22, 9, 45),
        repairer="王师傅",
        arrived_at=datetime(2026, 11, 24, 14, 10),
        completed_at=datetime(2026, 11, 24, 15, 20),
        result="更换进水软管两根、角阀一个，试水无渗漏。",
        charges=list(CHARGES),
        not_home=[
            NotHomeVisit(datetime(2026, 11, 22, 14, 5), NotHomeAction.NOTE_LEFT, note="门上留言"),
            NotHomeVisit(
                datetime(2026, 11, 23, 10, 0),
                NotHomeAction.RESCHEDULED,
                datetime(2026, 11, 24, 14, 0),
                "业主来电改约",
            ),
        ],
        acceptance=Acceptance(
            datetime(2026, 11, 24, 15, 30), Satisfaction.FAIRLY_SATISFIED, True, "地面未清理干净。"
        ),
        visit=RepairVisit(
            datetime(2026, 11, 25, 10, 0), "李晓敏", Satisfaction.SATISFIED, "无渗漏"
        ),
    )
    for name, value in changes.items():
        setattr(record, name, value)
    return record


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def flat(pdf: bytes) -> str:
    return squash("".join(pages(pdf)))


# --------------------------------------------------------------------------- filled in


def test_filled_form_shows_the_ticket() -> None:
    pdf = render_work_order(
        ticket(),
        HEADER,
        arrive_due="2026-11-22 10:15 前",
        complete_due="2026-11-22 13:45 前",
        complaint_no="TS2026-0001",
    )
    texts = pages(pdf)
    assert len(texts) == 1
    text = squash(texts[0])
    assert "维修派工单（维修服务确认单）" in text and "翠湖花园管理处" in text
    for value in ("WX2026-0012", "陈先生", "3-2-1502", "13800138000", "给排水", "王师傅"):
        assert value in text
    assert squash(ticket().description) in text and squash(ticket().result) in text
    assert "2026-11-2209:30" in text  # 报修时间
    assert "2026-11-2210:15前" in text and "2026-11-2213:45前" in text
    assert "关联投诉编号TS2026-0001" in text
    assert "房号3-2-1502" in text


def test_filled_form_ticks_the_tickets_choices() -> None:
    text = flat(render_work_order(ticket(), HEADER))
    assert "✓来访" in text and "✓紧急" in text and "✓有偿" in text
    assert "✓基本满意" in text  # 验收
    assert "✓满意" in text  # 回访
    assert "✓留言" in text and "✓改约" in text  # the two calls with nobody home
    assert text.count("✓") == 7
    for unticked in ("✓来电", "✓一般", "✓计划性", "✓无偿", "✓不满意"):
        assert unticked not in text


def test_filled_form_lists_every_charge_line_and_the_total() -> None:
    text = flat(render_work_order(ticket(), HEADER))
    for line, amount in zip(CHARGES, AMOUNTS, strict=True):
        assert squash(line.item) in text
        assert amount in text
    assert "1.2512.5015.63" in text  # 数量, 单价, 金额 of one row, in order
    assert ticket().total_fen == 22313
    assert "223.13" in text
    assert "人民币（大写）：贰佰贰拾叁元壹角叁分" in text
    positions = [text.index(squash(line.item)) for line in CHARGES]
    assert positions == sorted(positions)


def test_not_home_calls_are_listed_with_the_new_appointment() -> None:
    text = flat(render_work_order(ticket(), HEADER))
    assert "2026-11-2214:05✓留言改约门上留言" in text
    assert "2026-11-2310:00留言✓改约2026-11-2414:00业主来电改约" in text


def test_free_repair_lists_the_amounts_but_totals_nothing() -> None:
    text = flat(render_work_order(ticket(chargeable=False), HEADER))
    for amount in AMOUNTS:
        assert amount in text
    assert "合计（元）无偿维修0.00" in text
    assert "223.13" not in text and "大写" not in text
    assert "✓无偿" in text and "✓有偿" not in text


def test_a_chargeable_ticket_without_lines_leaves_the_total_to_write_in() -> None:
    text = flat(render_work_order(ticket(charges=[]), HEADER))
    assert "合计（元）人民币（大写）：" in text
    assert "0.00" not in text and "零元整" not in text
    assert "无偿维修0.00" in flat(render_work_order(ticket(charges=[], chargeable=False), HEADER))


def test_owner_signature_box_stays_empty_with_a_note_once_signed_on_paper() -> None:
    signed = flat(render_work_order(ticket(), HEADER))
    assert "业主签名（纸质签名存档）验收时间2026-11-2415:30" in signed
    acceptance = Acceptance(datetime(2026, 11, 24, 15, 30), Satisfaction.SATISFIED, False)
    unsigned = flat(render_work_order(ticket(acceptance=acceptance), HEADER))
    assert "业主签名验收时间2026-11-2415:30" in unsigned
    assert "纸质签名存档" not in flat(render_work_order(ticket(acceptance=None), HEADER))


def test_public_place_and_facility_and_rework() -> None:
    public = ticket(room="", location="5栋地下车库", facility_id=3)
    text = flat(render_work_order(public, HEADER, facility="B2 排水泵", rework_of_no="WX2026-0003"))
    assert "位置/设施5栋地下车库（设施：B2排水泵）" in text
    assert "返修（原单号）WX2026-0003" in text
    both = flat(render_work_order(ticket(location="厨房"), HEADER))
    assert "房号/位置3-2-1502厨房" in both


def test_link_row_only_when_there_is_a_link() -> None:
    assert "关联投诉编号" not in flat(render_work_order(ticket(), HEADER))
    assert "返修（原单号）" in flat(render_work_order(ticket(), HEADER, rework_of_no="WX1"))


def test_few_charge_lines_still_leave_three_rows_and_one_not_home_row() -> None:
    blocks = work_order_blocks(ticket(charges=CHARGES[:1], not_home=[]))
    assert _table_rows(blocks, "材料及人工") == 3
    assert _table_rows(blocks, "派工") == 1
    assert _table_rows(work_order_blocks(ticket()), "材料及人工") == 6


def test_earlier_unsatisfied_visits_are_listed() -> None:
    earlier = RepairVisit(
        datetime(2026, 11, 25, 9, 0), "李晓敏", Satisfaction.UNSATISFIED, "仍滴水"
    )
    text = flat(render_work_order(ticket(past_visits=[earlier], reopen_count=1), HEADER))
    assert "历次回访第1次2026-11-2509:00李晓敏不满意：仍滴水" in text
    assert "已返工1次" in text


def long_description(n: int = 3000) -> str:
    sentences = [
        f"第{i}处：业主反映楼上漏水 water leak #{i}，天花板发霉、墙皮脱落；"
        + ("\n" if i % 7 == 0 else "")
        for i in range(1, 300)
    ]
    return "".join(sentences)[:n]


def test_long_description_comes_out_complete_across_pages() -> None:
    description = long_description()
    assert len(description) == 3000
    texts = pages(render_work_order(ticket(description=description), HEADER))
    total = len(texts)
    assert total >= 2
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页共{total}页" in squash(text)
    assert all("维修派工单（维修服务确认单）（续）" in squash(t) for t in texts[1:])
    rest = squash(description)
    for text in texts:  # each page holds the next stretch of the description, in order
        rest = rest[_longest_prefix_in(rest, squash(text)) :]
    assert rest == ""
    whole = flat(render_work_order(ticket(description=description), HEADER))
    assert whole.index("序号") > whole.index(squash(description)[-40:])  # then the rest follows
    assert "223.13" in whole and "客服确认" in whole


def _longest_prefix_in(needle: str, haystack: str) -> int:
    low, high = 0, len(needle)
    while low < high:
        mid = (low + high + 1) // 2
        if needle[:mid] in haystack:
            low = mid
        else:
            high = mid - 1
    return low


# --------------------------------------------------------------------------- blank


def test_blank_form_has_every_label_and_empty_rows() -> None:
    texts = pages(render_work_order(None, HEADER))
    assert len(texts) == 1
    text = squash(texts[0])
    labels = (
        "维修派工单（维修服务确认单） 编号 报修 报修时间 报修人 联系电话 房号/位置 类别 报修方式 "
        "来电 来访 书面 巡查发现 投诉转来 其他 紧急程度 紧急 一般 计划性 是否有偿 有偿 无偿 "
        "预约上门时间 故障描述 关联投诉编号 返修（原单号） 派工 派工时间 维修人员 到场时限 "
        "完成时限 "
        "业主不在家时间 处理 留言 改约 改约上门时间 说明 维修 到场时间 完成时间 维修结果 "
        "材料及人工 序号 项目 单位 数量 单价（元） 金额（元） 合计（元） 人民币（大写） "
        "业主验收 验收意见 满意 基本满意 不满意 业主签名 验收时间 回访 回访时间 回访人 回访结果 "
        "维修人员签名 客服确认 签名 日期 年 月 日 时 分"
    )
    for label in labels.split():
        assert label in text, label
    assert "✓" not in text
    assert not re.search(r"\d", text.replace("第1页共1页", ""))  # no dates, numbers or amounts
    assert "纸质签名存档" not in text and "无偿维修" not in text
    blocks = work_order_blocks(None)
    assert _table_rows(blocks, "材料及人工") == 5
    assert _table_rows(blocks, "派工") == 2


def _table_rows(blocks: list[Block], section: str) -> int:
    """How many body rows the table in a section prints (paginated, so padding is counted)."""
    found = [
        row
        for block in blocks
        if isinstance(block, Section) and block.label == section
        for row in block.rows
        if isinstance(row, Table)
    ]
    assert len(found) == 1
    fragments = [f for page in paginate([Section(section, found[0])]) for f in page]
    return len(fragments) - 1  # less the header


# --------------------------------------------------------------------------- the PDF itself


def test_fonts_are_embedded_as_a_subset() -> None:
    reader = PdfReader(io.BytesIO(render_work_order(ticket(), HEADER)))
    seen = 0
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            assert re.fullmatch(r"/[A-Z]{6}\+WenQuanYiMicroHei", font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            assert "/ToUnicode" in font
            seen += 1
    assert seen >= 1


def test_metadata_and_same_bytes_for_the_same_ticket() -> None:
    pdf = render_work_order(ticket(), HEADER)
    assert pdf == render_work_order(ticket(), HEADER)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == "维修派工单（维修服务确认单） WX2026-0012"


def test_filled_form_is_small_and_quick(capsys: pytest.CaptureFixture[str]) -> None:
    font_name()  # registering the font is a once-per-process cost, not the form's
    render_work_order(ticket(), HEADER)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        pdf = render_work_order(ticket(), HEADER, complaint_no="TS2026-0001")
        timings.append(time.perf_counter() - start)
    assert len(pdf) <= 80 * 1024
    with capsys.disabled():  # measured and reported, not asserted: CI machines vary
        print(f"\n维修派工单: {min(timings) * 1000:.1f} ms, {len(pdf) / 1024:.1f} KB")


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("fen", "yuan"), [(0, "0.00"), (5, "0.05"), (1250, "12.50"), (100000, "1000.00"), (-5, "-0.05")]
)
def test_yuan(fen: int, yuan: str) -> None:
    assert _yuan(fen) == yuan


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (0, "零元整"),
        (50, "伍角整"),
        (5, "伍分"),
        (1000, "壹拾元整"),
        (10005, "壹佰元零伍分"),
        (32050, "叁佰贰拾元伍角整"),
        (10000005, "壹拾万元零伍分"),
        (1000100000, "壹仟万零壹仟元整"),
        (12345678901, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分"),
    ],
)
def test_capital_amount(fen: int, words: str) -> None:
    assert _capital(fen) == words


def test_quantity_has_no_trailing_zeros() -> None:
    values = ("2", "0.50", "1.250", "100", "1E+2")
    assert [_quantity(Decimal(v)) for v in values] == ["2", "0.5", "1.25", "100", "100"]


# --------------------------------------------------------------------------- the toolkit's Table

COLUMNS = (Column("序号", 0.5, "centre"), Column("项目", 3), Column("金额（元）", 1, "right"))


def _text_runs(pdf: bytes) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text run on the first page."""
    runs: list[tuple[str, float, float]] = []

    def visit(text: str, cm: object, tm: list[float], font: object, size: object) -> None:
        if text.strip():
            runs.append((text, tm[4], tm[5]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return runs


def test_table_right_aligns_numbers_and_lines_up_with_a_weighted_row() -> None:
    amounts = ("1.00", "12345.00", "0.50")
    table = Table(COLUMNS, [(str(i), "水管", a) for i, a in enumerate(amounts, start=1)])
    total = Row(Field("合计", "", weight=3.5), Field("", "12346.50", weight=1, align="right"))
    runs = _text_runs(render_form("测试表", "", HEADER, [table, total]))
    rights = [x + width_of(text) for text, x, _ in runs if text in (*amounts, "12346.50")]
    assert len(rights) == 4
    assert max(rights) - min(rights) < 0.5  # one right edge for all amounts, the total's too
    lefts = [x for text, x, _ in runs if text == "水管"]
    assert len(lefts) == 3 and max(lefts) - min(lefts) < 0.01


def test_table_pads_to_min_rows_and_checks_row_length() -> None:
    fragments = paginate([Table(COLUMNS, [("1", "水管", "1.00")], min_rows=5)])[0]
    assert len(fragments) == 6  # the header and five rows
    assert all(f.height == fragments[0].height for f in fragments)
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        Table(COLUMNS, [("1", "水管")])
    with pytest.raises(ValueError):
        Table([])


def test_a_long_table_repeats_its_header_and_never_splits_a_row() -> None:
    rows = [(str(i), f"材料第{i}项" + "长名称" * (i % 4 * 12), f"{i}.00") for i in range(1, 90)]
    pdf = render_form("测试表", "", HEADER, [Section("材料", Table(COLUMNS, rows))])
    texts = [squash(t) for t in pages(pdf)]
    assert len(texts) >= 3
    for text in texts:
        assert "序号项目金额（元）" in text  # the header on every page
    seen = "".join(texts)
    for i in range(1, 90):
        assert f"材料第{i}项" in seen
    pager_pages = paginate([Section("材料", Table(COLUMNS, rows))])
    by_row: dict[int, int] = {}
    for frags in pager_pages:
        for frag in frags:
            assert frag.start == 0 and frag.count == frag.row.n  # each row whole on one page
            by_row[id(frag.row)] = by_row.get(id(frag.row), 0) + 1
    header_count = max(by_row.values())
    assert header_count == len(pager_pages)  # the one row placed on every page is the header
