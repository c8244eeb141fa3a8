"""编号 for a new estate's records, handed out in receipt order without a round trip to the
`counters` table per record (each one an audited UPDATE); `claim` then moves the counters past
the numbers used, once per year, so the app goes on from there."""

from __future__ import annotations

from app.db.connection import Database
from app.store import numbering


class Numbers:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.last: dict[int, int] = {}

    def next(self, year: int) -> str:
        self.last[year] = self.last.get(year, 0) + 1
        return numbering.format_no(self.prefix, year, self.last[year])

    def claim(self, database: Database) -> None:
        """Call inside the transaction that stored the records."""
        for year, seq in self.last.items():
            numbering.claim_no(database, self.prefix, numbering.format_no(self.prefix, year, seq))
