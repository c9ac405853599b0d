"""What a person sees in a real browser: a board left open through a Redis outage says it is polling
while Redis is down, says "live" again when it is back, and shows exactly the board the database
holds (every card in its column, in order) with no reload; and a card that reached the board
without any announcement shows up by the next heartbeat."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, Page, expect

from server.kernel.config import realtime_timings
from server.tables import Task
from tests.browser.conftest import VIEWPORT, chromium, sign_in  # noqa: F401  (chromium: the fixture)
from tests.conftest import EMAILS, Agency
from tests.factories import add_card, add_cards, columns_of
from tests.live import LiveSession
from tests.realtime.servers import RedisServer, WebProcess, own_redis, web_process
from tests.realtime.test_websocket import board_seq

HEARTBEAT_SECONDS = realtime_timings().heartbeat  # as the suite sets it (tests/settings.py)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 30_000


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    with own_redis() as server:
        yield server


@pytest.fixture
def web(redis_server: RedisServer) -> Iterator[WebProcess]:
    with web_process(redis_server.url) as process:
        yield process


@pytest.fixture
async def ada_page(chromium: Browser, web: WebProcess) -> AsyncIterator[Page]:  # noqa: F811
    context = await chromium.new_context(base_url=web.url, viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(WAIT_MS)
    page = await context.new_page()
    await sign_in(page, EMAILS["ada"])
    await page.wait_for_url(lambda url: "/login" not in url)
    yield page
    await context.close()


async def open_board(page: Page, project_id: int) -> None:
    await page.goto(f"/projects/{project_id}")
    await expect(page.locator("#connection")).to_have_attribute("data-state", "online", timeout=WAIT_MS)
    await page.evaluate("window.boardroomTestMark = 'still here'")


async def shows_the_database_s_board(page: Page, project_id: int, columns: dict[str, int]) -> None:
    seq = await board_seq(project_id)
    await expect(page.locator("#board-seq")).to_have_attribute("data-seq", str(seq), timeout=WAIT_MS)
    for column in columns.values():
        rows = await Task.select(Task.id).where((Task.column == column) & (Task.archived.eq(False))).order_by(Task.rank)
        cards = page.locator(f"#column-{column} .card")
        await expect(cards).to_have_count(len(rows), timeout=WAIT_MS)
        assert [int(v) for v in await cards.evaluate_all("cs => cs.map(c => c.dataset.taskId)")] == [
            r["id"] for r in rows
        ], f"column {column} in the database's order"
    assert await page.evaluate("window.boardroomTestMark") == "still here", "no reload"


async def test_a_board_open_through_a_redis_outage_polls_then_goes_live_and_shows_every_move(
    agency: Agency, redis_server: RedisServer, web: WebProcess, ada_page: Page
) -> None:
    project = agency.acme_project
    cols = await columns_of(project)
    cards = await add_cards(project, *(f"Card {n}" for n in range(6)))
    await open_board(ada_page, project)
    max_ = await LiveSession(web.url).login("max")
    try:
        targets = [cols["Review"], cols["Done"], cols["In progress"]]
        redis_server.stop()
        await expect(ada_page.locator("#connection")).to_have_attribute("data-state", "polling", timeout=WAIT_MS)
        for n, card in enumerate(cards[:5]):
            response = await max_.post(f"/tasks/{card}/move", {"column_id": targets[n % 3], "version": 1})
            assert response.status_code == 200, response.text
        redis_server.start()
        await expect(ada_page.locator("#connection")).to_have_attribute("data-state", "online", timeout=WAIT_MS)
        response = await max_.post(f"/tasks/{cards[5]}/move", {"column_id": cols["Done"], "version": 1})
        assert response.status_code == 200, response.text
        await shows_the_database_s_board(ada_page, project, cols)
    finally:
        await max_.aclose()


async def test_a_card_that_reached_the_board_unannounced_appears_by_the_next_heartbeat(
    agency: Agency, web: WebProcess, ada_page: Page
) -> None:
    project = agency.acme_project
    cols = await columns_of(project)
    await add_cards(project, "Already there", "And this")
    await open_board(ada_page, project)
    card = await add_card(project, "Slipped in quietly")  # committed, told to no browser
    await expect(ada_page.locator(f"#task-{card}")).to_be_visible(timeout=HEARTBEAT_SECONDS * 2000)
    await expect(ada_page.locator("#connection")).to_have_attribute("data-state", "online", timeout=WAIT_MS)
    await shows_the_database_s_board(ada_page, project, cols)
