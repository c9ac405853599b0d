"""Presence is right after crashes: a process's entries expire unless it refreshes them, so one
killed with SIGKILL (nothing of ours runs: no "left") leaves no ghost viewer; and a Redis that lost
its keys gets this process's viewers back on the next refresh."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection

from server.kernel.config import ROOT, realtime_timings
from server.realtime.hub import BoardHub
from server.realtime.presence import Presence
from server.realtime.pubsub import PubSub
from tests.conftest import Agency
from tests.factories import columns_of
from tests.live import LiveSession
from tests.realtime.conftest import BoardSocket, Sessions, next_event, next_presence
from tests.realtime.servers import web_process
from tests.realtime.waiting import eventually

NAMESPACE = os.environ["BOARDROOM_CHANNEL_NAMESPACE"]
SHORT_TTL = 2.0
# A process that keeps one viewer on board 7 and refreshes it, as a web process's heartbeat does.
VIEWER_PROCESS = """
import asyncio, sys
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection
from server.realtime.hub import BoardHub
from server.realtime.presence import Presence
from server.realtime.pubsub import PubSub
async def main() -> None:
    presence = Presence(Redis.from_url(sys.argv[1]), sys.argv[2], ttl=float(sys.argv[3]))
    await presence.joined(7, 42)
    print("joined", flush=True)
    while True:
        await asyncio.sleep(0.3)
        await presence.refresh()

asyncio.run(main())
"""

TTL_SECONDS = realtime_timings().presence_ttl  # as the suite sets it (tests/settings.py)


@pytest.fixture
async def presence(redis_url: str) -> AsyncIterator[Presence]:
    client = Redis.from_url(redis_url)
    yield Presence(client, NAMESPACE, ttl=SHORT_TTL)
    await client.aclose()


async def test_a_viewer_whose_process_was_killed_stops_counting_once_its_entry_expires(
    redis_url: str, presence: Presence
) -> None:
    process = subprocess.Popen(  # noqa: ASYNC220 - started once, not awaited on
        [sys.executable, "-c", VIEWER_PROCESS, redis_url, NAMESPACE, str(SHORT_TTL)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == b"joined\n"
        await asyncio.sleep(SHORT_TTL * 2)
        assert await presence.viewer_ids(7) == [42], "refreshed, the entry outlives its first expiry"
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert await presence.viewer_ids(7) == [42], "nothing removed it: it is still counted, for now"
        await eventually(nobody(presence, 7), "the killed process's viewer expires", SHORT_TTL * 5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_a_viewer_who_leaves_is_gone_at_once_and_two_sockets_count_as_one(presence: Presence) -> None:
    assert await presence.joined(3, 5) is True, "her first socket: the board's viewers changed"
    assert await presence.joined(3, 5) is False, "her second tab changes nobody's view"
    assert await presence.joined(3, 6) is True
    assert await presence.viewer_ids(3) == [5, 6]
    assert await presence.left(3, 5) is False
    assert await presence.viewer_ids(3) == [5, 6], "her other socket is still open"
    assert await presence.left(3, 5) is True
    assert await presence.viewer_ids(3) == [6]


async def test_a_burst_of_the_same_news_goes_out_once(redis_url: str) -> None:
    hub = BoardHub(PubSub(redis_url), NAMESPACE)
    sent: list[int] = []

    async def tell() -> None:
        sent.append(len(sent))

    for _ in range(100):  # a hundred viewers arriving at once
        hub.soon(("presence", 3), tell, delay=0.05)
    hub.soon(("presence", 4), tell, delay=0.05)  # another board's news is its own
    await eventually(lambda: len(sent) >= 2, "both boards told", 5)
    await asyncio.sleep(0.2)
    assert len(sent) == 2, "once per board, not once per arrival"
    hub.soon(("presence", 3), tell, delay=0.05)  # news after the burst is sent again
    await eventually(lambda: len(sent) >= 3, "told again", 5)
    await hub.pubsub.stop()


async def test_a_second_tab_sends_no_presence_news(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    """Opening the board again (a second tab, a reconnect) changes nobody's view: nobody is told."""
    await columns_of(agency.acme_project)
    ada, max_ = await session_of("ada"), await session_of("max")
    async with board_socket(ada, agency.acme_project) as ada_ws, board_socket(max_, agency.acme_project):
        await next_presence(ada_ws, until=lambda html: ">MM<" in html)
        async with board_socket(max_, agency.acme_project, ready=False) as second_tab:
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(1.5):
                    await next_presence(ada_ws)
            await second_tab.send('{"after": -1}')  # yet the second tab is live: it answers
            assert (await next_event(second_tab))[0] == 0


async def test_a_refresh_writes_back_the_viewers_a_restarted_redis_lost_and_says_which_boards(
    redis_url: str, presence: Presence
) -> None:
    await presence.joined(3, 5)
    await presence.joined(4, 6)
    assert await presence.refresh() == set(), "nothing changed"
    raw = Redis.from_url(redis_url)
    await raw.flushdb()  # what a Redis restarted without persistence holds
    await raw.aclose()
    assert await presence.viewer_ids(3) == []
    assert await presence.refresh() == {3, 4}, "the boards whose viewers must be told again"
    assert await presence.viewer_ids(3) == [5] and await presence.viewer_ids(4) == [6]


@pytest.mark.slow
async def test_a_web_process_killed_with_sigkill_leaves_no_ghost_in_presence(
    agency: Agency, redis_url: str, session_of: Sessions, board_socket: BoardSocket
) -> None:
    """max's socket is on a process that is then killed; ada, on the suite's live server, sees him
    go once his entry has expired (that server's heartbeat sweeps it and tells the board)."""
    await columns_of(agency.acme_project)
    ada = await session_of("ada")
    with web_process(redis_url) as doomed:
        max_ = await LiveSession(doomed.url).login("max")
        try:
            async with board_socket(ada, agency.acme_project) as ada_ws:
                async with board_socket(max_, agency.acme_project):
                    await next_presence(ada_ws, until=lambda html: ">MM<" in html)
                    doomed.kill()
                async with asyncio.timeout(TTL_SECONDS * 3):
                    gone = await presence_without(ada_ws, ">MM<")
                assert ">AA<" in gone
        finally:
            await max_.aclose()
    page = await ada.http.get(f"/projects/{agency.acme_project}")
    assert page.status_code == 200 and ">MM<" not in page.text.split('id="presence"', 1)[1].split("</div>", 1)[0]


def nobody(presence: Presence, project_id: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return not await presence.viewer_ids(project_id)

    return check


async def presence_without(socket: ClientConnection, mark: str) -> str:
    """The first presence fragment that no longer shows `mark` (the caller bounds the wait)."""
    while True:
        message = str(await socket.recv())
        if 'id="presence"' in message and mark not in message:
            return message
