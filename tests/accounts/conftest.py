"""Fixtures for the account pages: ada signed in, as the admin's user pages need her."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Browser


@pytest.fixture
async def ada(as_user: Any) -> Browser:
    browser: Browser = await as_user("ada")
    return browser
