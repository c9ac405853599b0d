"""A person switches Boardroom to Vietnamese, then Chinese, from the header's language menu: on the
timesheet (max) and on the client's review page (cleo). Each page then speaks that language, declares
it in <html lang>, and neither scrolls sideways at 1280 or 390 px; screenshots of each (desktop and
phone) go to docs/screenshots/ when BOARDROOM_SCREENSHOTS is set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Page, expect

from server.boards.demo import seed_boards
from server.demo import seed_reviews
from server.kernel.i18n import NAMES, TAGS, gettext, speaking
from server.tables import Sprint
from tests.browser.conftest import PageFor, Screenshot, task_id
from tests.conftest import Agency
from tests.factories import add_entry

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def said_in(locale: str, message: str) -> str:
    with speaking(locale):
        return gettext(message)


async def switch_to(page: Page, locale: str) -> None:
    """Through the header's language menu, as a person would."""
    await page.locator(".topbar-right .language-menu summary").click()
    await page.locator(".language-popover").get_by_role("button", name=NAMES[locale]).click()
    await expect(page.locator("html")).to_have_attribute("lang", TAGS.get(locale, locale))
    await page.wait_for_load_state("networkidle")


async def sideways(page: Page) -> int:
    return int(await page.evaluate("document.scrollingElement.scrollWidth"))


async def look(page: Page, screenshot: Screenshot, name: str) -> None:
    """The page at desktop and phone width: nothing wider than the screen; a screenshot of each."""
    for size, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
        await page.set_viewport_size(size)  # type: ignore[arg-type]
        await page.wait_for_timeout(100)
        assert await sideways(page) <= size["width"], f"{name}{suffix} scrolls sideways"
        await screenshot(page, f"{name}{suffix}")
    await page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]


async def test_max_reads_his_timesheet_in_vietnamese_then_chinese(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    monday = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    monday -= timedelta(days=monday.weekday())
    for day, minutes in ((0, 130), (1, 45), (2, 240)):
        await add_entry(hero, agency.max, monday + timedelta(days=day), minutes, note="Hero copy")
    page = await page_for("max")
    await page.goto("/timesheet")
    for locale in ("vi", "zh"):
        await switch_to(page, locale)
        await expect(page.locator("h1")).to_have_text(said_in(locale, "Your timesheet"))
        await expect(page.locator(".timesheet")).to_contain_text(said_in(locale, "%(h)sh %(m)sm") % {"h": 2, "m": 10})
        await look(page, screenshot, f"timesheet-{locale}")


async def test_cleo_reviews_a_plan_in_vietnamese_then_chinese(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    await seed_reviews(reviewer=agency.cleo, submitter=agency.max, project=agency.acme_project)
    sprint = (
        await Sprint.select(Sprint.id)
        .where((Sprint.project == agency.acme_project) & (Sprint.review_state == "in_review"))
        .first()
    )
    assert sprint is not None
    page = await page_for("cleo")
    await page.goto(f"/sprints/{sprint['id']}/review")
    for locale in ("vi", "zh"):
        await switch_to(page, locale)
        await expect(page.get_by_role("button", name=said_in(locale, "Approve this plan"))).to_be_visible()
        await look(page, screenshot, f"review-{locale}")
