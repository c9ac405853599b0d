"""The budgets overview's websocket (/budgets/ws) on a live server: an admin's open overview hears
which budgeted project's hours just changed when someone logs time; nobody else may open it, and an
admin who stops being one is cut off at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from server.kernel.revocations import RECHECK
from server.kernel.revocations import user_channel as revocation_channel
from server.tables import User
from server.time.jobs import hours_changed, hours_channel
from tests.budgets.alerts_support import set_budget
from tests.conftest import Agency
from tests.factories import add_card, today
from tests.live import LiveSession, live_server
from tests.realtime.conftest import WAIT, Sessions, session_of
from tests.realtime.test_personal_socket import NAMESPACE, received

__all__ = ["live_server", "session_of"]
pytestmark = pytest.mark.slow
READY = hours_changed(0)  # no project has id 0: what the test publishes until the socket hears it


def budgets_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://") + "/budgets/ws"


async def open_socket(base_url: str, session: LiveSession | None) -> ClientConnection:
    headers = {"Cookie": session.cookie_header} if session else {}
    return await connect(budgets_url(base_url), additional_headers=headers, origin=base_url, open_timeout=WAIT)  # type: ignore[arg-type]


@asynccontextmanager
async def overview_socket(base_url: str, session: LiveSession, redis: Redis) -> AsyncIterator[ClientConnection]:
    """The overview's socket once its subscription is live."""
    socket = await open_socket(base_url, session)
    try:
        assert await received(socket, redis, hours_channel(NAMESPACE), READY)
        yield socket
    finally:
        await socket.close()


async def next_news(socket: ClientConnection) -> str:
    """The next message that is not the test's own readiness probe."""
    async with asyncio.timeout(WAIT):
        while True:
            message = str(await socket.recv())
            if message != READY:
                return message


async def closed_with(socket: ClientConnection) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(WAIT):
            while True:
                await socket.recv()
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


async def test_ada_s_overview_hears_when_max_logs_time_on_a_budgeted_project(
    agency: Agency, live_server: str, session_of: Sessions, redis_url: str
) -> None:
    await set_budget(agency.acme_project, budget_hours=40)
    acme, globex = await add_card(agency.acme_project, "Hero"), await add_card(agency.globex_project, "App")
    ada, max_, mia = await session_of("ada"), await session_of("max"), await session_of("mia")
    redis = Redis.from_url(redis_url)
    yesterday = (today() - timedelta(days=1)).isoformat()
    try:
        async with overview_socket(live_server, ada, redis) as socket:
            # Globex has no budget, hence no line: its time says nothing to the overview.
            logged = await mia.post(f"/tasks/{globex}/time", {"date": yesterday, "duration": "1h"})
            assert logged.status_code in (200, 303), logged.text
            logged = await max_.post(f"/tasks/{acme}/time", {"date": yesterday, "duration": "2h"})
            assert logged.status_code in (200, 303), logged.text

            assert await next_news(socket) == hours_changed(agency.acme_project)
    finally:
        await redis.aclose()


@pytest.mark.parametrize("persona", ["max", "mia", "cleo", "cole"])
async def test_nobody_but_admins_may_open_it(
    agency: Agency, live_server: str, session_of: Sessions, persona: str
) -> None:
    socket = await open_socket(live_server, await session_of(persona))
    assert await closed_with(socket) == 4404


async def test_a_visitor_who_is_not_signed_in_is_refused(agency: Agency, live_server: str) -> None:
    assert await closed_with(await open_socket(live_server, None)) == 4403


async def test_an_admin_made_a_member_is_cut_off_at_once(
    agency: Agency, live_server: str, session_of: Sessions, redis_url: str
) -> None:
    await User.update({User.role: "admin"}).where(User.id == agency.mia)
    mia = await session_of("mia")
    redis = Redis.from_url(redis_url)
    try:
        async with overview_socket(live_server, mia, redis) as socket:
            await User.update({User.role: "member"}).where(User.id == agency.mia)
            await redis.publish(revocation_channel(NAMESPACE, agency.mia), RECHECK)  # what the users page sends
            await redis.publish(hours_channel(NAMESPACE), hours_changed(agency.acme_project))
            with pytest.raises(ConnectionClosed) as closed:
                async with asyncio.timeout(WAIT):
                    while True:
                        assert str(await socket.recv()) in (READY,)  # nothing after the change goes out
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404
    finally:
        await redis.aclose()
