"""The demo's logged hours: plenty of them, and every one a valid entry (no overlaps, no future)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import pairwise

from server.rules.entries import overlaps
from server.tables import Task, TimeEntry
from server.time.demo import WEEKS, seed_time, workdays
from tests.conftest import Agency
from tests.factories import add_card, add_cards


def test_workdays_are_weekdays_before_today() -> None:
    days = workdays(date(2026, 11, 25), 2)  # a Wednesday
    assert days[0] == date(2026, 11, 9) and days[-1] == date(2026, 11, 24)
    assert all(d.weekday() < 5 for d in days) and len(days) == 12


async def test_demo_hours_are_valid_entries_of_members_on_their_projects(agency: Agency) -> None:
    await add_cards(agency.acme_project, "Hero copy", "Navigation")
    await add_card(agency.globex_project, "Login")
    made = await seed_time(date(2026, 11, 25))

    entries = await TimeEntry.select().order_by(TimeEntry.person).order_by(TimeEntry.started_at)
    assert made == len(entries) and made >= WEEKS * 5 * 2  # max and mia, at least two a day
    assert {e["person"] for e in entries} == {agency.max, agency.mia}
    assert all(1 <= e["minutes"] <= 24 * 60 for e in entries)
    assert all(e["ended_at"] < datetime(2026, 11, 25, tzinfo=UTC) for e in entries)
    mias = {e["project"] for e in entries if e["person"] == agency.mia}
    assert mias == {agency.globex_project}
    live = {t["id"] for t in await Task.select(Task.id).where(Task.archived.eq(False))}
    assert not {e["task"] for e in entries} & live, "cards without an estimate take no demo hours"
    for earlier, later in pairwise(entries):
        if earlier["person"] == later["person"]:
            assert not overlaps(earlier["started_at"], earlier["ended_at"], later["started_at"], later["ended_at"])
