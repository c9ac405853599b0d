"""Boardroom on a phone (390x844, touch): the header fits with the timer in reach and the navigation
in a menu; the board opens on the first column with cards, its columns snap, a card's dialog fills
the screen with its close button in reach and cards drag after a long press; the client's review
page keeps Approve / Request changes in a bar at the bottom; and no page of any persona scrolls
sideways (only the board's columns do)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Page, expect

from server.billing.demo import seed_billing
from server.billing.writes import new_summary
from server.boards.demo import seed_boards
from server.demo import seed_reviews
from server.kernel.config import agency_timezone
from server.rules.periods import preset
from server.rules.policy import Actor, Role
from server.tables import BoardColumn, Sprint, Task
from server.time.demo import seed_time
from tests.browser.conftest import PHONE, PhoneFor, Screenshot, task_id
from tests.conftest import EMAILS, Agency
from tests.factories import add_entry

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def sideways(page: Page) -> int:
    """How wide the document scrolls (the board's own columns scroll inside #board, not the page)."""
    return int(await page.evaluate("document.scrollingElement.scrollWidth"))


async def test_the_header_fits_a_phone_with_the_timer_in_reach_and_the_navigation_in_a_menu(
    agency: Agency, phone_for: PhoneFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    await add_entry(hero, agency.ada, datetime.now(UTC) - timedelta(minutes=5), None)
    await new_summary(agency.acme, preset("last_month", date.today()), requested_by=agency.ada)  # the job chip
    page = await phone_for("ada")
    await page.goto("/projects")
    await expect(page.locator("#jobs .job-chip")).to_be_visible()
    stop = page.locator("#timer .header-timer").get_by_role("button", name="Stop")
    await expect(stop).to_be_visible()
    box = await stop.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert await sideways(page) <= PHONE["width"]
    header = await page.evaluate("document.querySelector('.topbar').getBoundingClientRect().height")
    assert header < 70, header  # one row
    await expect(page.locator(".mainnav").get_by_role("link", name="People")).to_be_hidden()
    await screenshot(page, "header-390")

    await page.get_by_role("button", name="Menu").tap()
    people = page.locator(".mainnav").get_by_role("link", name="People")
    await expect(people).to_be_visible()
    await expect(page.locator(".mainnav").get_by_role("button", name="Sign out")).to_be_visible()
    await screenshot(page, "header-390-menu")
    await page.keyboard.press("Escape")
    await expect(people).to_be_hidden()

    await stop.tap()  # the chip works on a phone
    await expect(page.locator("#timer .header-timer")).to_have_count(0)


async def test_the_phone_board_opens_on_the_first_column_with_cards_and_its_columns_snap(
    agency: Agency, phone_for: PhoneFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    # Backlog first and empty in this filter: the board opens on the next column holding a card.
    backlog = (
        await BoardColumn.select(BoardColumn.id)
        .where((BoardColumn.project == agency.acme_project) & (BoardColumn.name == "Backlog"))
        .first()
    )
    assert backlog is not None
    await Task.update({Task.archived: True}).where(Task.column == backlog["id"])
    page = await phone_for("max")
    await page.goto(f"/projects/{agency.acme_project}?sprint=all")
    await expect(page.locator("#connection")).to_have_text("live")
    board = page.locator("#board")
    first = page.locator("#board-columns > .column").filter(has=page.locator(".card")).first
    first_id = await first.get_attribute("id")
    await page.wait_for_function(
        """(id) => { const b = document.getElementById('board'), c = document.getElementById(id);
                     return Math.abs(c.getBoundingClientRect().left - b.getBoundingClientRect().left) < 12; }""",
        arg=first_id,
    )
    assert await board.evaluate("b => b.scrollLeft") > 100  # not left on the empty Backlog
    snap = await board.evaluate("b => getComputedStyle(b).scrollSnapType")
    assert snap.startswith("x") and "mandatory" in snap
    assert await first.evaluate("c => getComputedStyle(c).scrollSnapAlign") == "start"
    assert await sideways(page) <= PHONE["width"]
    await screenshot(page, "phone-board")

    # Swiped part way, the columns settle on a column's edge.
    await board.evaluate("b => b.scrollBy({left: 120, behavior: 'instant'})")
    await page.wait_for_timeout(600)
    offset = await page.evaluate(
        """() => { const b = document.getElementById('board'); const left = b.getBoundingClientRect().left;
                   return Math.min(...[...b.querySelectorAll('#board-columns > .column')]
                       .map(c => Math.abs(c.getBoundingClientRect().left - left))); }"""
    )
    assert offset < 12, offset

    # Cards drag after a long press on a touch screen; a quick swipe scrolls.
    options = await page.evaluate(
        """() => { const s = document.querySelector('#board .card-list')._sortable;
                   return {delay: s.option('delay'), touchOnly: s.option('delayOnTouchOnly')}; }"""
    )
    assert options["delay"] >= 250 and options["touchOnly"] is True, options


async def test_a_cards_dialog_fills_the_phone_with_its_close_button_in_reach(
    agency: Agency, phone_for: PhoneFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    page = await phone_for("max")
    await page.goto(f"/tasks/{hero}")
    dialog = page.locator("dialog[open]")
    await expect(dialog).to_be_visible()
    box = await dialog.bounding_box()
    assert box is not None and box["width"] >= PHONE["width"] - 1 and box["height"] >= PHONE["height"] - 1, box
    await screenshot(page, "phone-dialog")
    await dialog.evaluate("d => d.scrollTo(0, d.scrollHeight)")  # far down the card...
    close = dialog.get_by_role("button", name="Close")
    await expect(close).to_be_in_viewport()  # ...the close button is still there
    close_box = await close.bounding_box()
    assert close_box is not None and close_box["width"] >= 40 and close_box["height"] >= 40, close_box
    await close.tap()
    await expect(page.locator("dialog[open]")).to_have_count(0)


async def test_cleo_decides_on_a_phone_from_a_bar_at_the_bottom(
    agency: Agency, phone_for: PhoneFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    await seed_reviews(reviewer=agency.cleo, submitter=agency.max, project=agency.acme_project)
    sprint = (
        await Sprint.select(Sprint.id)
        .where((Sprint.project == agency.acme_project) & (Sprint.review_state == "in_review"))
        .first()
    )
    assert sprint is not None
    page = await phone_for("cleo")
    await page.goto(f"/sprints/{sprint['id']}/review")
    bar = page.locator(".review-bar")
    approve = bar.get_by_role("button", name="Approve this plan")
    await expect(approve).to_be_in_viewport()  # at the top of the page, before any card is read
    assert await sideways(page) <= PHONE["width"]
    await screenshot(page, "phone-review")
    # One Approve on the screen: the bar's (the one after the plan is for wide screens).
    await expect(page.get_by_role("button", name="Approve this plan")).to_have_count(1)
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    await expect(approve).to_be_in_viewport()  # still there halfway down the plan

    await bar.get_by_role("link", name="Request changes").tap()
    await expect(page.locator("#f-note")).to_be_in_viewport()

    await approve.tap()
    await expect(page.locator(".review-bar")).to_have_count(0)
    row = await Sprint.select(Sprint.review_state).where(Sprint.id == sprint["id"]).first()
    assert row is not None and row["review_state"] == "approved"


# ---- nothing scrolls sideways ---------------------------------------------------------------------

SKIP = re.compile(r"^/(logout|static/)|\.(csv|pdf|json|ics)$|/export|/print$|/download")
MAX_PAGES = 40


def _shape(path: str) -> str:
    """One visit per kind of page: /tasks/12 and /tasks/13?sprint=all are the same page."""
    return re.sub(r"/\d+", "/N", path.split("?")[0])


async def _visit_everything(page: Page, start: str) -> list[tuple[str, int]]:
    """Every page reachable by a link from the landing page and from those pages (one of each
    kind), and how wide each scrolls."""
    seen, queue, widths = set(), [start], []
    while queue and len(widths) < MAX_PAGES:
        path = queue.pop(0)
        if _shape(path) in seen:
            continue
        seen.add(_shape(path))
        response = await page.goto(path)
        if response is None or response.status >= 400 or "/login" in page.url:
            continue
        await page.wait_for_load_state("networkidle")
        widths.append((path, await sideways(page)))
        links = await page.eval_on_selector_all(
            "a[href]", "els => els.map(a => a.href).filter(h => h.startsWith(location.origin))"
        )
        for href in links:
            parts = urlsplit(href)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIP.search(parts.path) and _shape(target) not in seen:
                queue.append(target)
    return widths


@pytest.mark.parametrize("persona", ["ada", "max", "cleo"])
async def test_no_page_scrolls_sideways_on_a_phone(agency: Agency, phone_for: PhoneFor, persona: str) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia, "ada": agency.ada})
    await seed_time()
    await seed_reviews(reviewer=agency.cleo, submitter=agency.max, project=agency.acme_project)
    admin = Actor(id=agency.ada, email=EMAILS["ada"], name="Ada Admin", role=Role.ADMIN)
    await seed_billing(agency.acme, admin, datetime.now(UTC).date(), agency_timezone())
    hero = await task_id("Homepage hero copy")
    if persona != "cleo":
        await add_entry(hero, getattr(agency, persona), datetime.now(UTC) - timedelta(minutes=3), None)
    page = await phone_for(persona)
    widths = await _visit_everything(page, urlsplit(page.url).path)
    assert len(widths) >= (3 if persona == "cleo" else 6), widths
    too_wide = [(path, width) for path, width in widths if width > PHONE["width"]]
    assert not too_wide, too_wide

    # The error page too: it keeps the header (and its menu) and fits.
    response = await page.goto("/no/such/page")
    assert response is not None and response.status == 404
    await expect(page.get_by_role("button", name="Menu")).to_be_visible()
    await expect(page.locator("main h1")).to_have_text("Not found.")
    assert await sideways(page) <= PHONE["width"]
