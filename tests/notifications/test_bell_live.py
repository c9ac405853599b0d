"""The bell's count reaches every page a person has open, over their personal socket (/ws), in
their language, the moment news for them commits; nobody else's socket hears it."""

from __future__ import annotations

import asyncio
import os
import re

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect

from server.realtime.hub import user_channel
from server.tables import User
from tests.conftest import Agency, Browser
from tests.factories import actor, add_card
from tests.live import LiveSession

pytestmark = pytest.mark.slow
NAMESPACE = os.environ["BOARDROOM_CHANNEL_NAMESPACE"]
WAIT = 10
COUNT = re.compile(r'data-count="(\d+)"')


async def personal_socket(base_url: str, persona: str) -> tuple[ClientConnection, LiveSession]:
    session = await LiveSession(base_url).login(persona)
    url = base_url.replace("http://", "ws://") + "/ws"
    socket = await connect(
        url, additional_headers={"Cookie": session.cookie_header}, origin=base_url, open_timeout=WAIT
    )  # type: ignore[arg-type]
    return socket, session


async def subscribed(redis: Redis, channel: str) -> None:
    """Wait until the live server listens on the channel (it subscribes just after the handshake)."""
    async with asyncio.timeout(WAIT):
        while True:
            if dict(await redis.pubsub_numsub(channel)).get(channel.encode()):
                return
            await asyncio.sleep(0.05)


async def next_bell(socket: ClientConnection) -> str:
    async with asyncio.timeout(WAIT):
        while True:
            message = str(await socket.recv())
            if 'id="bell"' in message:
                return message


async def test_max_s_bell_counts_up_live_when_ada_assigns_him(
    agency: Agency, ada: Browser, live_server: str, redis_url: str
) -> None:
    await User.update({User.locale: "vi"}).where(User.id == agency.max)
    redis = Redis.from_url(redis_url)
    socket, session = await personal_socket(live_server, "max")
    mia_socket, mia_session = await personal_socket(live_server, "mia")
    try:
        await subscribed(redis, user_channel(NAMESPACE, agency.max))
        for number, title in enumerate(("Hero copy", "Footer links"), start=1):
            task_id = await add_card(agency.acme_project, title, by=actor(agency, "ada"))
            await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
            bell = await next_bell(socket)
            assert 'hx-swap-oob="true"' in bell
            assert COUNT.search(bell) and COUNT.search(bell).group(1) == str(number)  # type: ignore[union-attr]
        assert "thông báo" in bell.lower()  # drawn in max's language, not ada's
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(1):
                await mia_socket.recv()
    finally:
        await socket.close()
        await mia_socket.close()
        await session.aclose()
        await mia_session.aclose()
        await redis.aclose()
