"""Planning a sprint in two real browsers: a card max plans arrives in ada's sprint list live."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from server.boards.demo import seed_boards
from server.boards.store import active_sprint
from server.tables import Task
from tests.browser.conftest import PageFor, task_id
from tests.conftest import Agency

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def open_plan(page: Page, project_id: int) -> None:
    await page.goto(f"/projects/{project_id}/plan")
    await expect(page.locator("#plan-backlog")).to_be_visible()
    await page.evaluate("window.boardroomTestMark = 'still here'")


async def test_a_card_max_plans_appears_in_ada_sprint_list_without_reload(agency: Agency, page_for: PageFor) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    sprint = await active_sprint(agency.acme_project)
    assert sprint is not None
    newsletter, cookie = await task_id("Newsletter sign-up flow"), await task_id("Cookie banner wording")
    max_page, ada_page = await page_for("max"), await page_for("ada")
    await open_plan(max_page, agency.acme_project)
    await open_plan(ada_page, agency.acme_project)
    await ada_page.wait_for_timeout(500)  # ada's socket subscribed

    await max_page.locator(f"#plan-task-{newsletter} .plan-move").click()
    sprint_list = f"#plan-sprint-{sprint['id']}"
    await expect(max_page.locator(f"{sprint_list} #plan-task-{newsletter}")).to_be_visible()
    await expect(ada_page.locator(f"{sprint_list} #plan-task-{newsletter}")).to_be_visible()
    await expect(ada_page.locator(f"#plan-backlog #plan-task-{newsletter}")).to_have_count(0)

    # dragging works too: the cookie banner from the backlog onto the sprint
    card = max_page.locator(f"#plan-task-{cookie} .plan-card-meta")
    target = max_page.locator(sprint_list)
    start, end = await card.bounding_box(), await target.bounding_box()
    assert start and end
    await max_page.mouse.move(start["x"] + 60, start["y"] + start["height"] / 2)
    await max_page.mouse.down()
    await max_page.mouse.move(start["x"] + 80, start["y"] + 20, steps=5)
    await max_page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 40, steps=20)
    await max_page.wait_for_timeout(250)  # let SortableJS catch up, as a hand rests before letting go
    await max_page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 44, steps=3)
    await max_page.mouse.up()
    await expect(ada_page.locator(f"{sprint_list} #plan-task-{cookie}")).to_be_visible()
    row = await Task.select(Task.sprint).where(Task.id == cookie).first()
    assert row is not None and row["sprint"] == sprint["id"]
    assert await ada_page.evaluate("window.boardroomTestMark") == "still here"
