"""The wire format in a real browser: after live moves (a drag, the "Move to…" menu, a column passing
its WIP limit), the board on a page that never reloaded is the board a fresh load shows, in htmx and
board.js as they are, not in the Python model of them."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from server.boards.demo import seed_boards
from server.tables import BoardColumn
from tests.boards.wire import Page as Board
from tests.boards.wire import difference
from tests.browser.conftest import PageFor, Screenshot, drag, open_board, task_id
from tests.conftest import Agency
from tests.factories import columns_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def board_of(page: Page) -> Board:
    """The board as the page holds it now (htmx's settling classes gone)."""
    await expect(page.locator("#board-columns .htmx-added, #board-columns .htmx-settling")).to_have_count(0)
    html = await page.locator("#board").evaluate("board => board.outerHTML")
    return Board.of(html)


async def fresh_board(page_for: PageFor, who: str, project_id: int) -> Board:
    page = await page_for(who)
    await page.goto(f"/projects/{project_id}")
    return await board_of(page)


async def test_a_page_that_never_reloaded_shows_the_board_a_fresh_load_shows(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    cols = await columns_of(agency.acme_project)
    await BoardColumn.update({BoardColumn.wip_limit: 2}).where(BoardColumn.id == cols["Review"])
    hero = await task_id("Homepage hero copy")
    max_page, ada_page = await page_for("max"), await page_for("ada")
    await open_board(max_page, agency.acme_project)
    await open_board(ada_page, agency.acme_project)
    await screenshot(ada_page, "wire-before")

    review = f"#column-{cols['Review']}"
    await drag(max_page, max_page.locator(f"#task-{hero}"), max_page.locator(f"{review} .card-list"))
    await expect(ada_page.locator(f"{review} #task-{hero}")).to_be_visible()
    await expect(ada_page.locator(review)).to_have_class("column at-limit")

    # Another card into Review through the menu: past the (soft) limit, the column says so.
    second = max_page.locator(f"#column-{cols['To do']} .card").first
    second_id = await second.get_attribute("data-task-id")
    await second.locator(".move-btn").click()
    await max_page.locator(f"#move-menu button[data-column-id='{cols['Review']}']").click()
    await expect(ada_page.locator(f"{review} #task-{second_id}")).to_be_visible()
    await expect(ada_page.locator(review)).to_have_class("column over-limit")
    await expect(ada_page.locator(f"#column-{cols['Review']}-count")).to_have_text("3 / 2")
    await expect(max_page.locator(f"{review} #task-{second_id}")).to_be_visible()

    for who, page in (("ada", ada_page), ("max", max_page)):
        now = await board_of(page)
        fresh = await fresh_board(page_for, who, agency.acme_project)
        for board in (now, fresh):  # max used the "Move to…" menu: it keeps where and for what it opened
            menu = board.root.by_id("move-menu")
            assert menu is not None
            menu.detach()
        assert now.cards() == fresh.cards(), who
        assert now.board() == fresh.board(), difference(now.board()[1], fresh.board()[1])
    assert await ada_page.evaluate("window.boardroomTestMark") == "still here"
    await screenshot(ada_page, "wire-after")
