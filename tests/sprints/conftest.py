"""Sprint fixtures: the ACME board with estimated cards, and its sprints of this week and next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from server.rules.weeks import monday_of
from tests.conftest import Agency
from tests.factories import add_card, columns_of, today, weekly_sprint


@dataclass
class SprintBoard:
    """ACME's columns by name, cards by title, and this week's and next week's sprints."""

    columns: dict[str, int]
    cards: dict[str, int]
    this_week: int
    next_week: int
    monday: date
    globex_sprint: int


@pytest.fixture
async def sprint_board(agency: Agency) -> SprintBoard:
    columns = await columns_of(agency.acme_project)
    await columns_of(agency.globex_project)
    this_week = await weekly_sprint(agency.acme_project)
    next_week = await weekly_sprint(agency.acme_project, weeks_ahead=1)
    globex = await weekly_sprint(agency.globex_project)
    acme = agency.acme_project
    cards = {
        "Hero copy": await add_card(acme, "Hero copy", sprint_id=this_week, estimate=180),
        "Navigation": await add_card(acme, "Navigation", column="In progress", sprint_id=this_week, estimate=300),
        "Kick-off": await add_card(acme, "Kick-off", column="Done", sprint_id=this_week, estimate=120),
        "Newsletter": await add_card(acme, "Newsletter", column="Backlog", estimate=240),
        "Cookie banner": await add_card(acme, "Cookie banner", column="Backlog"),
    }
    return SprintBoard(
        columns=columns,
        cards=cards,
        this_week=this_week,
        next_week=next_week,
        monday=monday_of(today()),
        globex_sprint=globex,
    )
