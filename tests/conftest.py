"""Shared fixtures: a fresh data folder and services per test, at a fixed time."""

from __future__ import annotations

import os

# Qt must see this before it is imported anywhere (tests/ui imports it).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app.paths import DataDir  # noqa: E402
from app.services import Services  # noqa: E402
from tests.accounts_support import open_signed_in  # noqa: E402

NOW = datetime(2026, 11, 20, 10, 0)  # a Friday


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")


@pytest.fixture
def services(data_dir: DataDir, clock: FakeClock) -> Iterator[Services]:
    s = open_signed_in(data_dir, clock=clock)
    yield s
    s.close()
