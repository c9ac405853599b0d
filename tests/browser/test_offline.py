"""A board open while its server stops: an edit made meanwhile is refused where it was made and says
so (nothing is queued: the typed text stays in its field, a dragged card goes back), the offline
notice floats over the page instead of pushing the board down, and the board is live again within
3 s of the server answering."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from server.boards.demo import seed_boards
from server.kernel.config import ROOT
from server.tables import Comment, Task
from tests.browser.conftest import VIEWPORT, Screenshot, chromium, drag, sign_in, task_id  # noqa: F401
from tests.conftest import EMAILS, Agency
from tests.factories import columns_of
from tests.live import STARTUP_SECONDS, UVICORN_OPTIONS
from tests.realtime.servers import free_port
from tests.settings import TMP

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class Server:
    """A web process that can be stopped and started again on the same address."""

    def __init__(self, redis_url: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.redis_url = redis_url
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "REDIS_URL": self.redis_url, "PYTHONUNBUFFERED": "1"}
        with (TMP / f"offline-web-{self.port}.log").open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "server.asgi:app", "--port", str(self.port), *UVICORN_OPTIONS],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def answering(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health/live", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    async def wait_until_answering(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not await asyncio.to_thread(self.answering):
            assert self.process and self.process.poll() is None, "the web process exited"
            assert time.monotonic() < deadline, "the web process did not answer /health"
            await asyncio.sleep(0.05)

    def kill(self) -> None:
        """As a crash ends it: the board's socket drops at once."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def server(redis_url: str) -> Iterator[Server]:
    web = Server(redis_url)
    web.start()
    yield web
    web.kill()


@pytest.fixture
async def max_page(chromium: Browser, server: Server) -> AsyncIterator[Page]:  # noqa: F811
    await server.wait_until_answering()
    context = await chromium.new_context(base_url=server.url, viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = await context.new_page()
    await sign_in(page, EMAILS["max"])
    await page.wait_for_url(lambda url: "/login" not in url)
    yield page
    await context.close()


async def board_top(page: Page) -> float:
    box = await page.locator("#board").bounding_box()
    assert box
    return box["y"]


async def test_edits_made_offline_are_refused_in_place_and_the_board_comes_back_live(
    agency: Agency, server: Server, max_page: Page, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    cols = await columns_of(agency.acme_project)
    hero = await task_id("Homepage hero copy")
    page = max_page
    await page.goto(f"/projects/{agency.acme_project}")
    await expect(page.locator("#connection")).to_have_text("live")
    await page.wait_for_load_state("networkidle")
    await page.evaluate("window.boardroomTestMark = 'still here'")
    top = await board_top(page)

    server.kill()
    await expect(page.locator("#connection")).to_have_text("offline")
    banner = page.locator("#offline-banner")
    await expect(banner).to_be_visible()
    assert await board_top(page) == top, "the offline notice floats: the board stays where it was"

    # Quick add: refused, said so beside the field, the title still typed.
    quick_add = page.locator(f"#quick-add-{cols['To do']}")
    await quick_add.fill("Launch day checklist")
    await quick_add.press("Enter")
    note = page.locator(f"#column-{cols['To do']} .quick-add .offline-note")
    await expect(note).to_contain_text("Not saved")
    await expect(quick_add).to_have_value("Launch day checklist")

    # A drag: the card goes back where it was, and the toast says so.
    await drag(page, page.locator(f"#task-{hero}"), page.locator(f"#column-{cols['Review']} .card-list"))
    await expect(page.locator("#toast")).to_contain_text("Not moved")
    await expect(page.locator(f"#column-{cols['To do']} #task-{hero}")).to_be_visible()
    await screenshot(page, "board-offline")
    await page.set_viewport_size({"width": 390, "height": 844})
    await screenshot(page, "board-offline-phone")
    await page.set_viewport_size(VIEWPORT)

    # The server answers again: live within 3 s, and the same Enter now saves the kept title.
    server.start()
    await server.wait_until_answering()
    await expect(page.locator("#connection")).to_have_text("live", timeout=3000)
    await expect(banner).to_be_hidden()
    await quick_add.press("Enter")
    await expect(page.locator(f"#column-{cols['To do']} .card-title", has_text="Launch day checklist")).to_be_visible()
    await expect(note).to_have_count(0)
    assert await Task.exists().where(Task.title == "Launch day checklist")
    assert (await Task.select(Task.column).where(Task.id == hero).first()) == {"column": cols["To do"]}
    assert await page.evaluate("window.boardroomTestMark") == "still here"


async def test_a_comment_written_offline_stays_in_the_dialog_and_says_it_was_not_saved(
    agency: Agency, server: Server, max_page: Page
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    page = max_page
    await page.goto(f"/tasks/{hero}")
    await expect(page.locator("#connection")).to_have_text("live")
    dialog = page.locator("#dialog dialog[open]")
    await expect(dialog).to_be_visible()

    server.kill()
    await expect(page.locator("#connection")).to_have_text("offline")
    comment = dialog.locator(".cd-comment-form textarea")
    await comment.fill("Can we try a shorter headline?")
    await dialog.locator(".cd-comment-form").get_by_role("button").last.click()
    await expect(dialog.locator(".cd-comment-form .offline-note")).to_contain_text("Not saved")
    await expect(comment).to_have_value("Can we try a shorter headline?")
    assert not await Comment.exists().where(Comment.body == "Can we try a shorter headline?")
