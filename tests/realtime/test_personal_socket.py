"""The personal socket every signed-in page opens (`/ws`): a person's own news (job progress) and,
for a client's users, their client's news (plans to review); nobody else's."""

from __future__ import annotations

import asyncio
import os

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from server.realtime.hub import client_channel, user_channel
from tests.conftest import Agency
from tests.live import LiveSession
from tests.realtime.conftest import WAIT, Sessions

pytestmark = pytest.mark.slow
NAMESPACE = os.environ["BOARDROOM_CHANNEL_NAMESPACE"]


def personal_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://") + "/ws"


async def open_socket(base_url: str, session: LiveSession | None) -> ClientConnection:
    headers = {"Cookie": session.cookie_header} if session else {}
    return await connect(personal_url(base_url), additional_headers=headers, origin=base_url, open_timeout=WAIT)  # type: ignore[arg-type]


async def received(socket: ClientConnection, redis: Redis, channel: str, html: str) -> bool:
    """Publish until the socket gets the fragment (its subscription starts just after the handshake,
    and pub/sub keeps nothing for late subscribers); False if it never arrives."""
    try:
        async with asyncio.timeout(WAIT):
            while True:
                await redis.publish(channel, html)
                try:
                    async with asyncio.timeout(0.3):
                        if str(await socket.recv()) == html:
                            return True
                except TimeoutError:
                    continue
    except TimeoutError:
        return False


async def test_max_receives_his_own_news_and_not_ada_s(
    agency: Agency, live_server: str, session_of: Sessions, redis_url: str
) -> None:
    max_ = await session_of("max")
    redis = Redis.from_url(redis_url)
    socket = await open_socket(live_server, max_)
    try:
        assert await received(socket, redis, user_channel(NAMESPACE, agency.max), '<div id="jobs">for max</div>')
        await redis.publish(user_channel(NAMESPACE, agency.ada), '<div id="jobs">for ada</div>')
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(1):
                await socket.recv()
    finally:
        await socket.close()
        await redis.aclose()


async def test_cleo_receives_acme_news_and_cole_does_not(
    agency: Agency, live_server: str, session_of: Sessions, redis_url: str
) -> None:
    cleo, cole = await session_of("cleo"), await session_of("cole")
    redis = Redis.from_url(redis_url)
    cleo_ws, cole_ws = await open_socket(live_server, cleo), await open_socket(live_server, cole)
    try:
        news = '<span id="pending-reviews">1</span>'
        assert await received(cleo_ws, redis, client_channel(NAMESPACE, agency.acme), news)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(1):
                await cole_ws.recv()
    finally:
        await cleo_ws.close()
        await cole_ws.close()
        await redis.aclose()


async def test_an_anonymous_visitor_is_refused_with_4403(live_server: str) -> None:
    socket = await open_socket(live_server, None)
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(WAIT):
            await socket.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_a_page_on_another_site_is_refused_with_4403(
    agency: Agency, live_server: str, session_of: Sessions
) -> None:
    max_ = await session_of("max")
    socket = await connect(
        personal_url(live_server),
        additional_headers={"Cookie": max_.cookie_header},
        origin="http://evil.example",  # type: ignore[arg-type]
        open_timeout=WAIT,
    )
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(WAIT):
            await socket.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
