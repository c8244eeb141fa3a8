"""Progress of a long job (import, export): the caller's `progress(done, total)` is told how far
the job has got and answers False to cancel it.

A cancelled job raises :class:`JobCancelled` where it stands: an import is inside its one
transaction (so nothing is written) and an export inside its temporary file (so the chosen
file is left as it was).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

Progress = Callable[[int, int], bool]
"""progress(done, total) -> False to cancel; total is 0 when not known in advance."""
T = TypeVar("T")
EVERY = 100  # items between two reports: often enough to cancel at once, rarely enough to cost


class JobCancelled(Exception):
    def __init__(self) -> None:
        super().__init__("已取消，没有写入任何内容")


def report(progress: Progress | None, done: int, total: int) -> None:
    """Tell `progress`; JobCancelled when it answers False."""
    if progress is not None and not progress(done, total):
        raise JobCancelled


def counted(
    items: Iterable[T], total: int, progress: Progress | None, *, start: int = 0
) -> Iterator[T]:
    """`items`, reporting every EVERY of them (and at the end) as done out of `total`."""
    if progress is None:
        yield from items
        return
    done = start
    report(progress, done, total)
    for item in items:
        yield item
        done += 1
        if done % EVERY == 0:
            report(progress, done, total)
    report(progress, done, total)


STILL_WORKING_EVERY = 0.05  # seconds between two "still working" reports of `while_working`


def while_working(work: Callable[[], T], progress: Progress) -> T:
    """`work()` on a worker thread, telling `progress` (0, 0) — still working, nothing to count —
    every STILL_WORKING_EVERY seconds until it returns; its result, or its error.

    For a step that reads through connections of its own (a backup) inside a job that runs on
    the thread holding the database: the window repaints and 取消 can be pressed meanwhile.
    When `progress` answers False this raises JobCancelled at once; the work, which cannot be
    interrupted half-way, finishes by itself on its thread.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as e:  # handed to the caller's thread
            outcome["error"] = e

    worker = threading.Thread(target=run, name="while-working", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(STILL_WORKING_EVERY)
        if worker.is_alive():
            report(progress, 0, 0)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]  # type: ignore[no-any-return]
