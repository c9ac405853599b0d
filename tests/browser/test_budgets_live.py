"""The budgets overview in chromium (issue 16): ada has /budgets open while max logs time on a
budgeted card in his own browser, and ada's line for that project changes (used hours, percent,
status) without a reload. Also how the budget banner on the board and the client's hours budget
on the portal look, at 1280 and 390 px."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from playwright.async_api import Page, WebSocket, expect
from redis.asyncio import Redis

from server.boards.demo import seed_boards
from server.time.jobs import hours_changed, hours_channel
from tests.browser.conftest import PHONE, PageFor, PhoneFor, Screenshot, open_board, task_id
from tests.budgets.alerts_support import set_budget
from tests.conftest import Agency
from tests.factories import add_card, add_entry, today
from tests.realtime.test_personal_socket import NAMESPACE

pytestmark = [pytest.mark.browser, pytest.mark.slow]
READY = hours_changed(0)  # no project has id 0: published until the page's socket hears it


async def budgets_page(page: Page, redis_url: str) -> None:
    """Open /budgets and wait until its socket is subscribed (it hears the test's probe)."""
    sockets: list[WebSocket] = []
    heard = asyncio.Event()

    def opened(socket: WebSocket) -> None:
        if socket.url.endswith("/budgets/ws"):
            sockets.append(socket)
            socket.on("framereceived", lambda payload: heard.set() if payload == READY else None)

    page.on("websocket", opened)
    await page.goto("/budgets")
    redis = Redis.from_url(redis_url)
    try:
        async with asyncio.timeout(10):
            while not heard.is_set():
                await redis.publish(hours_channel(NAMESPACE), READY)
                await asyncio.sleep(0.2)
    finally:
        await redis.aclose()
    assert sockets, "the overview opened its socket"


async def three_budgets(agency: Agency) -> int:
    """The demo boards, with budgets on all three projects; max's 4 h on ACME's hero card yesterday.
    ACME: 10 h for the whole project (healthy); GLOBEX: a 40 h, $6,000 retainer; BRAND: 1.5 of 1 h."""
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    yesterday = datetime.combine(today() - timedelta(days=1), time(9, 0), tzinfo=UTC)
    await add_entry(hero, agency.max, yesterday, 4 * 60)
    await set_budget(agency.acme_project, budget_hours=10, client_sees_budget=True)
    await set_budget(agency.globex_project, budget_hours=40, budget_amount=Decimal("6000"), budget_period="monthly")
    logo = await add_card(agency.brand_project, "Logo variants")
    await add_entry(logo, agency.max, yesterday + timedelta(hours=5), 90)
    await set_budget(agency.brand_project, budget_hours=1)
    return hero


async def test_ada_s_line_changes_when_max_logs_time_in_his_browser(
    agency: Agency, page_for: PageFor, phone_for: PhoneFor, redis_url: str, screenshot: Screenshot
) -> None:
    hero = await three_budgets(agency)
    ada = await page_for("ada")
    await budgets_page(ada, redis_url)
    line = ada.locator(f"#budget-{agency.acme_project}")
    await expect(line).to_contain_text("4 of 10 h")
    await expect(line).to_contain_text("(40 %)")
    await expect(line.locator(".budget-status")).to_have_text("Healthy")
    await expect(ada.locator("#budget-counts .status-over + b")).to_have_text("1")
    await ada.evaluate("window.boardroomTestMark = 'still here'")
    await screenshot(ada, "budgets-1280")

    max_ = await page_for("max")
    await open_board(max_, agency.acme_project)
    await max_.locator(f"#task-{hero} .card-link").click()
    dialog = max_.locator("dialog[open]")
    form = dialog.locator(".cd-time-form")
    await form.locator('input[name="date"]').fill((today() - timedelta(days=1)).isoformat())
    await form.locator('input[name="duration"]').fill("7:00")
    await form.get_by_role("button", name="Log").click()
    await expect(dialog).to_contain_text("11h logged")

    await expect(line).to_contain_text("11 of 10 h")
    await expect(line).to_contain_text("(110 %)")
    await expect(line.locator(".budget-status")).to_have_text("Over budget")
    await expect(line).to_have_class("budget-line risk-over")
    counts = ada.locator("#budget-counts")
    await expect(counts.locator(".status-over + b")).to_have_text("2")  # BRAND and now ACME
    await expect(counts.locator(".status-healthy + b")).to_have_text("1")
    assert await ada.evaluate("window.boardroomTestMark") == "still here"  # no reload
    await screenshot(ada, "budgets-live-1280")

    phone = await phone_for("ada")
    await phone.goto("/budgets")
    await expect(phone.locator(f"#budget-{agency.acme_project}")).to_contain_text("11 of 10 h")
    assert await phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    await screenshot(phone, "budgets-390")


async def test_the_banner_and_the_client_s_hours_budget_at_both_widths(
    agency: Agency, page_for: PageFor, phone_for: PhoneFor, screenshot: Screenshot
) -> None:
    await three_budgets(agency)
    await set_budget(agency.acme_project, budget_hours=5)  # 4 h of 5: 80 %, the first threshold

    ada = await page_for("ada")
    await open_board(ada, agency.acme_project)
    banner = ada.locator("#budget-banner")
    await expect(banner).to_contain_text("Budget alert")
    await expect(banner).to_contain_text("80% of the hours budget used: 4 of 5 h")
    await screenshot(ada, "budget-banner-1280")
    phone = await phone_for("ada")
    await phone.goto(f"/projects/{agency.brand_project}")
    await expect(phone.locator("#budget-banner")).to_contain_text("Over budget")
    assert await phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    await screenshot(phone, "budget-banner-390")

    cleo = await page_for("cleo")
    await cleo.goto("/portal")
    block = cleo.locator(f"#portal-budget-{agency.acme_project}")
    await expect(block).to_contain_text("4h of 5h")
    await expect(block).to_contain_text("Whole project")
    await expect(cleo.locator("body")).not_to_contain_text("€")
    await screenshot(cleo, "portal-budget-1280")
    cleo_phone = await phone_for("cleo")
    await cleo_phone.goto("/portal")
    await expect(cleo_phone.locator(f"#portal-budget-{agency.acme_project}")).to_be_visible()
    assert await cleo_phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    await screenshot(cleo_phone, "portal-budget-390")

    # A retainer shows how much of the month has passed beside the hours.
    await set_budget(agency.globex_project, client_sees_budget=True)
    app = await add_card(agency.globex_project, "Checkout flow")
    await add_entry(app, agency.mia, datetime.combine(today(), time(0, 5), tzinfo=UTC), 6 * 60)
    cole = await page_for("cole")
    await cole.goto("/portal")
    retainer = cole.locator(f"#portal-budget-{agency.globex_project}")
    await expect(retainer).to_contain_text("6h of 40h")
    await expect(retainer).to_contain_text("of the month has passed")
    await expect(cole.locator("body")).not_to_contain_text("6,000")
    await screenshot(cole, "portal-budget-monthly-1280")


async def test_the_lines_past_the_first_come_as_ada_scrolls_to_them(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    from server.budgets.pages import PAGE
    from tests.budgets.test_overview import many_budgets

    await many_budgets(agency, PAGE + 5)
    ada = await page_for("ada")
    await ada.goto("/budgets")
    lines = ada.locator("tr.budget-line")
    await expect(lines).to_have_count(PAGE)
    await expect(ada.locator(".budget-counts")).to_contain_text(str(PAGE + 5))
    await screenshot(ada, "budgets-counts-1280")
    await ada.locator("tr.budget-more").scroll_into_view_if_needed()
    await expect(lines).to_have_count(PAGE + 5)
    await expect(ada.locator("tr.budget-more")).to_have_count(0)
    await expect(ada.locator(f"#budget-{agency.acme_project}")).to_have_count(0)  # no budget: no line
