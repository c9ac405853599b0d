"""Redis goes away and comes back under two live web processes: writes keep answering, pages keep
serving, /health says realtime is down and then up, every open board socket ends at the database's
sequence number holding every card moved meanwhile (with no reload and no restart), and both
processes then shut down by themselves.

The processes run on a redis-server of this test's own (tests/realtime/servers.py), which it stops
and starts; that Redis keeps nothing across the restart, as a cache Redis would not. Sessions live
in the database, so nobody is signed out by it."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.conftest import Agency
from tests.factories import add_cards, columns_of
from tests.live import LiveSession
from tests.realtime.conftest import SEQ, ws_url
from tests.realtime.servers import RedisServer, WebProcess, own_redis, web_process
from tests.realtime.test_websocket import board_seq
from tests.realtime.waiting import eventually

pytestmark = pytest.mark.slow

WAIT = 30  # seconds; reconnecting backs off up to 5 s, and the machine is shared
OUTAGE_MOVES = 8  # moves made while Redis is down, ~0.5 s apart
HEARTBEAT = re.compile(r"^<!--board-heartbeat seq=(\d+) realtime=(up|down)-->")
CAUGHT_UP = re.compile(r"^<!--board-catch-up after=-?\d+-->")


class Viewer:
    """A board page's socket as board.js keeps it: the number it applied last, a live event applied
    only in order, a gap or a heartbeat past its number answered by asking for what it missed, and
    a catch-up answer applied whatever its number."""

    def __init__(self, name: str, socket: ClientConnection, seq: int) -> None:
        self.name = name
        self.socket = socket
        self.last = seq
        self.applied: list[str] = []  # every numbered message applied, in order
        self.realtime: list[str] = []  # "up"/"down", as heartbeats said it
        self.task = asyncio.create_task(self._read())

    async def ask(self) -> None:
        await self.socket.send(json.dumps({"after": self.last}))

    async def _read(self) -> None:
        await self.ask()  # as board.js does when the socket opens
        async for raw in self.socket:
            message = str(raw)
            if beat := HEARTBEAT.match(message):
                self.realtime.append(beat.group(2))
                if int(beat.group(1)) > self.last:
                    await self.ask()
            elif match := SEQ.search(message[:200]):
                seq = int(match.group(1))
                if seq <= self.last:
                    continue
                if seq == self.last + 1 or CAUGHT_UP.match(message):
                    self.last = seq
                    self.applied.append(message)
                else:
                    await self.ask()

    async def reaches(self, seq: int) -> None:
        def there() -> bool:
            if self.task.done():
                pytest.fail(f"{self.name}'s socket ended at {self.last}: {self.task.exception()!r}")
            return self.last >= seq

        await eventually(there, f"{self.name} reaches event {seq}", WAIT)

    async def hears_realtime(self, state: str) -> None:
        await eventually(lambda: self.realtime[-1:] == [state], f"{self.name} hears realtime is {state}", WAIT)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    with own_redis() as server:
        yield server


@pytest.fixture
def processes(redis_server: RedisServer) -> Iterator[tuple[WebProcess, WebProcess]]:
    with web_process(redis_server.url) as a, web_process(redis_server.url) as b:
        yield a, b


@asynccontextmanager
async def viewing(session: LiveSession, project_id: int, name: str) -> AsyncIterator[Viewer]:
    seq = await board_seq(project_id)  # the page was rendered at this number
    async with connect(
        ws_url(session.base_url, project_id),
        additional_headers={"Cookie": session.cookie_header},
        origin=session.base_url,  # type: ignore[arg-type]
        open_timeout=WAIT,
    ) as socket:
        viewer = Viewer(name, socket, seq)
        try:
            yield viewer
        finally:
            viewer.task.cancel()


async def until_health(process: WebProcess, realtime: str) -> None:
    async def says() -> bool:
        return (await asyncio.to_thread(process.health))["realtime"] == realtime

    await eventually(says, f"{process.url}/health says realtime {realtime}", WAIT)


async def test_open_boards_catch_up_by_themselves_after_redis_restarts_and_no_write_fails(
    agency: Agency, redis_server: RedisServer, processes: tuple[WebProcess, WebProcess]
) -> None:
    a, b = processes
    project = agency.acme_project
    cols = await columns_of(project)
    cards = await add_cards(project, *(f"Card {n}" for n in range(OUTAGE_MOVES + 2)))
    targets = [cols["Review"], cols["Done"], cols["In progress"]]
    versions = dict.fromkeys(cards, 1)
    statuses: list[int] = []
    async with AsyncExitStack() as stack:
        max_ = await LiveSession(a.url).login("max")
        stack.push_async_callback(max_.aclose)
        sessions = [(await LiveSession(url).login(who), f"{who} on {url[-5:]}") for who, url in
                    (("ada", a.url), ("cleo", b.url), ("ada", b.url))]  # fmt: skip
        for session, _ in sessions:
            stack.push_async_callback(session.aclose)
        viewers = [await stack.enter_async_context(viewing(s, project, name)) for s, name in sessions]

        async def move(index: int) -> None:
            card = cards[index]
            response = await max_.post(
                f"/tasks/{card}/move", {"column_id": targets[index % 3], "version": versions[card]}
            )
            statuses.append(response.status_code)
            if response.status_code == 200:
                versions[card] += 1

        await move(0)
        for viewer in viewers:
            await viewer.reaches(await board_seq(project))
        assert {a.health()["realtime"], b.health()["realtime"]} == {"up"}

        redis_server.stop()
        await until_health(a, "down")
        await until_health(b, "down")
        for index in range(1, OUTAGE_MOVES + 1):
            await move(index)
            await asyncio.sleep(0.5)
        page = await max_.http.get(f"/projects/{project}")
        assert page.status_code == 200, "the board page serves while Redis is down"
        polled = await max_.http.get(f"/projects/{project}/changes", params={"after": 0})
        assert polled.status_code == 200 and f'data-seq="{await board_seq(project)}"' in polled.text
        for viewer in viewers:
            await viewer.hears_realtime("down")  # the page shows it and polls

        redis_server.start()
        await until_health(a, "up")
        await until_health(b, "up")
        await move(OUTAGE_MOVES + 1)  # live again, through Redis
        final = await board_seq(project)
        for viewer in viewers:
            await viewer.reaches(final)
            await viewer.hears_realtime("up")
        assert all(status < 500 for status in statuses), statuses
        assert statuses.count(200) == OUTAGE_MOVES + 2, statuses
        assert final == max(v.last for v in viewers) == min(v.last for v in viewers)
        for viewer in viewers:
            since_outage = "".join(viewer.applied[1:])
            missing = [card for card in cards[1:] if f'id="task-{card}"' not in since_outage]
            assert not missing, f"{viewer.name} never got cards {missing}"

    assert a.terminate(), a.output()
    assert b.terminate(), b.output()


async def test_a_web_process_shuts_down_by_itself_while_redis_is_gone(
    agency: Agency, redis_server: RedisServer, processes: tuple[WebProcess, WebProcess]
) -> None:
    a, _ = processes
    project = agency.acme_project
    await columns_of(project)
    ada = await LiveSession(a.url).login("ada")
    try:
        async with viewing(ada, project, "ada") as viewer:
            await viewer.reaches(await board_seq(project))
            redis_server.stop()
            await until_health(a, "down")
            assert a.terminate(), a.output()
    finally:
        await ada.aclose()
    redis_server.start()


async def test_health_reports_redis_and_realtime_down_with_a_503_while_live_stays_200(
    redis_server: RedisServer, processes: tuple[WebProcess, WebProcess]
) -> None:
    a, _ = processes
    assert a.health() == {"status": "ok", "database": "up", "redis": "up", "realtime": "up"}
    redis_server.stop()
    await until_health(a, "down")
    assert a.health() == {  # 503 (WebProcess.health checks it)
        "status": "down",
        "database": "up",
        "redis": "down",
        "realtime": "down",
        "down": ["redis", "realtime"],
    }
    live = await asyncio.to_thread(httpx.get, f"{a.url}/health/live", timeout=5)
    assert live.status_code == 200  # pages still serve
    redis_server.start()
    await until_health(a, "up")
