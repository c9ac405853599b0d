"""Sprint fixtures: the ACME board with estimated cards, and its sprints of this week and next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from server.boards.changes import Silent
from server.boards.store import ensure_sprints, sprint_of_week
from server.boards.writes import create_default_columns, create_task
from server.rules.policy import Actor, Role
from server.rules.weeks import monday_of
from server.tables import BoardColumn, Project, Sprint, Task
from tests.conftest import Agency


def ada(agency: Agency) -> Actor:
    return Actor(id=agency.ada, email="ada@agency.test", name="Ada Admin", role=Role.ADMIN)


@dataclass
class SprintBoard:
    """ACME's columns by name, cards by title, and this week's and next week's sprints."""

    columns: dict[str, int]
    cards: dict[str, int]
    this_week: int
    next_week: int
    monday: date
    globex_sprint: int


def today() -> date:
    return datetime.now(UTC).date()  # the test settings' agency time zone is UTC


async def add_card(
    agency: Agency, project_id: int, column_id: int, title: str, estimate: int | None, sprint: int | None
) -> int:
    project = await Project.select().where(Project.id == project_id).first()
    assert project is not None
    task_id = await create_task(project, ada(agency), column_id, title, Silent(), sprint_id=sprint)
    await Task.update({Task.estimate_minutes: estimate}).where(Task.id == task_id)
    return task_id


async def sprint_row(sprint_id: int) -> dict:  # type: ignore[type-arg]
    row = await Sprint.select().where(Sprint.id == sprint_id).first()
    assert row is not None
    return row


async def task_row(task_id: int) -> dict:  # type: ignore[type-arg]
    row = await Task.select().where(Task.id == task_id).first()
    assert row is not None
    return row


@pytest.fixture
async def sprint_board(agency: Agency) -> SprintBoard:
    await create_default_columns(agency.acme_project)
    await create_default_columns(agency.globex_project)
    columns = {
        r["name"]: r["id"]
        for r in await BoardColumn.select(BoardColumn.id, BoardColumn.name).where(
            BoardColumn.project == agency.acme_project
        )
    }
    monday = monday_of(today())
    await ensure_sprints(agency.acme_project, today())
    await ensure_sprints(agency.globex_project, today())
    this_week = await sprint_of_week(agency.acme_project, monday)
    next_week = await sprint_of_week(agency.acme_project, monday + timedelta(days=7))
    globex = await sprint_of_week(agency.globex_project, monday)
    assert this_week and next_week and globex
    cards = {
        "Hero copy": await add_card(agency, agency.acme_project, columns["To do"], "Hero copy", 180, this_week["id"]),
        "Navigation": await add_card(
            agency, agency.acme_project, columns["In progress"], "Navigation", 300, this_week["id"]
        ),
        "Kick-off": await add_card(agency, agency.acme_project, columns["Done"], "Kick-off", 120, this_week["id"]),
        "Newsletter": await add_card(agency, agency.acme_project, columns["Backlog"], "Newsletter", 240, None),
        "Cookie banner": await add_card(agency, agency.acme_project, columns["Backlog"], "Cookie banner", None, None),
    }
    return SprintBoard(
        columns=columns,
        cards=cards,
        this_week=this_week["id"],
        next_week=next_week["id"],
        monday=monday,
        globex_sprint=globex["id"],
    )
