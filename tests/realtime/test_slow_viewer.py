"""Slow viewers cannot hurt anyone: a board socket whose browser stops reading is closed with 4408
("catch up") once its backlog passes the bound, instead of growing the server's memory, while a
viewer of the same board who keeps reading gets every message."""

from __future__ import annotations

import asyncio
import base64
import os
import socket
from urllib.parse import urlparse

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from server.realtime.pubsub import CATCH_UP, QUEUE_LIMIT
from tests.conftest import Agency
from tests.factories import columns_of
from tests.live import LiveSession
from tests.realtime.conftest import WAIT, BoardSocket, Sessions, next_presence, ws_url

pytestmark = pytest.mark.slow

NAMESPACE = os.environ["BOARDROOM_CHANNEL_NAMESPACE"]
# Far more than fits in the socket buffers between the server and a client that stopped reading
# (its receive buffer is kept small; the server's send buffer grows to a few MB) plus the server's
# bound of QUEUE_LIMIT messages.
# Random, so that compression (permessage-deflate) does not shrink it to nothing on the wire.
MESSAGES = QUEUE_LIMIT * 8
FILLER = base64.b64encode(os.urandom(12_000)).decode()


async def stalled_socket(session: LiveSession, project_id: int) -> ClientConnection:
    """A board socket whose browser will stop reading: a small receive buffer, so that what it does
    not read backs up into the server quickly (loopback buffers otherwise grow to tens of MB)."""
    url = ws_url(session.base_url, project_id)
    address = urlparse(url)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16_384)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (address.hostname, address.port))
    ws = await connect(
        url,
        sock=sock,
        additional_headers={"Cookie": session.cookie_header},
        origin=session.base_url,  # type: ignore[arg-type]
        open_timeout=WAIT,
        max_queue=4,
    )
    await next_presence(ws)  # subscribed
    return ws


async def read_until_closed(socket: ClientConnection) -> tuple[int, int]:
    """(messages read, the close code) once the server closes the socket."""
    count = 0
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(WAIT * 6):
            while True:
                await socket.recv()
                count += 1
    assert closed.value.rcvd is not None, "the server closed the socket with a code"
    return count, closed.value.rcvd.code


async def test_a_viewer_who_stops_reading_is_told_to_catch_up_and_one_who_reads_gets_everything(
    agency: Agency, redis_url: str, session_of: Sessions, board_socket: BoardSocket
) -> None:
    await columns_of(agency.acme_project)
    channel = f"{NAMESPACE}board:{agency.acme_project}:agency:en"
    redis = Redis.from_url(redis_url)
    try:
        stalled = await stalled_socket(await session_of("ada"), agency.acme_project)
        async with stalled, board_socket(await session_of("max"), agency.acme_project) as reader:
            received = 0

            async def keep_reading() -> None:
                nonlocal received
                async with asyncio.timeout(WAIT * 6):
                    while received < MESSAGES:
                        if FILLER in str(await reader.recv()):
                            received += 1

            reading = asyncio.create_task(keep_reading())
            async with redis.pipeline(transaction=False) as pipe:
                for n in range(MESSAGES):
                    pipe.publish(channel, f"<p>{n}</p>{FILLER}")
                await pipe.execute()
            await reading
            assert received == MESSAGES
            # Only now does the stalled browser read again: what was already on its way, then the close.
            count, code = await read_until_closed(stalled)
            assert code == CATCH_UP.code == 4408
            assert count < MESSAGES, "its backlog was dropped, not delivered late"
    finally:
        await redis.aclose()
