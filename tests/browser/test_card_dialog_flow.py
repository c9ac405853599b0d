"""The card dialog in a real browser: open it from the board, rename the card, and every open
board shows the new title without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from server.boards.demo import seed_boards
from server.tables import Task
from tests.browser.conftest import PageFor, open_board, task_id
from tests.conftest import Agency

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_max_renames_a_card_in_its_dialog_and_ada_sees_the_new_title(agency: Agency, page_for: PageFor) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    max_page, ada_page = await page_for("max"), await page_for("ada")
    await open_board(max_page, agency.acme_project)
    await open_board(ada_page, agency.acme_project)

    await max_page.locator(f"#task-{hero} .card-link").click()
    dialog = max_page.locator("dialog[open]")
    await expect(dialog).to_be_visible()
    await expect(max_page).to_have_url(re.compile(rf"/tasks/{hero}$"))
    title = dialog.locator("#cd-title")
    await title.fill("Homepage hero copy, second round")
    await title.press("Enter")

    await expect(ada_page.locator(f"#task-{hero} .card-title")).to_have_text("Homepage hero copy, second round")
    assert await ada_page.evaluate("window.boardroomTestMark") == "still here"  # no reload
    row = await Task.select(Task.title, Task.version).where(Task.id == hero).first()
    assert row is not None and row["title"] == "Homepage hero copy, second round" and row["version"] == 2

    await max_page.keyboard.press("Escape")
    await expect(max_page.locator("dialog[open]")).to_have_count(0)
    await expect(max_page).to_have_url(re.compile(rf"/projects/{agency.acme_project}$"))
