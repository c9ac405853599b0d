"""Ada imports a Trello board in the browser: uploads the export, reads the preview (who is who,
every card with its problems), confirms, and watches the import finish; on a phone the preview
reads too. The job runs in the test's process (the live server shares its database and Redis)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect
from redis.asyncio import Redis

from server.imports import jobs
from server.kernel.config import Settings
from server.tables import ImportRun
from tests.browser.conftest import PageFor, Screenshot, sign_in
from tests.conftest import EMAILS, Agency
from tests.imports.helpers import FIXTURES, new_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
async def phone_for(chromium: Browser, live_server: str) -> AsyncIterator[Callable[[str], Awaitable[Page]]]:
    contexts: list[BrowserContext] = []

    async def open_phone(persona: str) -> Page:
        context = await chromium.new_context(
            base_url=live_server,
            viewport=PHONE,
            has_touch=True,
            is_mobile=True,
            device_scale_factor=2,  # type: ignore[arg-type]
        )
        contexts.append(context)
        page = await context.new_page()
        await sign_in(page, EMAILS[persona])
        await page.wait_for_url(lambda url: "/login" not in url)
        return page

    yield open_phone
    for context in contexts:
        await context.close()


async def test_ada_previews_and_imports_a_trello_board(
    agency: Agency,
    page_for: PageFor,
    phone_for: Callable[[str], Awaitable[Page]],
    screenshot: Screenshot,
    redis_url: str,
) -> None:
    project_id = await new_project(agency)
    page = await page_for("ada")
    await page.goto(f"/projects/{project_id}/import")
    await page.get_by_label("Trello export (JSON)").set_input_files(str(FIXTURES / "small_board.json"))
    await page.locator("form[action$='/import/trello'] button").click()
    await page.wait_for_url("**/imports/*")
    await expect(page.get_by_role("heading", name="Who is who")).to_be_visible()
    await expect(page.get_by_label("Max Member @maxm")).to_have_value(str(agency.max))
    await expect(page.get_by_text("The card is in no list: it goes to the first column.")).to_be_visible()
    await screenshot(page, "import-preview")

    phone = await phone_for("ada")
    await phone.goto(page.url)
    await expect(phone.get_by_role("heading", name="What will be created")).to_be_visible()
    await screenshot(phone, "import-preview-390")

    await page.get_by_role("button", name="Import", exact=True).click()
    await expect(page.get_by_text("Queued…")).to_be_visible()
    run = await ImportRun.select(ImportRun.id).first()
    assert run is not None
    redis = Redis.from_url(redis_url)
    try:
        await jobs.run_import({"settings": Settings.from_env(), "redis": redis}, run["id"])
    finally:
        await redis.aclose()
    await expect(page.get_by_text("Imported.")).to_be_visible(timeout=10_000)  # the page polls
    await screenshot(page, "import-done")
