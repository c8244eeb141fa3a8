"""An ordered list of names the office edits (投诉类别, 维修类别 …); names are never deleted,
only hidden, so old records keep theirs."""

from __future__ import annotations

from app.db.connection import Database


class PickList:
    def __init__(self, database: Database, table: str) -> None:
        self.database = database
        self.table = table

    def names(self) -> list[str]:
        return [
            r[0]
            for r in self.database.reader().execute(
                f"SELECT name FROM {self.table} WHERE active = 1 ORDER BY sort_order, id"
            )
        ]

    def set(self, names: list[str]) -> None:
        conn = self.database.conn
        conn.execute(f"UPDATE {self.table} SET active = 0")
        for order, name in enumerate(names):
            conn.execute(
                f"INSERT INTO {self.table} (name, sort_order) VALUES (?, ?) ON CONFLICT (name) "
                "DO UPDATE SET sort_order = excluded.sort_order, active = 1",
                (name, order),
            )
