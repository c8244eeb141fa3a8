"""Schema 2: indexes that keep the complaint list fast on a large register.

- One index per column the list sorts by, so a sort of the whole register walks an index
  instead of sorting every row.
- `complaints_list`: every column the list filters or sorts on, keyed by id. A text search
  joins its hits to this narrow index instead of to the wide table (which carries the
  complaint texts), so looking up and sorting tens of thousands of hits stays cheap.
- The search index is rebuilt with each record's search key as its rowid (receipt minute and
  id, see app/store/search_text.py), so a plain search comes out newest first by itself.
"""

from __future__ import annotations

# app.store.search_text.search_key computed inside SQLite (2208988800 s from 1900 to 1970);
# tests/unit/test_migrations.py checks that the two agree.
SQL_KEY = "(((CAST(strftime('%s', {received}) AS INTEGER) + 2208988800) / 60) << 32) | {id}"
_FTS = "fts5(body, tokenize = 'unicode61 remove_diacritics 0', prefix = '1')"

SORTED_COLUMNS = (
    "complainant",
    "room",
    "category",
    "urgency",
    "validity",
    "status",
    "reply_due_at",
)
LIST_COLUMNS = (
    "id",
    "received_at",
    "reply_due_at",
    "replied_at",
    "status",
    "validity",
    "category",
    "responsible_dept",
    "urgency",
    "complainant",
    "room",
    "no",
)

STATEMENTS: tuple[str, ...] = (
    *(f"CREATE INDEX complaints_by_{c} ON complaints ({c})" for c in SORTED_COLUMNS),
    f"CREATE INDEX complaints_list ON complaints ({', '.join(LIST_COLUMNS)})",
    f"CREATE VIRTUAL TABLE complaint_search_by_key USING {_FTS}",
    "INSERT INTO complaint_search_by_key (rowid, body) SELECT "
    + SQL_KEY.format(received="c.received_at", id="c.id")
    + ", s.body FROM complaint_search s JOIN complaints c ON c.id = s.rowid",
    "DROP TABLE complaint_search",
    "ALTER TABLE complaint_search_by_key RENAME TO complaint_search",
)
