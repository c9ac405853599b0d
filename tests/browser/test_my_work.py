"""My work in chromium: max signs in on a Monday and lands on his cards across projects, grouped by
when they are due, beside his timer, his hours and the plan waiting for Acme; on a phone too. And
the page is live: a card ada assigns him from her browser appears on his without a reload."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import expect

from server.boards.demo import seed_boards
from server.rules.sprints import ReviewState, SprintState
from server.tables import Project, Sprint
from tests.browser.conftest import PHONE, PageFor, PhoneFor, Screenshot, task_id
from tests.conftest import Agency
from tests.factories import add_entry

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def a_monday_morning(agency: Agency) -> None:
    """The demo boards; the morning's first hour logged and a timer running since; this week's Acme
    plan sent to the client for review."""
    await seed_boards({"max": agency.max, "mia": agency.mia})
    await Project.update({Project.weekly_capacity_hours: 16}).where(Project.id == agency.acme_project)  # brand: 12
    now = datetime.now(UTC)
    migrate, hero = await task_id("Migrate blog posts"), await task_id("Homepage hero copy")
    started = max(now - timedelta(hours=2), now.replace(hour=0, minute=1))
    await add_entry(migrate, agency.max, started, max(1, int((now - started).total_seconds() // 60) - 25))
    await add_entry(hero, agency.max, now - timedelta(minutes=18), None)
    await Sprint.update({Sprint.review_state: ReviewState.IN_REVIEW, Sprint.submitted_at: now}).where(
        (Sprint.project == agency.acme_project) & (Sprint.state == SprintState.ACTIVE)
    )


async def test_max_lands_on_my_work_and_sees_his_week(
    agency: Agency, page_for: PageFor, phone_for: PhoneFor, screenshot: Screenshot
) -> None:
    await a_monday_morning(agency)
    page = await page_for("max")
    await expect(page).to_have_url(re.compile(r"/me$"))
    await expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()
    for group in ("Overdue", "Due today", "This week", "Later", "No date"):
        await expect(page.locator(".mywork-group-title", has_text=group)).to_be_visible()
    overdue = page.locator(".mywork-overdue")
    await expect(overdue).to_contain_text("Migrate blog posts")
    await expect(page.locator(".mywork-today")).to_contain_text("Navigation redesign")
    await expect(page.locator(".mywork-timer")).to_contain_text("Homepage hero copy")
    await expect(page.locator(".mywork-plans")).to_contain_text("Acme website")
    await expect(page.locator(".mywork-hours")).to_contain_text("of 28h")
    await expect(page.locator("#personal-live")).to_be_attached()
    await page.wait_for_load_state("networkidle")
    await screenshot(page, "my-work")

    # A card opens in its dialog on its board.
    await overdue.get_by_role("link", name=re.compile("Migrate blog posts")).click()
    await expect(page).to_have_url(re.compile(r"/tasks/\d+$"))
    await expect(page.locator("dialog[open]")).to_contain_text("Migrate blog posts")

    phone = await phone_for("max")
    await expect(phone).to_have_url(re.compile(r"/me$"))
    await expect(phone.locator(".mywork-overdue")).to_contain_text("Migrate blog posts")
    await phone.wait_for_load_state("networkidle")
    assert await phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    await screenshot(phone, "my-work-390")


async def test_a_card_ada_assigns_max_appears_on_his_my_work_without_a_reload(
    agency: Agency, page_for: PageFor
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    product = await task_id("Product page template")  # mia's
    max_page, ada_page = await page_for("max"), await page_for("ada")
    await expect(max_page).to_have_url(re.compile(r"/me$"))
    await max_page.wait_for_load_state("networkidle")
    await max_page.evaluate("window.boardroomTestMark = 'still here'")
    await expect(max_page.locator("#my-work")).not_to_contain_text("Product page template")

    await ada_page.goto(f"/tasks/{product}")
    dialog = ada_page.locator("dialog[open]")
    await dialog.get_by_role("button", name=re.compile("Max Member")).click()
    await expect(dialog.get_by_role("button", name=re.compile("Max Member"))).to_have_attribute("aria-pressed", "true")

    await expect(max_page.locator(".mywork-this_week")).to_contain_text("Product page template")
    assert await max_page.evaluate("window.boardroomTestMark") == "still here"

    # ...and goes again when she takes it back.
    await dialog.get_by_role("button", name=re.compile("Max Member")).click()
    await expect(max_page.locator("#my-work")).not_to_contain_text("Product page template")
