"""Unit tests are pure: they need neither the database nor Redis that the shared fixtures prepare."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def schema() -> None:
    """Overrides the shared migration: nothing here touches a database."""


@pytest.fixture
def clean() -> None:
    """Overrides the shared per-test cleanup of tables and Redis."""
