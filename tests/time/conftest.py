"""Reading back a person's time entries, and the app as an agency in another time zone runs it, for
the time tests (cards and entries come from tests/factories.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from server.kernel.config import Settings
from server.tables import TimeEntry
from tests.conftest import running_app


async def entries_of(person_id: int) -> list[dict[str, Any]]:
    return await TimeEntry.select().where(TimeEntry.person == person_id).order_by(TimeEntry.id)


async def running_of(person_id: int) -> list[dict[str, Any]]:
    return await TimeEntry.select().where((TimeEntry.person == person_id) & TimeEntry.ended_at.is_null())


@asynccontextmanager
async def app_in(timezone: str) -> AsyncIterator[Any]:
    """The app as an agency in `timezone` runs it (the suite's agency is in UTC)."""
    async with running_app(dataclasses.replace(Settings.from_env(), timezone=timezone)) as application:
        yield application
