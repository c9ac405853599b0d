"""Small things that erode trust, each in a real browser: a flash shows once, on the page that caused
it; creating a project lands on the project's address; a brand-new board says what to do first;
a planning card is dragged by its title."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from server.boards.demo import seed_boards
from server.boards.store import active_sprint
from server.tables import Project, Task
from tests.browser.conftest import PageFor, Screenshot, task_id
from tests.conftest import Agency
from tests.factories import weekly_sprint

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_a_flash_shows_once_on_the_page_that_caused_it(agency: Agency, page_for: PageFor) -> None:
    sprint_id = await weekly_sprint(agency.acme_project)
    page = await page_for("max")
    await page.goto(f"/sprints/{sprint_id}")
    await page.locator("#f-goal").fill("Ship the homepage")
    await page.get_by_role("button", name="Save goal").click()
    await expect(page.locator(".flash")).to_have_text("Goal saved.")
    await page.wait_for_load_state("networkidle")

    await page.get_by_role("link", name="Burndown and velocity").click()
    await page.wait_for_url(f"**/sprints/{sprint_id}/report")
    await page.wait_for_load_state("networkidle")
    await expect(page.locator(".flash")).to_have_count(0)
    await page.goto(f"/sprints/{sprint_id}")
    await expect(page.locator(".flash")).to_have_count(0)


async def test_creating_a_project_lands_on_its_address_and_its_board_says_what_to_do_first(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    page = await page_for("ada")
    await page.goto("/admin/projects/new")
    await page.locator("#f-client").select_option(label="Acme")
    await page.get_by_label("Name").fill("Spring campaign")
    await page.get_by_label("Key").fill("SPRING")
    await page.get_by_role("button", name="Create project").click()
    await expect(page.locator(".flash")).to_contain_text("Project Spring campaign created")
    project = await Project.select(Project.id).where(Project.key == "SPRING").first()
    assert project is not None
    assert page.url.endswith(f"/admin/projects/{project['id']}")
    await page.reload()  # the address is the project's: a reload shows it again, and posts nothing
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Spring campaign")

    await page.goto(f"/projects/{project['id']}")
    hint = page.locator("#board-empty")
    await expect(hint).to_be_visible()
    await expect(hint).to_contain_text("Add your first card")
    await screenshot(page, "board-empty")
    first_column = page.locator(".quick-add input[name=title]").first
    await first_column.fill("Kick-off call")
    await first_column.press("Enter")
    await expect(page.locator(".card-title", has_text="Kick-off call")).to_be_visible()
    await expect(hint).to_be_hidden()
    assert await Task.exists().where(Task.title == "Kick-off call")


async def test_a_planning_card_is_dragged_by_its_title(agency: Agency, page_for: PageFor) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    sprint = await active_sprint(agency.acme_project)
    assert sprint is not None
    cookie = await task_id("Cookie banner wording")
    page = await page_for("max")
    await page.goto(f"/projects/{agency.acme_project}/plan")
    await expect(page.locator("#plan-backlog")).to_be_visible()
    title = page.locator(f"#plan-task-{cookie} .plan-card-title")
    target = page.locator(f"#plan-sprint-{sprint['id']}")
    start, end = await title.bounding_box(), await target.bounding_box()
    assert start and end
    await page.mouse.move(start["x"] + 40, start["y"] + start["height"] / 2)
    await page.mouse.down()
    await page.mouse.move(start["x"] + 60, start["y"] + 20, steps=5)
    await page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 40, steps=20)
    await page.wait_for_timeout(250)
    await page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 44, steps=3)
    await page.mouse.up()
    await expect(page.locator(f"#plan-sprint-{sprint['id']} #plan-task-{cookie}")).to_be_visible()
    for _ in range(50):  # the drop shows at once; the server's answer follows
        row = await Task.select(Task.sprint).where(Task.id == cookie).first()
        if row == {"sprint": sprint["id"]}:
            break
        await page.wait_for_timeout(100)
    assert row == {"sprint": sprint["id"]}
    assert page.url.endswith("/plan")  # the drag did not follow the title's link
