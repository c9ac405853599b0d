"""Fixtures for the admin's client and project pages: ada signed in, as most tests need her."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Browser


@pytest.fixture
async def ada(as_user: Any) -> Browser:
    browser: Browser = await as_user("ada")
    return browser
