"""A timer in a real browser: started on a card, ticking in the header, still there after a
reload (it is a row, not browser state), stopped from the header, and on the timesheet."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import expect

from server.boards.demo import seed_boards
from server.tables import Task
from tests.browser.conftest import PageFor, Screenshot, task_id
from tests.conftest import Agency
from tests.factories import add_entry

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def some_logged_time(agency: Agency) -> None:
    """A few entries earlier this week (and earlier today) on other cards, for a timesheet worth a look."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    monday = now - timedelta(days=now.weekday())
    others = (Task.project == agency.acme_project) & (Task.title != "Homepage hero copy")
    cards = [t["id"] for t in await Task.select(Task.id).where(others).order_by(Task.id).limit(3)]
    for offset in range(now.weekday()):
        day = monday.replace(hour=9, minute=0) + timedelta(days=offset)
        await add_entry(cards[offset % 3], agency.max, day, 90 + 15 * offset)
        await add_entry(cards[(offset + 1) % 3], agency.max, day + timedelta(hours=3), 60, billable=offset % 2 == 0)
    start_of_today = now.replace(hour=0, minute=0)
    if now - timedelta(hours=3) >= start_of_today:
        await add_entry(cards[0], agency.max, now - timedelta(hours=3), 45)
        await add_entry(cards[1], agency.max, now - timedelta(hours=2), 60, billable=False)


async def test_max_times_a_card_across_a_reload_and_sees_it_on_the_timesheet(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    await some_logged_time(agency)
    hero = await task_id("Homepage hero copy")
    page = await page_for("max")
    await page.goto(f"/projects/{agency.acme_project}")
    await expect(page.locator("#connection")).to_have_text("live")

    card = page.locator(f"#task-{hero}")
    await card.hover()
    await card.locator(".timer-start").click()
    header = page.locator("#timer .header-timer")
    await expect(header).to_contain_text("Homepage hero copy")
    await expect(card.locator(".timer-dot")).to_be_visible()  # the running dot on the card
    elapsed = header.locator(".elapsed")
    await expect(elapsed).to_have_text(re.compile(r"^0:00:0[0-9]$"))
    first = await elapsed.text_content()
    await expect(elapsed).not_to_have_text(first or "", timeout=5_000)  # it ticks

    await page.reload()
    await expect(page.locator("#timer .header-timer")).to_contain_text("Homepage hero copy")
    await expect(page.locator(f"#task-{hero} .timer-dot")).to_be_visible()

    await page.locator("#timer").get_by_role("button", name="Stop").click()
    await expect(page.locator("#timer .header-timer")).to_have_count(0)
    await expect(page.locator(f"#task-{hero} .timer-dot")).to_have_count(0)

    await page.goto("/timesheet")
    row = page.locator("table.timesheet tbody tr", has_text="Homepage hero copy")
    today_cell = row.locator("td.cell.today")
    await expect(today_cell).to_have_text(re.compile(r"^\s*[1-9]\d*m\s*$"))  # the timer's minute(s), nothing else
    await screenshot(page, "timesheet")
