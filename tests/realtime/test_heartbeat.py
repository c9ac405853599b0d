"""The heartbeat: every ~15 s each open board socket hears the board's latest number, so a browser
that silently missed an event notices and asks for it."""

from __future__ import annotations

import asyncio
import re

import pytest
from websockets.asyncio.client import ClientConnection

from server.kernel.config import realtime_timings
from tests.conftest import Agency
from tests.factories import add_card, columns_of
from tests.realtime.conftest import BoardSocket, Sessions, catch_up
from tests.realtime.test_websocket import board_seq

HEARTBEAT_SECONDS = realtime_timings().heartbeat  # as the suite sets it (tests/settings.py)

pytestmark = pytest.mark.slow

BEAT = re.compile(r"^<!--board-heartbeat seq=(\d+) realtime=(up|down)-->$")


async def next_heartbeat(socket: ClientConnection) -> tuple[int, str]:
    async with asyncio.timeout(HEARTBEAT_SECONDS * 2):
        while True:
            if match := BEAT.match(str(await socket.recv())):
                return int(match.group(1)), match.group(2)


async def test_a_socket_that_missed_an_event_hears_the_board_s_number_and_catches_up(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    await columns_of(agency.acme_project)
    async with board_socket(await session_of("ada"), agency.acme_project) as ws:
        applied = await board_seq(agency.acme_project)
        card = await add_card(agency.acme_project, "Made without telling anyone")  # no announcement
        latest, realtime = await next_heartbeat(ws)
        assert (latest, realtime) == (applied + 1, "up")
        seq, html = await catch_up(ws, applied)
    assert seq == latest and f'id="task-{card}"' in html
    assert html.startswith("<!--board-catch-up after="), "marked, so the page applies it past the gap"
