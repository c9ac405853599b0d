"""Priority on the board in a real browser: the filters by priority and "important only", the sort
by priority (then rank) that leaves ranks alone and says so, a drag while sorted that still stores a
rank, and a priority set in the dialog reaching another viewer's board without a reload."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from server.rules.priority import Priority
from server.tables import Task
from tests.browser.conftest import PageFor, Screenshot, drag, open_board
from tests.conftest import Agency
from tests.factories import add_cards

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def titles(page: Page, column: str) -> list[str]:
    cards = page.locator(".column", has=page.locator(".column-name", has_text=column)).locator(
        ".card:visible .card-title"
    )
    return await cards.all_inner_texts()


async def ranks() -> dict[int, str]:
    return {row["id"]: row["rank"] for row in await Task.select(Task.id, Task.rank)}


@pytest.fixture
async def marked(agency: Agency) -> list[int]:
    ids = await add_cards(agency.acme_project, "Plain", "Low one", "Urgent one", "High one")
    levels = (Priority.NONE, Priority.LOW, Priority.URGENT, Priority.HIGH)
    for task_id, level in zip(ids, levels, strict=True):
        await Task.update({Task.priority: level, Task.important: level is Priority.HIGH}).where(Task.id == task_id)
    return ids


async def test_filters_and_the_sort_by_priority(
    agency: Agency, page_for: PageFor, marked: list[int], screenshot: Screenshot
) -> None:
    page = await page_for("max")
    await open_board(page, agency.acme_project)
    before = await ranks()
    assert await titles(page, "To do") == ["Plain", "Low one", "Urgent one", "High one"]

    await page.get_by_label("Priority", exact=True).select_option("urgent")
    assert await titles(page, "To do") == ["Urgent one"]
    await page.get_by_label("Priority", exact=True).select_option("")
    await page.get_by_label("Important only").check()
    assert await titles(page, "To do") == ["High one"]
    await page.get_by_label("Important only").uncheck()

    await page.get_by_label("Sort by priority").check()
    await expect(page.locator("#sorted-note")).to_be_visible()
    assert await titles(page, "To do") == ["Urgent one", "High one", "Low one", "Plain"]
    assert "sort=priority" in page.url
    await screenshot(page, "board-sorted-by-priority")

    await page.get_by_label("Sort by priority").uncheck()
    await expect(page.locator("#sorted-note")).to_be_hidden()
    assert await titles(page, "To do") == ["Plain", "Low one", "Urgent one", "High one"]
    assert await ranks() == before  # sorting is the page's alone


async def test_a_drag_while_sorted_stores_a_rank_and_the_card_keeps_its_place_by_priority(
    agency: Agency, page_for: PageFor, marked: list[int]
) -> None:
    plain, _low, urgent, _high = marked
    page = await page_for("max")
    await open_board(page, agency.acme_project)
    await page.get_by_label("Sort by priority").check()
    assert await titles(page, "To do") == ["Urgent one", "High one", "Low one", "Plain"]
    # "Plain" dropped at the top of Review's (empty) list: a move with a rank, like any drag
    review = page.locator(".column", has=page.locator(".column-name", has_text="Review")).locator(".card-list")
    await drag(page, page.locator(f"#task-{plain}"), review)
    await expect(review.locator(f"#task-{plain}")).to_have_attribute("data-version", "2")  # the server's card
    row = await Task.select(Task.column, Task.rank).where(Task.id == plain).first()
    assert row is not None and row["column"] == int(await review.get_attribute("data-column-id") or 0)
    assert row["rank"]
    assert await titles(page, "To do") == ["Urgent one", "High one", "Low one"]
    assert (await Task.select(Task.priority).where(Task.id == urgent).first() or {})["priority"] == Priority.URGENT


async def test_a_priority_set_in_the_dialog_reaches_another_board_live(
    agency: Agency, page_for: PageFor, marked: list[int]
) -> None:
    plain = marked[0]
    max_, cleo = await page_for("max"), await page_for("cleo")
    await open_board(max_, agency.acme_project)
    await open_board(cleo, agency.acme_project)
    await max_.locator(f"#task-{plain} .card-link").click()
    version = max_.locator("#cd-priority input[name=version]")
    before = await version.get_attribute("value")
    await max_.locator("#cd-priority-level").select_option("urgent")
    await expect(max_.locator(f"#task-{plain} .chip-priority-urgent")).to_be_visible()
    # The board's chip can arrive (live) before the dialog's own answer: tick once the form is the new one.
    await expect(version).not_to_have_value(before or "")
    await max_.get_by_label("Important for the client").check()
    card = cleo.locator(f"#task-{plain}")
    await expect(card.locator(".chip-priority-urgent")).to_contain_text("Urgent")
    await expect(card.locator(".chip-important")).to_be_visible()
    assert await cleo.evaluate("window.boardroomTestMark") == "still here"  # no reload
