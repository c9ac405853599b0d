"""Graceful stop of a web process: on SIGTERM its open sockets are drained (BoardHub.drain: each board's
last heartbeat with its sequence number, then 1012, so browsers reconnect to another process and
catch up) before the server's own shutdown begins.

uvicorn closes every websocket with 1012 the moment it handles SIGTERM, with no word from the app; so
while the app runs, its SIGTERM handler is ours: it drains (at most DRAIN_SECONDS), then hands the
signal to the handler it replaced (uvicorn's), which stops accepting, finishes requests and runs the
lifespan's shutdown. A second SIGTERM while draining is handed over at once. Installed only where a
server handles SIGTERM already (uvicorn, in the main thread); in-process tests are left alone."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

from server.realtime.hub import BoardHub

log = logging.getLogger("boardroom.realtime")

# Well inside a platform's stop timeout (Docker 10 s by default, Heroku and Kubernetes 30 s), leaving
# the rest to uvicorn's --timeout-graceful-shutdown for requests still running.
DRAIN_SECONDS = 3.0

Handler = Callable[[int, FrameType | None], Any]


@asynccontextmanager
async def drained_on_sigterm(hub: BoardHub, seconds: float = DRAIN_SECONDS) -> AsyncIterator[None]:
    previous = signal.getsignal(signal.SIGTERM)
    if not callable(previous):
        yield  # no server handles SIGTERM here: nothing to put ourselves in front of
        return
    server_handler: Handler = previous
    loop = asyncio.get_running_loop()
    draining: list[None] = []  # SIGTERM seen
    tasks: set[asyncio.Task[None]] = set()

    async def drain_then_stop(signum: int, frame: FrameType | None) -> None:
        try:
            await hub.drain(seconds)
        except Exception:  # draining is a courtesy: the stop itself must happen
            log.exception("realtime: draining failed")
        server_handler(signum, frame)

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        if draining:
            server_handler(signum, frame)  # asked twice: stop now
            return
        draining.append(None)
        # From a signal handler: scheduled thread-safely, which also wakes a loop waiting on I/O.
        loop.call_soon_threadsafe(lambda: tasks.add(loop.create_task(drain_then_stop(signum, frame))))

    try:
        signal.signal(signal.SIGTERM, on_sigterm)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGTERM) is on_sigterm:
            signal.signal(signal.SIGTERM, server_handler)
