"""Chinese substring search through the bigram index, against a real FTS5 table."""

from __future__ import annotations

import sqlite3

import pytest

from app.store.search_text import index_text, match_expression

TEXTS = {
    1: "3栋电梯漏水，地面湿滑",
    2: "楼上装修噪音，晚上十点还在施工",
    3: "电费收费标准不清楚",
    4: "地下车库照明坏了 B2-117车位",
    5: "梯",
}


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE s USING fts5(body, tokenize='unicode61 "
        "remove_diacritics 0', prefix='1')"
    )
    for rowid, text in TEXTS.items():
        conn.execute("INSERT INTO s (rowid, body) VALUES (?, ?)", (rowid, index_text(text)))
    return conn


def found(conn: sqlite3.Connection, query: str) -> set[int]:
    expression = match_expression(query)
    assert expression is not None
    return {r[0] for r in conn.execute("SELECT rowid FROM s WHERE s MATCH ?", (expression,))}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("电梯", {1}),  # two characters
        ("漏水", {1}),
        ("梯漏", {1}),  # across a word boundary: a substring is a substring
        ("电梯漏水", {1}),
        ("收费", {3}),
        ("电", {1, 3}),  # one character
        ("水", {1}),  # the last character of a run
        ("梯", {1, 5}),
        ("漏电", set()),
        ("水地", set()),  # never across punctuation
        ("b2", {4}),
        ("B2-117", {4}),
        ("117车位", {4}),
        ("装修 十点", {2}),  # words separated by spaces must all occur
        ("装修 电梯", set()),
        ("晚上十点还在施工", {2}),
    ],
)
def test_substring_search(fts: sqlite3.Connection, query: str, expected: set[int]) -> None:
    assert found(fts, query) == expected


@pytest.mark.parametrize("query", ["", "  ", "，。！", '"', "*", "AND", '电梯"OR"', "NEAR("])
def test_odd_queries_never_break_the_match(fts: sqlite3.Connection, query: str) -> None:
    expression = match_expression(query)
    if expression is not None:
        fts.execute("SELECT rowid FROM s WHERE s MATCH ?", (expression,)).fetchall()
