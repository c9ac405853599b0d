"""The timer where you work: a card's dialog shows its running timer (ticking, with Stop) and turns
Start into Stop at once; a timer running on another card stays in reach with a dialog open (the
dialog's backdrop covers the header, so the dialog carries the same control), also on a card's own
address; the header fits at 1280 px with an admin's timer running."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.async_api import expect

from server.billing.writes import new_summary
from server.boards.demo import seed_boards
from server.rules.periods import preset
from server.tables import Task, TimeEntry, User
from tests.browser.conftest import PageFor, Screenshot, open_board, task_id
from tests.conftest import Agency
from tests.factories import add_entry

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_max_starts_and_stops_a_timer_in_a_cards_dialog_without_a_reload(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    page = await page_for("max")
    await open_board(page, agency.acme_project)
    await page.locator(f"#task-{hero} .card-link").click()
    dialog = page.locator("dialog[open]")
    await expect(dialog).to_be_visible()

    await dialog.get_by_role("button", name="Start timer").click()
    running = dialog.locator(".cd-timer.running")
    await expect(running).to_be_visible()
    await expect(dialog.get_by_role("button", name="Start timer")).to_have_count(0)
    elapsed = running.locator(".elapsed")
    await expect(elapsed).to_have_text(re.compile(r"^0:00:0\d$"))
    first = await elapsed.text_content()
    await expect(elapsed).not_to_have_text(first or "", timeout=5_000)  # it ticks
    await expect(page.locator("#timer .header-timer")).to_contain_text("Homepage hero copy")
    assert await page.evaluate("window.boardroomTestMark") == "still here"  # no reload
    await page.wait_for_timeout(400)  # the board's event for the card redraws the dialog once more
    await screenshot(page, "dialog-timer")

    await running.get_by_role("button", name="Stop").click()
    await expect(dialog.get_by_role("button", name="Start timer")).to_be_visible()
    await expect(dialog.locator(".cd-timer")).to_have_count(0)
    await expect(page.locator("#timer .header-timer")).to_have_count(0)
    entry = await TimeEntry.select(TimeEntry.ended_at).where(TimeEntry.task == hero).first()
    assert entry is not None and entry["ended_at"] is not None


async def test_a_timer_on_another_card_stays_in_reach_from_a_dialog_opened_at_its_address(
    agency: Agency, page_for: PageFor
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    other = (
        await Task.select(Task.id, Task.number).where((Task.project == agency.acme_project) & (Task.id != hero)).first()
    )
    assert other is not None
    await add_entry(other["id"], agency.max, datetime.now(UTC) - timedelta(minutes=25), None)
    page = await page_for("max")
    await page.goto(f"/tasks/{hero}")  # a card's own address opens its dialog over the board
    dialog = page.locator("dialog[open]")
    await expect(dialog).to_be_visible()

    elsewhere = dialog.locator(".cd-timer.elsewhere")
    await expect(elsewhere).to_contain_text(f"ACME-{other['number']}")
    await expect(elsewhere.locator(".elapsed")).to_have_text(re.compile(r"^0:2[4-6]:\d\d$"))
    await expect(dialog.get_by_role("button", name="Switch the timer to this card")).to_be_visible()
    await elsewhere.get_by_role("button", name="Stop").click()
    await expect(dialog.locator(".cd-timer")).to_have_count(0)
    await expect(dialog.get_by_role("button", name="Start timer")).to_be_visible()
    await expect(page.locator("#timer .header-timer")).to_have_count(0)
    assert not await TimeEntry.exists().where(TimeEntry.ended_at.is_null())


async def test_adas_header_fits_at_1280_px_with_a_timer_running(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    # The longest header there is: a long name, a long card title, a timer past ten hours.
    await Task.update({Task.title: "Homepage hero copy: three headline options with sub-lines " * 3}).where(
        Task.id == hero
    )
    await User.update({User.name: "Ada Augusta King-Noel, Countess of Lovelace"}).where(User.id == agency.ada)
    await add_entry(hero, agency.ada, datetime.now(UTC) - timedelta(hours=13), None)
    await new_summary(agency.acme, preset("last_month", date.today()), requested_by=agency.ada)  # the job chip
    page = await page_for("ada")
    await page.goto("/projects")
    await expect(page.locator("#timer .header-timer")).to_be_visible()
    await expect(page.locator("#jobs .job-chip")).to_be_visible()
    widths = await page.evaluate(
        """() => ({page: document.scrollingElement.scrollWidth,
                   header: document.querySelector('.topbar').scrollWidth,
                   signOut: document.querySelector('.topbar .signout button').getBoundingClientRect().height})"""
    )
    assert widths["page"] <= 1280 and widths["header"] <= 1280, widths
    assert widths["signOut"] < 40, widths  # one line: "Sign out" does not wrap
    await expect(page.locator(".mainnav").get_by_role("link", name="People")).to_be_visible()
    stop = page.locator("#timer").get_by_role("button", name="Stop")
    box = await stop.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280, box
    await screenshot(page, "header-1280")


async def test_stopping_the_timer_on_the_timesheet_updates_its_entry_list(agency: Agency, page_for: PageFor) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    await add_entry(hero, agency.max, datetime.now(UTC) - timedelta(minutes=10), None)
    page = await page_for("max")
    await page.goto("/timesheet")
    entries = page.locator("#timesheet-entries")
    await expect(entries).to_contain_text("running")
    await page.wait_for_load_state("networkidle")
    await page.evaluate("window.boardroomTestMark = 'still here'")

    await page.locator("#timer").get_by_role("button", name="Stop").click()
    await expect(page.locator("#timer .header-timer")).to_have_count(0)
    await expect(entries).not_to_contain_text("running")
    await expect(entries.locator(".entry-time").first).to_contain_text("10m")
    today = page.locator("table.timesheet tbody tr", has_text="Homepage hero copy").locator("td.cell.today")
    await expect(today).to_contain_text("10m")  # the grid too
    assert await page.evaluate("window.boardroomTestMark") == "still here"  # no reload
