"""A real server and a real browser: uvicorn in a subprocess on the suite's own database and Redis,
and Debian's chromium driven by Playwright. Test data goes in through the usual fixtures (`agency`);
the server sees it because it shares the database."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from server.config import ROOT
from tests.conftest import EMAILS, PASSWORD
from tests.settings import TMP

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
STARTUP_SECONDS = 30

PageFor = Callable[[str], Awaitable[Page]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_health(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the test server exited with {server.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the test server did not answer /health within {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_server(schema: None, redis_url: str) -> Iterator[str]:
    """uvicorn serving server.asgi:app on a free port, against the same DATABASE_URL and Redis as the
    test process; yields its base URL. Reusable by any test that needs a server over real HTTP."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"}
    log = TMP / f"live-server-{port}.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "server.asgi:app", "--host", "127.0.0.1", "--port", str(port)]
            + ["--ws", "websockets-sansio", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_health(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("BOARDROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_CHROMIUM)
        pytest.skip(MISSING_CHROMIUM)
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
def screenshot() -> Callable[[Page, str], Awaitable[None]]:
    """Saves a screenshot when BOARDROOM_SCREENSHOTS names a folder (`make screenshots` writes
    docs/screenshots/); otherwise does nothing, so a test run leaves the working tree alone."""
    folder = os.environ.get("BOARDROOM_SCREENSHOTS")

    async def save(page: Page, name: str) -> None:
        if folder:
            await asyncio.sleep(0.2)  # let web fonts and the favicon settle
            Path(folder).mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(Path(folder) / f"{name}.png"))

    return save
