"""Viewers of one board in two languages: a live event reaches each drawn in their own language, not
in the language of the person who made it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import expect

from server.boards.demo import seed_boards
from server.kernel.i18n import short_day, speaking
from server.tables import Task, User
from tests.browser.conftest import PageFor, drag, open_board, task_id
from tests.conftest import Agency
from tests.factories import columns_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_a_card_max_moves_reaches_ada_in_vietnamese_and_max_in_english(agency: Agency, page_for: PageFor) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    await User.update({User.locale: "vi"}).where(User.id == agency.ada)
    cols = await columns_of(agency.acme_project)
    hero = await task_id("Homepage hero copy")
    due = datetime.now(UTC).date() + timedelta(days=3)
    await Task.update({Task.due_on: due}).where(Task.id == hero)
    with speaking("en"):
        english = short_day(due, datetime.now(UTC).date())
    with speaking("vi"):
        vietnamese = short_day(due, datetime.now(UTC).date())
    assert english != vietnamese

    max_page, ada_page = await page_for("max"), await page_for("ada")
    await open_board(max_page, agency.acme_project)
    await open_board(ada_page, agency.acme_project)
    await expect(ada_page.locator("html")).to_have_attribute("lang", "vi")

    review = f"#column-{cols['Review']}"
    await drag(max_page, max_page.locator(f"#task-{hero}"), max_page.locator(f"{review} .card-list"))
    # The card each page now shows came with the move's event, drawn for that page's language.
    await expect(ada_page.locator(f"{review} #task-{hero} .chip-due")).to_have_text(vietnamese)
    await expect(max_page.locator(f"{review} #task-{hero} .chip-due")).to_have_text(english)
    assert await ada_page.evaluate("window.boardroomTestMark") == "still here"
