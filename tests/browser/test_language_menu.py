"""The language menu: ada switches the board to Vietnamese, then Chinese, from the header; a visitor
chooses Russian on the sign-in page; on a phone the languages sit in the folded navigation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Browser, Page, expect

from server.boards.demo import seed_boards
from server.tables import User
from tests.browser.conftest import PageFor, Screenshot, open_board, sign_in
from tests.conftest import EMAILS, Agency

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


async def choose(page: Page, current: str, language: str) -> None:
    """Open the header's language menu (it shows the current language) and pick another."""
    menu = page.locator(".topbar .language-menu")
    await menu.locator("summary").filter(has_text=current).click()
    await menu.get_by_role("button", name=language).click()


async def locale_of(user_id: int) -> str:
    row = await User.select(User.locale).where(User.id == user_id).first()
    assert row is not None
    return str(row["locale"])


async def sideways(page: Page) -> int:
    return int(await page.evaluate("document.scrollingElement.scrollWidth"))


async def test_ada_switches_the_board_to_vietnamese_then_chinese(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    page = await page_for("ada")
    await open_board(page, agency.acme_project)
    board_url = page.url
    nav = page.locator(".mainnav")

    await page.locator(".topbar .language-menu summary").click()
    await expect(page.locator(".language-popover")).to_be_visible()
    await screenshot(page, "header-language-menu")
    await page.locator(".language-popover").get_by_role("button", name="Tiếng Việt").click()
    await expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert page.url == board_url, "back on the same board"
    await expect(nav.get_by_role("link", name="Dự án")).to_be_visible()
    await expect(page.locator("#connection")).to_have_text("trực tuyến")
    assert await locale_of(agency.ada) == "vi"
    assert await sideways(page) <= 1280
    await page.wait_for_load_state("networkidle")
    await screenshot(page, "board-vi")

    await choose(page, "Tiếng Việt", "中文")
    await expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    await expect(nav.get_by_role("link", name="项目")).to_be_visible()
    assert await locale_of(agency.ada) == "zh"
    await page.wait_for_load_state("networkidle")
    await screenshot(page, "board-zh")

    await choose(page, "中文", "Русский")
    await expect(page.locator("html")).to_have_attribute("lang", "ru")
    await expect(nav.get_by_role("link", name="Проекты")).to_be_visible()
    assert await sideways(page) <= 1280
    await page.wait_for_load_state("networkidle")
    await screenshot(page, "board-ru")


async def test_a_visitor_chooses_russian_on_the_sign_in_page_and_keeps_it(
    agency: Agency, new_page: Callable[[], Awaitable[Page]], screenshot: Screenshot
) -> None:
    page = await new_page()
    await page.goto("/login")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await page.get_by_role("button", name="Русский").click()
    await expect(page.locator("html")).to_have_attribute("lang", "ru")
    await expect(page.get_by_role("button", name="Войти")).to_be_visible()
    await screenshot(page, "login-ru")
    await page.reload()
    await expect(page.locator("html")).to_have_attribute("lang", "ru")


async def test_on_a_phone_the_languages_are_in_the_menu(
    agency: Agency, chromium: Browser, live_server: str, screenshot: Screenshot
) -> None:
    context = await chromium.new_context(
        base_url=live_server,
        viewport=PHONE,  # type: ignore[arg-type]
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    try:
        context.set_default_timeout(10_000)
        page = await context.new_page()
        await sign_in(page, EMAILS["ada"])
        await page.wait_for_url(lambda url: "/login" not in url)
        await expect(page.locator(".topbar .language-menu")).to_be_hidden()
        assert await sideways(page) <= PHONE["width"]
        await page.get_by_role("button", name="Menu").tap()
        await page.locator(".mainnav").get_by_role("button", name="Tiếng Việt").scroll_into_view_if_needed()
        await screenshot(page, "header-390-languages")
        await page.locator(".mainnav").get_by_role("button", name="Tiếng Việt").tap()
        await expect(page.locator("html")).to_have_attribute("lang", "vi")
        assert await sideways(page) <= PHONE["width"]
        header = await page.evaluate("document.querySelector('.topbar').getBoundingClientRect().height")
        assert header < 70, header  # still one row
        await page.get_by_role("button", name="Menu").tap()
        await screenshot(page, "header-390-vi-menu")
    finally:
        await context.close()
