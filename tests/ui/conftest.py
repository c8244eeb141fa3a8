"""UI tests: offscreen Qt (set in tests/conftest.py), the shipped font registered once."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _app_font(qapp):  # type: ignore[no-untyped-def]
    from ui.fonts import install_app_font

    install_app_font(qapp)
