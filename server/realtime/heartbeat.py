"""Heartbeats: every `HEARTBEAT_SECONDS`, each board open in this process gets one message drawn by
the feature that owns the board (its current sequence number, and whether realtime is up), drawn
once per board however many sockets show it, and handed to each of them. A browser that silently
missed an event sees that the board is past what it applied and asks for the rest.

The same beat goes out at once when the subscriber drops (pages fall back to polling) and when it
is back (every open board catches up on what Redis could not carry meanwhile). Each beat also
refreshes this process's presence entries, which expire unless refreshed, and tells a board's
viewers who is looking when that changed (someone's process died, or Redis came back empty)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

from server.kernel.config import RealtimeTimings
from server.realtime.presence import Presence
from server.realtime.pubsub import PubSub, Subscription

log = logging.getLogger("boardroom.realtime")

HEARTBEAT_SECONDS = RealtimeTimings.heartbeat  # the default; BOARDROOM_HEARTBEAT_SECONDS sets it


@dataclass(frozen=True)
class Pulse:
    """What one board's sockets get on every beat, supplied by the feature that owns the board."""

    project_id: int
    # The beat's message, given whether realtime is up (drawn once per board per beat).
    draw: Callable[[bool], Awaitable[str]]
    # Tell the board's viewers who is looking, after presence changed without anyone joining or leaving.
    presence_changed: Callable[[], Awaitable[None]]


class Heartbeat:
    def __init__(self, pubsub: PubSub, presence: Presence, seconds: float = HEARTBEAT_SECONDS) -> None:
        self.pubsub = pubsub
        self.presence = presence
        self.seconds = seconds
        self._boards: dict[int, tuple[Pulse, set[Subscription]]] = {}
        self._task: asyncio.Task[None] | None = None
        self._beating = asyncio.Lock()

    @asynccontextmanager
    async def watching(self, pulse: Pulse, subscription: Subscription) -> AsyncIterator[None]:
        """The subscription gets this board's beats while inside; one that opens while realtime is
        down is told so at once (its page polls instead)."""
        _, sockets = self._boards.setdefault(pulse.project_id, (pulse, set()))
        sockets.add(subscription)
        try:
            if not self.pubsub.up:
                subscription.deliver(await pulse.draw(False))
            yield
        finally:
            sockets.discard(subscription)
            if not sockets:
                self._boards.pop(pulse.project_id, None)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.seconds)
            try:
                await self.beat()
            except Exception:  # one bad beat must not stop the next
                log.exception("realtime: heartbeat failed")

    async def farewell(self) -> None:
        """One last beat for every board open here, without refreshing presence: each socket's last
        message before the server closes it carries its board's current sequence number."""
        up = self.pubsub.up
        for project_id, (pulse, sockets) in list(self._boards.items()):
            try:
                message = await pulse.draw(up)
            except Exception:
                log.exception("realtime: the farewell beat of board %s failed", project_id)
                continue
            for subscription in tuple(sockets):
                subscription.deliver(message)

    async def on_change(self, up: bool) -> None:
        """The subscriber connected or dropped: beat now rather than at the next tick."""
        await self.beat()

    async def beat(self) -> None:
        async with self._beating:  # a reconnect's beat and the tick's do not interleave
            changed = await self.presence.refresh()
            up = self.pubsub.up
            for project_id, (pulse, sockets) in list(self._boards.items()):
                try:
                    message = await pulse.draw(up)
                    for subscription in tuple(sockets):
                        subscription.deliver(message)
                    if project_id in changed:
                        await pulse.presence_changed()
                except Exception:
                    log.exception("realtime: the heartbeat of board %s failed", project_id)
