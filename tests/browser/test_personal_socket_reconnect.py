"""The personal socket (`/ws`: job progress, the client's review news) is opened again after the
server closed it with 4408 ("catch up": it fell behind); htmx's ws extension alone reconnects only
after a dropped connection. The server's side of 4408 is tests/realtime/test_slow_viewer.py's."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import WebSocket

from tests.browser.conftest import PageFor
from tests.conftest import Agency

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLOSED = """code => document.getElementById("personal-live").dispatchEvent(
    new CustomEvent("htmx:wsClose", {bubbles: true, detail: {event: {code}}}))"""


async def test_the_personal_socket_opens_again_after_a_catch_up_close_but_not_after_a_sign_out(
    agency: Agency, page_for: PageFor
) -> None:
    page = await page_for("ada")
    opened: list[WebSocket] = []
    page.on("websocket", lambda socket: opened.append(socket) if socket.url.endswith("/ws") else None)
    await page.goto("/projects")
    await page.wait_for_load_state("networkidle")
    first = len(opened)
    assert first >= 1 and not opened[-1].is_closed(), "this page opened its personal socket"

    await page.evaluate(CLOSED, 4401)  # signed out: no retry loop
    await asyncio.sleep(2)
    assert len(opened) == first

    await page.evaluate(CLOSED, 4408)  # fell behind: open it again
    async with asyncio.timeout(5):
        while len(opened) == first:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    assert await page.locator("#personal-live").count() == 1, "one personal socket element, not two"
