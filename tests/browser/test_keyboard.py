"""A board worked with the keyboard alone: a skip link, arrows between cards and columns, and the
"Move to…" menu (Enter opens, arrows choose, Enter moves, Escape closes) that keeps focus on the card."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from server.boards.demo import seed_boards
from server.tables import Task
from tests.browser.conftest import PageFor, Screenshot, open_board, task_id
from tests.conftest import Agency
from tests.factories import columns_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def focused_card(page: Page) -> str | None:
    """The id of the card holding the focus (None: focus is not on a card)."""
    return await page.evaluate("() => document.activeElement?.closest('.card')?.id ?? null")


async def test_the_first_tab_offers_a_skip_link_to_the_content(agency: Agency, page_for: PageFor) -> None:
    page = await page_for("max")
    await page.goto("/projects")
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    await expect(skip).to_be_focused()
    await expect(skip).to_be_visible()
    await page.keyboard.press("Enter")
    await expect(page.locator("main#main")).to_be_focused()


async def test_arrows_move_focus_between_cards_and_columns(agency: Agency, page_for: PageFor) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    cols = await columns_of(agency.acme_project)
    page = await page_for("max")
    await open_board(page, agency.acme_project)
    todo = page.locator(f"#column-{cols['To do']} .card")
    first_id = await todo.nth(0).get_attribute("id")
    second_id = await todo.nth(1).get_attribute("id")
    await todo.nth(0).locator(".card-link").focus()

    await page.keyboard.press("ArrowDown")
    assert await focused_card(page) == second_id
    await page.keyboard.press("ArrowUp")
    assert await focused_card(page) == first_id
    await page.keyboard.press("ArrowRight")
    in_progress = await page.evaluate("() => document.activeElement.closest('.column').id")
    assert in_progress == f"column-{cols['In progress']}"
    await page.keyboard.press("ArrowLeft")
    assert await page.evaluate("() => document.activeElement.closest('.column').id") == f"column-{cols['To do']}"
    assert await page.evaluate("window.scrollY") == 0  # the arrows moved focus, not the page


async def test_a_card_moves_by_keyboard_and_keeps_the_focus(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    cols = await columns_of(agency.acme_project)
    card_id = await task_id("Product page template")
    page = await page_for("max")
    await open_board(page, agency.acme_project)
    card = page.locator(f"#task-{card_id}")
    menu = page.locator("#move-menu")

    # Enter opens the menu on its first column; Escape closes it and gives the focus back.
    await card.locator(".move-btn").focus()
    await page.keyboard.press("Enter")
    await expect(menu).to_be_visible()
    await expect(menu.get_by_role("menuitem", name="Backlog")).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(menu).to_be_hidden()
    await expect(card.locator(".move-btn")).to_be_focused()
    assert (await Task.select(Task.column).where(Task.id == card_id).first()) == {"column": cols["To do"]}

    # Enter, then ↓ past "To do" (where it already is) to "In progress", ↓ to "Review", Enter.
    await page.keyboard.press("Enter")
    await expect(menu.get_by_role("menuitem", name="Backlog")).to_be_focused()
    await page.keyboard.press("ArrowDown")
    await expect(menu.get_by_role("menuitem", name="In progress")).to_be_focused()
    await page.keyboard.press("ArrowDown")
    await expect(menu.get_by_role("menuitem", name="Review")).to_be_focused()
    await screenshot(page, "keyboard-move-menu")
    await page.keyboard.press("Enter")

    await expect(page.locator(f"#column-{cols['Review']} #task-{card_id}")).to_be_visible()
    await expect(menu).to_be_hidden()
    await expect(page.locator(f"#task-{card_id} .card-link")).to_be_focused()
    row = await Task.select(Task.column).where(Task.id == card_id).first()
    assert row == {"column": cols["Review"]}
    await page.wait_for_timeout(500)  # the socket's copy of the event arrives too: focus stays
    await expect(page.locator(f"#task-{card_id} .card-link")).to_be_focused()
    assert await page.evaluate("window.boardroomTestMark") == "still here"

    # And on from there with the arrows.
    await page.keyboard.press("ArrowUp")
    assert await focused_card(page) != f"task-{card_id}"
    assert await page.evaluate("() => document.activeElement.closest('.column').id") == f"column-{cols['Review']}"
