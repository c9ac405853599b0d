"""A live server, people signed in to it over HTTP, and their board websockets."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.live import LiveSession, live_server  # noqa: F401  (the fixture, re-exported)

WAIT = 10  # seconds; generous because the machine is shared
SEQ = re.compile(r'id="board-seq" data-seq="(\d+)"')


def ws_url(base_url: str, project_id: int) -> str:
    return base_url.replace("http://", "ws://") + f"/projects/{project_id}/ws"


async def next_event(socket: ClientConnection) -> tuple[int, str]:
    """The next numbered board event (sequence number, HTML), skipping presence news."""
    async with asyncio.timeout(WAIT):
        while True:
            message = str(await socket.recv())
            if match := SEQ.search(message):
                return int(match.group(1)), message


async def next_presence(socket: ClientConnection, until: Callable[[str], bool] = lambda _: True) -> str:
    """The next presence fragment for which `until` holds, skipping other news."""
    async with asyncio.timeout(WAIT):
        while True:
            message = str(await socket.recv())
            if 'id="presence"' in message and until(message):
                return message


async def catch_up(socket: ClientConnection, after: int) -> tuple[int, str]:
    """Say which event this socket applied last, as the browser does, and take the answer."""
    await socket.send(json.dumps({"after": after}))
    return await next_event(socket)


Sessions = Callable[[str], Awaitable[LiveSession]]
BoardSocket = Callable[..., AbstractAsyncContextManager[ClientConnection]]


@pytest.fixture
async def session_of(live_server: str) -> AsyncIterator[Sessions]:  # noqa: F811
    """`await session_of("max")`: max signed in to the live server over HTTP."""
    opened: list[LiveSession] = []

    async def signed_in(persona: str, base_url: str = live_server) -> LiveSession:
        session = await LiveSession(base_url).login(persona)
        opened.append(session)
        return session

    yield signed_in
    for session in opened:
        await session.aclose()


@pytest.fixture
def board_socket(live_server: str) -> BoardSocket:  # noqa: F811
    """`async with board_socket(session, project_id) as ws`: the board websocket as that person's
    browser opens it (session cookie, same Origin), ready: it has answered a catch-up (the whole
    board), which it does only once subscribed. `ready=False` for sockets the server is expected to refuse."""

    @asynccontextmanager
    async def opened(
        session: LiveSession | None,
        project_id: int,
        *,
        base_url: str | None = None,
        origin: str | None = None,
        ready: bool = True,
    ) -> AsyncIterator[ClientConnection]:
        base = base_url or (session.base_url if session else live_server)
        headers = {"Cookie": session.cookie_header} if session else {}
        async with connect(
            ws_url(base, project_id),
            additional_headers=headers,
            origin=origin or base,  # type: ignore[arg-type]
            open_timeout=WAIT,
            close_timeout=WAIT,
        ) as socket:
            if ready:  # its subscription is live once it answers: it answers only after subscribing
                await catch_up(socket, -1)
            yield socket

    return opened
