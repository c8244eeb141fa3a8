"""The list machinery every register shares: ids in display order, counts, paged loading.

A register's store supplies its table, its narrow list index, its search index and a
function that turns its filter into SQL conditions; this class does the rest the same way
for complaints, repairs and the registers to come.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from app.db.connection import Database
from app.domain.id_list import IdList
from app.domain.listing import Sort
from app.store.search_index import SearchIndex
from app.store.search_text import match_expression

PAGE = 500


class ListFilter(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def narrows(self) -> bool: ...
    @property
    def date_range(self) -> tuple[date | None, date | None]: ...
    @property
    def plain_search(self) -> bool: ...


Where = Callable[[Any, datetime], tuple[str, dict[str, Any]]]


class RegisterList:
    def __init__(
        self,
        database: Database,
        search: SearchIndex,
        *,
        table: str,
        alias: str,
        list_index: str,
        date_column: str,
        sort_columns: tuple[str, ...],
        where: Where,
    ) -> None:
        self.database = database
        self.search = search
        self.table, self.alias, self.list_index = table, alias, list_index
        self.date_column, self.sort_columns = date_column, sort_columns
        self.where = where

    def ids(self, flt: ListFilter, sort: Sort, now: datetime, limit: int | None = None) -> IdList:
        """Ids of the matching records in display order (the list pages rows by these).

        A plain search in date order reads the search index's own order. Unfiltered, the
        sort column's index gives the order. With a narrowing filter the "+" keeps SQLite
        from walking the sort index row by row: it finds the matching rows through the
        filter's index (or the text index) and sorts only those.
        """
        column = sort.column if sort.column in self.sort_columns else self.date_column
        match = match_expression(flt.text)
        if column == self.date_column and flt.plain_search and match is not None:
            start, end = flt.date_range
            return self.search.ids_in_key_order(match, start, end, sort.descending, limit)
        where, params = self.where(flt, now)
        a = self.alias
        direction = "DESC" if sort.descending else "ASC"
        key = f"+{a}.{column}" if flt.narrows else f"{a}.{column}"
        head = "" if limit is None else f" LIMIT {int(limit)}"
        sql = (
            f"SELECT group_concat(id) FROM (SELECT {a}.id FROM {self.source(flt)} "
            f"WHERE {where} ORDER BY {key} {direction}, {a}.id {direction}{head})"
        )
        return IdList(self.database.reader().execute(sql, params).fetchone()[0])

    def count(self, flt: ListFilter, now: datetime) -> int:
        where, params = self.where(flt, now)
        if where == "1":  # SQLite counts a whole table without reading it
            return int(self.database.scalar(f"SELECT count(*) FROM {self.table}"))
        sql = f"SELECT count(*) FROM {self.source(flt)} WHERE {where}"
        return int(self.database.scalar(sql, params))

    def source(self, flt: ListFilter) -> str:
        """What the list reads: a text search joins its hits to the narrow list index."""
        if match_expression(flt.text) is None:
            return f"{self.table} {self.alias}"
        return self.search.joined(self.table, self.alias, self.list_index)

    def records(
        self, load: Callable[[dict[str, Any]], Any], ids: Sequence[int] | None = None
    ) -> Iterator[Any]:
        """Every record (or these), oldest first: one page in memory at a time (exports)."""
        if ids is None:
            ids = [
                r[0]
                for r in self.database.reader().execute(
                    f"SELECT id FROM {self.table} ORDER BY {self.date_column}, id"
                )
            ]
        for start in range(0, len(ids), PAGE):
            page = ids[start : start + PAGE]
            marks = ",".join("?" * len(page))
            rows = {
                r["id"]: r
                for r in self.database.query(
                    f"SELECT * FROM {self.table} WHERE id IN ({marks})", list(page)
                )
            }
            for i in page:
                yield load(rows[i])
