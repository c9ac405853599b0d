"""A weekly plan to review: this week's ACME sprint with two estimated cards, and helpers to read
back where its review stands."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from server.sprints.review_store import VERBS
from server.tables import Activity, Sprint, Task
from tests.conftest import Agency
from tests.factories import add_card, weekly_sprint


@dataclass
class Planned:
    sprint_id: int
    hero: int
    footer: int


async def plan_cards(project_id: int, sprint_id: int, *cards: tuple[str, int | None, str]) -> list[int]:
    """Cards (title, estimate minutes, description) put in the sprint."""
    ids = []
    for title, estimate, description in cards:
        task_id = await add_card(project_id, title, sprint_id=sprint_id, estimate=estimate)
        await Task.update({Task.description: description}).where(Task.id == task_id)
        ids.append(task_id)
    return ids


@pytest.fixture
async def planned(agency: Agency) -> Planned:
    sprint_id = await weekly_sprint(agency.acme_project)
    await Sprint.update({Sprint.goal: "Launch the new homepage"}).where(Sprint.id == sprint_id)
    hero, footer = await plan_cards(
        agency.acme_project,
        sprint_id,
        ("Homepage hero copy", 180, "Three **headline** options"),
        ("Footer links", 60, ""),
    )
    return Planned(sprint_id, hero, footer)


async def review_steps(project_id: int) -> list[tuple[str, int | None]]:
    """The activity log's review steps: (verb, actor id)."""
    rows = (
        await Activity.select(Activity.verb, Activity.actor)
        .where((Activity.project == project_id) & Activity.verb.is_in(list(VERBS)))
        .order_by(Activity.seq)
    )
    return [(r["verb"], r["actor"]) for r in rows]
