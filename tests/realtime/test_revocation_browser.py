"""What a person sees in a real browser when their access goes while the board is open: the page
says so in words ("You no longer have access to this board", "You were signed out"), stops being
live, and neither reconnects nor polls."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import Page, Request, expect

from tests.browser.conftest import PageFor, chromium, new_page, open_board, page_for  # noqa: F401  (fixtures)
from tests.clients.test_project_edit import acme_website
from tests.conftest import Agency
from tests.realtime.conftest import Sessions

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUIET_SECONDS = 10  # more than two polling periods (board.js polls every 4 s)


def asking_again(page: Page) -> list[str]:
    """What the page asks the server from now on, about this board's live updates."""
    asked: list[str] = []

    def seen(request: Request) -> None:
        if "/changes" in request.url or request.url.endswith("/ws"):
            asked.append(request.url)

    page.on("request", seen)
    return asked


async def test_cleo_s_open_board_says_she_no_longer_has_access_once_it_is_unshared_and_stops(
    agency: Agency,
    page_for: PageFor,  # noqa: F811  (the fixture)
    session_of: Sessions,
) -> None:
    cleo_page = await page_for("cleo")
    await open_board(cleo_page, agency.acme_project)
    asked = asking_again(cleo_page)
    ada = await session_of("ada")
    response = await ada.post(f"/admin/projects/{agency.acme_project}", acme_website(agency))  # unshared
    assert response.status_code == 303, response.text

    message = cleo_page.get_by_role("alert").filter(has_text="You no longer have access to this board")
    await expect(message).to_be_visible()
    await expect(cleo_page.locator("#connection")).to_have_attribute("data-state", "closed")
    await asyncio.sleep(QUIET_SECONDS)
    assert asked == [], "no reconnecting, no polling"


async def test_max_s_open_board_says_he_was_signed_out_when_he_signs_out_in_another_tab(
    agency: Agency,
    page_for: PageFor,  # noqa: F811  (the fixture)
) -> None:
    board_tab = await page_for("max")
    await open_board(board_tab, agency.acme_project)
    asked = asking_again(board_tab)
    other_tab = await board_tab.context.new_page()
    await other_tab.goto("/profile")
    await other_tab.get_by_role("button", name="Sign out").click()
    await other_tab.wait_for_url(lambda url: "/login" in url)

    message = board_tab.get_by_role("alert").filter(has_text="You were signed out")
    await expect(message).to_be_visible()
    await expect(board_tab.locator("#connection")).to_have_attribute("data-state", "closed")
    await asyncio.sleep(QUIET_SECONDS)
    assert asked == [], "no reconnecting, no polling"
