"""The printed forms: read back with pypdf, the way a clerk's PDF viewer would see them."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from app.domain.complaint import (
    Channel,
    Complaint,
    Opinion,
    ReturnVisit,
    Severity,
    Urgency,
    Validity,
)
from app.domain.escalation import Level, LevelOpinion, NoticeSource, TransferSheet, WorkNotice
from app.forms.complaint_record import render_complaint_record
from app.forms.fonts import has_glyph
from app.forms.inline import Text, text_tokens, wrap
from app.forms.toolkit import FormHeader
from app.forms.transfer_sheet import render_transfer_sheet
from app.forms.work_notice import render_work_notice

HEADER = FormHeader("翠湖花园", "翠湖花园管理处")
LEVELS = ("部门负责人", "管理处主任", "主管副总经理", "总经理")


def complaint(**changes: object) -> Complaint:
    record = Complaint(
        received_at=datetime(2026, 11, 22, 9, 30),
        content="楼上1602房卫生间漏水，导致本户天花板发霉，已持续两周。",
        urgency=Urgency.URGENT,
        no="TS2026-0001",
        receiver="李晓敏",
        complainant="陈先生",
        room="3-2-1502",
        phone="13800138000",
        channel=Channel.VISIT,
        category="维修",
        request="当天答复",
        severity=Severity.SERIOUS,
        validity=Validity.VALID,
        handler="张主管",
        visit=ReturnVisit(datetime(2026, 11, 27, 10, 0), "李晓敏", "电话", Opinion.SATISFIED),
    )
    for name, value in changes.items():
        setattr(record, name, value)
    return record


def transfer_sheet() -> TransferSheet:
    return TransferSheet(
        raised_on=date(2026, 11, 23),
        initiator="张主管",
        initiator_dept="客服部",
        subject="1602房业主拒绝开门检修",
        situation="业主长期不在家，客服部无法协调。",
        complaint_no="TS2026-0001",
        levels=[LevelOpinion(Level.DEPT_HEAD, "同意，请主任协调。", "刘部长", date(2026, 11, 23))],
        no="CQ2026-0001",
    )


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def flat(pdf: bytes) -> str:
    return squash("".join(pages(pdf)))


# --------------------------------------------------------------------------- 顾客投诉处理记录表


def test_filled_record_shows_its_values() -> None:
    pdf = render_complaint_record(
        complaint(), HEADER, deadline_text="2026-11-22 11:30 前", transfer_nos=["CQ2026-0001"]
    )
    text = flat(pdf)
    for value in ("TS2026-0001", "陈先生", "3-2-1502", "13800138000", "李晓敏", "张主管"):
        assert value in text
    assert squash(complaint().content) in text
    assert "2026-11-2209:30" in text  # 登记时间, printed as 2026-11-22 09:30
    assert "2026-11-2211:30前" in text  # the deadline text
    assert "✓来访" in text and "✓来电" not in text
    assert "✓严重" in text and "✓紧急" in text and "✓有效" in text and "✓满意" in text
    assert "CQ2026-0001" in text
    assert "翠湖花园管理处" in text


def test_media_complaint_ticks_other_with_its_channel() -> None:
    text = flat(render_complaint_record(complaint(channel=Channel.MEDIA), HEADER))
    assert "✓其他：媒体转来" in text
    assert text.count("✓") == 6  # 其他, 严重, 紧急, 有效, 回访方式 电话, 满意


def test_earlier_unsatisfied_visits_are_listed() -> None:
    earlier = ReturnVisit(
        datetime(2026, 11, 24, 10, 0), "李晓敏", "上门", Opinion.UNSATISFIED, "仍有水渍"
    )
    text = flat(render_complaint_record(complaint(past_visits=[earlier], reopen_count=1), HEADER))
    assert "第1次2026-11-2410:00李晓敏上门不满意：仍有水渍" in text
    assert "已重新处理1次" in text


def long_content(n: int = 5000) -> str:
    sentences = [
        f"第{i}段：业主反映楼上漏水 water leak #{i}，天花板发霉、墙皮脱落；"
        + ("\n" if i % 7 == 0 else "")
        for i in range(1, 400)
    ]
    return "".join(sentences)[:n]


def test_long_content_is_never_truncated_and_continues_on_later_pages() -> None:
    content = long_content()
    assert len(content) == 5000
    texts = pages(render_complaint_record(complaint(content=content), HEADER))
    total = len(texts)
    assert total >= 2
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页共{total}页" in squash(text)
    assert all("顾客投诉处理记录表（续）" in squash(t) for t in texts[1:])
    rest = squash(content)
    for text in texts:  # each page holds the next stretch of the content, in order
        rest = rest[_longest_prefix_in(rest, squash(text)) :]
    assert rest == ""


def _longest_prefix_in(needle: str, haystack: str) -> int:
    low, high = 0, len(needle)
    while low < high:
        mid = (low + high + 1) // 2
        if needle[:mid] in haystack:
            low = mid
        else:
            high = mid - 1
    return low


def test_blank_record_has_every_label_and_nothing_filled_in() -> None:
    texts = pages(render_complaint_record(None, HEADER))
    assert len(texts) == 1
    text = squash(texts[0])
    labels = (
        "顾客投诉处理记录表 编号 登记时间 接待人 投诉类别 投诉人 房号 联系电话 投诉方式 来电 来访 "
        "书面 意见箱 上级转来 其他 投诉内容 顾客要求 要求答复时间 即时答复 严重程度 紧急程度 "
        "答复期限 投诉性质 有效 无效 原因归属 发展商 外部环境 非管辖公共配套 跟进对象 跟进结果 "
        "原因分析 处理措施 责任部门 投诉处理人 完成时间 答复方式 口头 答复时间 答复内容 "
        "回访时间 回访人 回访方式 投诉人意见 满意 基本满意 不满意 部门负责人审核 签名 日期 "
        "关联工作传签单编号"
    )
    for label in labels.split():
        assert label in text, label
    assert "✓" not in text
    assert not re.search(r"\d{4}-\d{2}", text)  # no dates or numbers
    for value in ("TS2026", "陈先生", "1502", "李晓敏"):
        assert value not in text


def test_form_title_and_number_are_in_the_pdf_metadata() -> None:
    reader = PdfReader(io.BytesIO(render_complaint_record(complaint(), HEADER)))
    assert reader.metadata is not None
    assert reader.metadata.title == "顾客投诉处理记录表 TS2026-0001"


def test_the_same_record_prints_the_same_bytes() -> None:
    assert render_complaint_record(complaint(), HEADER) == render_complaint_record(
        complaint(), HEADER
    )


# --------------------------------------------------------------------------- fonts


def test_only_the_shipped_font_is_used_and_embedded_as_a_subset() -> None:
    reader = PdfReader(io.BytesIO(render_complaint_record(complaint(), HEADER)))
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            assert re.fullmatch(r"/[A-Z]{6}\+WenQuanYiMicroHei", font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            assert "/ToUnicode" in font  # what lets the text be searched and copied
            seen += 1
    assert seen >= 1


def test_the_font_has_no_ballot_boxes_so_they_are_drawn() -> None:
    assert not has_glyph("☐") and not has_glyph("☑")
    assert has_glyph("中")


# --------------------------------------------------------------------------- 工作传签单


def test_transfer_sheet_prints_all_four_level_boxes_in_order() -> None:
    for sheet in (transfer_sheet(), None):
        text = flat(render_transfer_sheet(sheet, HEADER))
        positions = [text.index(level) for level in LEVELS]
        assert positions == sorted(positions)
        assert text.count("签名") >= 4


def test_filled_transfer_sheet_shows_the_used_level_only() -> None:
    text = flat(render_transfer_sheet(transfer_sheet(), HEADER))
    for value in ("CQ2026-0001", "TS2026-0001", "张主管", "客服部", "同意，请主任协调。", "刘部长"):
        assert value in text
    assert "2026-11-23" in text
    assert text.count("签名：日期：年月日") == 3  # the unused levels stay blank for signing


def test_blank_transfer_sheet_has_every_label() -> None:
    text = flat(render_transfer_sheet(None, HEADER))
    labels = (
        "工作传签单 编号 日期 发起人 发起部门 事由 关联投诉编号 情况说明 建议处理意见 "
        "确定责任部门 工作安排通知单编号 处理结果 答复顾客情况 完成日期 经办人"
    )
    for label in labels.split():
        assert label in text, label
    assert not re.search(r"\d{4}-\d{2}", text)


# --------------------------------------------------------------------------- 工作安排通知单


def test_work_notice_filled_and_blank() -> None:
    notice = WorkNotice(
        issued_on=date(2026, 11, 24),
        issuer="王主任",
        to_dept="工程维修部",
        content="对1602房卫生间重做防水层。",
        source=NoticeSource.TRANSFER,
        transfer_no="CQ2026-0001",
        due_at=datetime(2026, 11, 25, 17, 0),
        no="TZ2026-0003",
    )
    text = flat(render_work_notice(notice, HEADER))
    assert "✓工作传签单（编号：CQ2026-0001）" in text
    for value in ("TZ2026-0003", "王主任", "工程维修部", "对1602房卫生间重做防水层。"):
        assert value in text
    assert "2026-11-2517:00" in text
    blank = flat(render_work_notice(None, HEADER))
    labels = (
        "工作安排通知单 编号 签发日期 签发人 接收部门 接收人 来源 日常检查发现 工作传签单 其他 "
        "工作内容 要求 完成时限 接收人签收 完成情况 完成时间 验收意见 验收人"
    )
    for label in labels.split():
        assert label in blank, label
    assert "✓" not in blank and "TZ2026" not in blank


# --------------------------------------------------------------------------- wrapping


def line_text(text: str, width: float) -> list[str]:
    return [
        "".join(p.text for _, p in line.pieces if isinstance(p, Text))
        for line in wrap(text_tokens(text), width)
    ]


def test_wrapping_keeps_latin_runs_together_and_punctuation_off_line_starts() -> None:
    lines = line_text("请于2026-11-22前处理完毕，编号TS2026-0001。" * 4, 120)
    assert len(lines) > 1
    assert all(not line.startswith(("，", "。")) for line in lines)
    for line in lines:
        assert set(re.findall(r"[A-Z0-9-]+", line)) <= {"2026-11-22", "TS2026-0001"}


@given(st.text(alphabet="楼上漏水，。（）ab 12-\n\u3000", max_size=200), st.integers(30, 300))
def test_wrapping_never_loses_a_character(text: str, width: int) -> None:
    assert squash("".join(line_text(text, width))) == squash(text)


def test_a_character_the_font_lacks_prints_as_a_box_not_a_blank() -> None:
    assert not has_glyph("😀")
    assert "业主□来电" in flat(render_complaint_record(complaint(content="业主😀来电"), HEADER))
