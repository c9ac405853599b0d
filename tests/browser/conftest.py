"""A real server and a real browser: uvicorn in a subprocess on the suite's own database and Redis
(`live_server`, from tests/live.py), and Debian's chromium driven by Playwright. Test data goes in
through the usual fixtures (`agency`); the server sees it because it shares the database."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Locator, Page, async_playwright, expect

from server.tables import Task
from tests.conftest import EMAILS, PASSWORD
from tests.live import live_server  # the one uvicorn subprocess on the suite's database and Redis

__all__ = ["live_server"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = "browser tests need Debian's chromium: sudo apt-get install chromium"
VIEWPORT = {"width": 1280, "height": 800}

PageFor = Callable[[str], Awaitable[Page]]
Screenshot = Callable[[Page, str], Awaitable[None]]


def _require_chromium() -> None:
    """Skips without Debian's chromium, unless CI (BOARDROOM_REQUIRE_BROWSER=1) insists on it."""
    if not CHROMIUM.exists():
        if os.environ.get("BOARDROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_CHROMIUM)
        pytest.skip(MISSING_CHROMIUM)


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Browser]:
    _require_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.fixture
async def new_page(chromium: Browser, live_server: str) -> AsyncIterator[Callable[[], Awaitable[Page]]]:
    """`await new_page()`: a page in a fresh browser context (own cookies) at 1280x800 on the live server."""
    contexts: list[BrowserContext] = []

    async def open_page() -> Page:
        context = await chromium.new_context(base_url=live_server, viewport=VIEWPORT)  # type: ignore[arg-type]
        context.set_default_timeout(10_000)
        contexts.append(context)
        return await context.new_page()

    yield open_page
    for context in contexts:
        await context.close()


async def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Through the login form, as a person would."""
    await page.goto("/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()


@pytest.fixture
async def page_for(new_page: Callable[[], Awaitable[Page]]) -> PageFor:
    """`await page_for("ada")`: a page signed in as that persona through the login form."""

    async def signed_in(persona: str) -> Page:
        page = await new_page()
        await sign_in(page, EMAILS[persona])
        await page.wait_for_url(lambda url: "/login" not in url)
        return page

    return signed_in


@pytest.fixture
def screenshot() -> Screenshot:
    """Saves a screenshot when BOARDROOM_SCREENSHOTS names a folder (`make screenshots` writes
    docs/screenshots/); otherwise does nothing, so a test run leaves the working tree alone."""
    setting = os.environ.get("BOARDROOM_SCREENSHOTS")
    folder = Path(setting) if setting else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)

    async def save(page: Page, name: str) -> None:
        if folder:
            await asyncio.sleep(0.2)  # let web fonts and the favicon settle
            await page.screenshot(path=str(folder / f"{name}.png"))

    return save


async def task_id(title: str) -> int:
    """The card with this title (the demo boards' titles are unique)."""
    row = await Task.select(Task.id).where(Task.title == title).first()
    assert row is not None
    return int(row["id"])


async def open_board(page: Page, project_id: int) -> None:
    await page.goto(f"/projects/{project_id}")
    # The state, not the label: the label is in the viewer's language ("trực tuyến" for a Vietnamese one).
    await expect(page.locator("#connection")).to_have_attribute("data-state", "online")
    # The header's timer and the sprint review badges load just after the page: a drag measured
    # before they arrive can land beside its target.
    await page.wait_for_load_state("networkidle")
    # Anything that reloads the page (or swaps the whole body) would lose this mark.
    await page.evaluate("window.boardroomTestMark = 'still here'")


async def drag(page: Page, card: Locator, target: Locator) -> None:
    """Drag with real pointer events, in steps, as a hand would: SortableJS follows the pointer."""
    start = await card.locator(".card-meta").bounding_box()
    end = await target.bounding_box()
    assert start and end
    await page.mouse.move(start["x"] + 10, start["y"] + start["height"] / 2)
    await page.mouse.down()
    await page.mouse.move(start["x"] + 30, start["y"] + 20, steps=5)
    await page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] - 10, steps=20)
    # SortableJS moves the placeholder on its own animation frames: a busy machine may not have
    # caught up with the last step yet. A hand rests a moment over the target before letting go.
    await page.wait_for_timeout(250)
    await page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] - 14, steps=3)
    await page.mouse.up()


PHONE = {"width": 390, "height": 844}
PhoneFor = Callable[[str], Awaitable[Page]]


@pytest.fixture
async def phone_for(chromium: Browser, live_server: str) -> AsyncIterator[PhoneFor]:
    """`await phone_for("max")`: a touch screen 390 px wide, signed in as that persona."""
    contexts: list[BrowserContext] = []

    async def open_phone(persona: str) -> Page:
        context = await chromium.new_context(
            base_url=live_server,
            viewport=PHONE,  # type: ignore[arg-type]
            has_touch=True,
            is_mobile=True,
            device_scale_factor=2,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = await context.new_page()
        await sign_in(page, EMAILS[persona])
        await page.wait_for_url(lambda url: "/login" not in url)
        return page

    yield open_phone
    for context in contexts:
        await context.close()
