"""A long list of record ids that costs little to fetch.

Reading 200,000 ids row by row through Python's sqlite3 costs about 0.6 µs a row, more than
SQLite's own walk of the index. The store instead asks SQLite for one comma-joined string and
this sequence turns an entry into an int only when it is read (the list shows a page at a time).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload


class IdList(Sequence[int]):
    __slots__ = ("_parts",)

    def __init__(self, joined: str | None = None, *, ids: Sequence[int] = ()) -> None:
        self._parts: list[str] = joined.split(",") if joined else [str(i) for i in ids]

    def __len__(self) -> int:
        return len(self._parts)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [int(p) for p in self._parts[index]]
        return int(self._parts[index])

    def __iter__(self) -> Iterator[int]:
        return (int(p) for p in self._parts)

    def __contains__(self, value: object) -> bool:
        return str(value) in self._parts

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        stop = len(self._parts) if stop is None else stop
        return self._parts.index(str(value), start, stop)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdList):
            return self._parts == other._parts
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        raise TypeError("IdList is unhashable")

    def __repr__(self) -> str:
        return f"IdList({len(self)} ids)"
