"""Board fixtures: cards on the personas' boards, made through the same writes the app uses."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from server.boards.changes import Silent
from server.boards.writes import create_default_columns, create_task
from server.rules.policy import Actor, Role
from server.tables import BoardColumn, Project
from tests.conftest import Agency


@dataclass
class DialogCards:
    """Cards for the card-dialog tests: two on ACME (shared with Acme), one on Globex."""

    acme_todo: int  # column "To do" on ACME
    acme_doing: int  # column "In progress" on ACME
    homepage: int  # ACME, in To do
    footer: int  # ACME, in To do
    globex_card: int  # GLOBEX, in To do


async def add_card(project_id: int, column_name: str, title: str, *, by: int) -> int:
    await create_default_columns(project_id)
    project = await Project.select().where(Project.id == project_id).first()
    column = (
        await BoardColumn.select(BoardColumn.id)
        .where((BoardColumn.project == project_id) & (BoardColumn.name == column_name))
        .first()
    )
    assert project is not None and column is not None
    actor = Actor(id=by, email="", name="", role=Role.ADMIN)
    return await create_task(project, actor, column["id"], title, Silent())


async def column_id(project_id: int, name: str) -> int:
    row = (
        await BoardColumn.select(BoardColumn.id)
        .where((BoardColumn.project == project_id) & (BoardColumn.name == name))
        .first()
    )
    assert row is not None
    return int(row["id"])


@pytest.fixture
async def dialog_cards(agency: Agency) -> DialogCards:
    homepage = await add_card(agency.acme_project, "To do", "Homepage hero copy", by=agency.ada)
    footer = await add_card(agency.acme_project, "To do", "Footer links", by=agency.ada)
    globex_card = await add_card(agency.globex_project, "To do", "Globex onboarding", by=agency.ada)
    return DialogCards(
        acme_todo=await column_id(agency.acme_project, "To do"),
        acme_doing=await column_id(agency.acme_project, "In progress"),
        homepage=homepage,
        footer=footer,
        globex_card=globex_card,
    )
