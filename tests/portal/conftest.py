"""A weekly plan to review: this week's ACME sprint with two estimated cards, and helpers to read
back where its review stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from server.boards.store import ensure_sprints, sprint_of_week
from server.rules.weeks import monday_of
from server.sprints.review_store import VERBS
from server.tables import Activity, Sprint, Task
from tests.conftest import Agency
from tests.time.conftest import add_cards

TODAY = datetime.now(UTC).date()


@dataclass
class Planned:
    sprint_id: int
    hero: int
    footer: int


async def this_week(project_id: int) -> int:
    await ensure_sprints(project_id, TODAY)
    sprint = await sprint_of_week(project_id, monday_of(TODAY))
    assert sprint is not None
    return int(sprint["id"])


async def plan_cards(project_id: int, sprint_id: int, *cards: tuple[str, int | None, str]) -> list[int]:
    """Cards (title, estimate minutes, description) put in the sprint."""
    ids = await add_cards(project_id, *(title for title, _e, _d in cards))
    for task_id, (_title, estimate, description) in zip(ids, cards, strict=True):
        await Task.update(
            {Task.sprint: sprint_id, Task.estimate_minutes: estimate, Task.description: description}
        ).where(Task.id == task_id)
    return ids


@pytest.fixture
async def planned(agency: Agency) -> Planned:
    sprint_id = await this_week(agency.acme_project)
    await Sprint.update({Sprint.goal: "Launch the new homepage"}).where(Sprint.id == sprint_id)
    hero, footer = await plan_cards(
        agency.acme_project,
        sprint_id,
        ("Homepage hero copy", 180, "Three **headline** options"),
        ("Footer links", 60, ""),
    )
    return Planned(sprint_id, hero, footer)


async def sprint_row(sprint_id: int) -> dict[str, Any]:
    row = await Sprint.select().where(Sprint.id == sprint_id).first()
    assert row is not None
    return row


async def review_steps(project_id: int) -> list[tuple[str, int | None]]:
    """The activity log's review steps: (verb, actor id)."""
    rows = (
        await Activity.select(Activity.verb, Activity.actor)
        .where((Activity.project == project_id) & Activity.verb.is_in(list(VERBS)))
        .order_by(Activity.seq)
    )
    return [(r["verb"], r["actor"]) for r in rows]
