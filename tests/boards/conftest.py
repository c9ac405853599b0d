"""Board fixtures: cards on the personas' boards (made by tests/factories.py), and a column's cards
read back in board order."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from server.tables import Task
from tests.browser.conftest import chromium, live_server, new_page, page_for, screenshot  # noqa: F401 (test_live_dom)
from tests.conftest import Agency
from tests.factories import add_card, column_id


@dataclass
class DialogCards:
    """Cards for the card-dialog tests: two on ACME (shared with Acme), one on Globex."""

    acme_todo: int  # column "To do" on ACME
    acme_doing: int  # column "In progress" on ACME
    homepage: int  # ACME, in To do
    footer: int  # ACME, in To do
    globex_card: int  # GLOBEX, in To do


@pytest.fixture
async def dialog_cards(agency: Agency) -> DialogCards:
    homepage = await add_card(agency.acme_project, "Homepage hero copy")
    footer = await add_card(agency.acme_project, "Footer links")
    globex_card = await add_card(agency.globex_project, "Globex onboarding")
    return DialogCards(
        acme_todo=await column_id(agency.acme_project, "To do"),
        acme_doing=await column_id(agency.acme_project, "In progress"),
        homepage=homepage,
        footer=footer,
        globex_card=globex_card,
    )


async def order(column: int) -> list[int]:
    """The live cards of a column, top to bottom."""
    rows = (
        await Task.select(Task.id)
        .where((Task.column == column) & Task.archived.eq(False))
        .order_by(Task.rank)
        .order_by(Task.id)
    )
    return [r["id"] for r in rows]
