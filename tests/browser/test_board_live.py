"""Two people on one board in two real browsers: what one does, the other sees without reloading."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from server.boards.demo import seed_boards
from server.tables import Task
from tests.browser.conftest import PageFor, Screenshot, drag, open_board, task_id
from tests.conftest import Agency
from tests.factories import columns_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_a_card_max_drags_arrives_on_ada_board_without_reload(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    cols = await columns_of(agency.acme_project)
    hero = await task_id("Homepage hero copy")
    max_page, ada_page = await page_for("max"), await page_for("ada")
    await open_board(max_page, agency.acme_project)
    await open_board(ada_page, agency.acme_project)

    review = f"#column-{cols['Review']}"
    await drag(max_page, max_page.locator(f"#task-{hero}"), max_page.locator(f"{review} .card-list"))
    await expect(ada_page.locator(f"{review} #task-{hero}")).to_be_visible()
    await expect(ada_page.locator(f"#column-{cols['To do']} #task-{hero}")).to_have_count(0)
    await expect(max_page.locator(f"{review} #task-{hero}")).to_be_visible()
    moved = await Task.select(Task.column, Task.version).where(Task.id == hero).first()
    assert moved == {"column": cols["Review"], "version": 2}
    assert await ada_page.evaluate("window.boardroomTestMark") == "still here"

    todo = f"#column-{cols['To do']}"
    await max_page.locator(f"#quick-add-{cols['To do']}").fill("Launch day checklist")
    await max_page.locator(f"#quick-add-{cols['To do']}").press("Enter")
    await expect(ada_page.locator(f"{todo} .card-title", has_text="Launch day checklist")).to_be_visible()
    await expect(max_page.locator(f"{todo} .card-title", has_text="Launch day checklist")).to_be_visible()
    await expect(max_page.locator(f"#quick-add-{cols['To do']}")).to_have_value("")
    assert await ada_page.evaluate("window.boardroomTestMark") == "still here"

    # The kick-off card is past its due date but done: it is not marked overdue.
    await expect(max_page.locator(f"#column-{cols['Done']} .card")).to_have_count(1)
    await expect(max_page.locator(f"#column-{cols['Done']} .overdue")).to_have_count(0)
    for page in (max_page, ada_page):
        await expect(page.locator("#connection")).to_have_text("live")
        await expect(page.locator("#presence .avatar")).to_have_count(2)  # ada and max, each sees both
    await screenshot(max_page, "board")
