"""A register's full-text index (see search_text.py), keyed by receipt time and record id.

The rowid is `search_key(received_at, id)`, so a search with nothing but words (and perhaps a
date range) reads its hits straight from the index in the list's default order, and a search
combined with other filters joins its hits to the register's narrow list index.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from app.db.connection import Database
from app.domain.id_list import IdList
from app.store.search_text import ID_MASK, index_text, search_key


class SearchIndex:
    def __init__(self, database: Database, table: str) -> None:
        self.database = database
        self.table = table

    def write(
        self,
        record_id: int,
        received_at: datetime,
        parts: list[str],
        old_received_at: datetime | None = None,
    ) -> None:
        """(Re)index a record; pass its stored receipt time when it may have changed."""
        conn = self.database.conn
        if old_received_at is not None:
            conn.execute(
                f"DELETE FROM {self.table} WHERE rowid = ?",
                (search_key(old_received_at, record_id),),
            )
        conn.execute(
            f"INSERT INTO {self.table} (rowid, body) VALUES (?, ?)",
            (search_key(received_at, record_id), index_text(*parts)),
        )

    def ids_in_key_order(
        self,
        match: str,
        received_from: date | None,
        received_to: date | None,
        descending: bool,
        limit: int | None,
    ) -> IdList:
        """Hits newest first (or oldest first), within the dates when given."""
        clauses = [f"{self.table} MATCH :match"]
        params: dict[str, Any] = {"match": match}
        if received_from:
            params["k0"] = search_key(datetime.combine(received_from, time()), 0)
            clauses.append("rowid >= :k0")
        if received_to:
            end = datetime.combine(received_to, time()) + timedelta(days=1)
            params["k1"] = search_key(end, 0)
            clauses.append("rowid < :k1")
        direction = "DESC" if descending else "ASC"
        head = "" if limit is None else f" LIMIT {int(limit)}"
        sql = (
            f"SELECT group_concat(rowid & {ID_MASK}) FROM (SELECT rowid FROM {self.table} "
            f"WHERE {' AND '.join(clauses)} ORDER BY rowid {direction}{head})"
        )
        return IdList(self.database.reader().execute(sql, params).fetchone()[0])

    def joined(self, register_table: str, alias: str, list_index: str) -> str:
        """FROM clause joining the hits to the register through its narrow list index."""
        return (
            f"{self.table} JOIN {register_table} {alias} INDEXED BY {list_index} "
            f"ON {alias}.id = ({self.table}.rowid & {ID_MASK})"
        )

    def match_clause(self) -> str:
        return f"{self.table} MATCH :match"
