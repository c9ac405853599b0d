"""The hub carries bytes between web processes and browsers: the channels (a board's, one per
audience and language; a person's; a client company's), publishing on them, who has a board open
(presence, kept in Redis across every web process), the heartbeats, how many are listening, and the
guards that re-check an open socket's access when it is revoked (guard.py). It renders nothing and
knows no feature: what it publishes was drawn by the feature that sent it.

Nothing here raises into a request when Redis is away: publishing is queued and dropped on failure
(browsers catch up from the sequence number), presence answers "nobody" and writes itself back."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, Protocol

from litestar.connection import ASGIConnection

from server.kernel.config import RealtimeTimings
from server.kernel.revocations import Revocations
from server.realtime.guard import Check, Checks, Guard
from server.realtime.heartbeat import Heartbeat
from server.realtime.presence import Presence
from server.realtime.pubsub import REDIS_ERRORS, RESTARTING, PubSub

log = logging.getLogger("boardroom.realtime")

AGENCY, CLIENT = "agency", "client"
AUDIENCES = (AGENCY, CLIENT)
COALESCE_SECONDS = 0.25  # news of one kind (presence) sent at most this often per board and process
# Who a board's HTML is drawn for: an audience (the agency, the client's people) in one language.
Pair = tuple[str, str]


class BoardEvent(Protocol):
    """A numbered change to one board, drawn by the feature that made it (boards' `Change`)."""

    project_id: int

    async def draw(self, pairs: Sequence[Pair]) -> dict[Pair, str]:
        """The event's HTML for each (audience, language) that may see it."""
        ...

    async def personal_news(self) -> dict[int, str]:
        """What the event tells certain people on their own channel, whatever page they have open
        (My work's nudge to the people whose cards it touched), by user id."""
        ...


def user_channel(namespace: str, user_id: int) -> str:
    """One person's news on every page they have open: job progress, notices. The worker publishes
    here too, straight to Redis (`redis.publish(channel, html)`): the pub/sub backend adds no prefix."""
    return f"{namespace}user:{user_id}"


def client_channel(namespace: str, client_id: int) -> str:
    """News for every user of one client company: plans submitted for their review."""
    return f"{namespace}client:{client_id}"


class BoardHub:
    def __init__(
        self,
        pubsub: PubSub,
        namespace: str = "",
        locales: Sequence[str] = ("en",),
        *,
        timings: RealtimeTimings | None = None,
    ) -> None:
        self.pubsub = pubsub
        self.locales = tuple(locales)
        self.redis: Any = pubsub.redis  # redis-py's async methods are typed as sync-or-async
        # Redis pub/sub channels are global to a server: the namespace keeps two deployments
        # (or two test runs) sharing one Redis apart.
        self.namespace = namespace
        self.timings = timings = timings or RealtimeTimings()
        self.presence = Presence(pubsub.redis, namespace, ttl=timings.presence_ttl)
        self.heartbeat = Heartbeat(pubsub, self.presence, timings.heartbeat)
        pubsub.on_change = self.heartbeat.on_change
        # Revoked access: signalled through this pub/sub (create_app hands it to the kernel's
        # `revoke`), heard by each socket's guard, answered once per session and board (`checks`).
        self.revocations = Revocations(pubsub, namespace)
        self.checks = Checks()
        self._soon: dict[Hashable, asyncio.Task[None]] = {}  # jobs waiting (`soon`), by key
        self.draining = False  # the process is stopping: no new sockets (see `drain`)

    async def start(self) -> None:
        await self.pubsub.start()
        self.heartbeat.start()

    async def stop(self) -> None:
        """Within a few seconds, whether or not Redis is there."""
        for task in list(self._soon.values()):
            task.cancel()
        await self.heartbeat.stop()
        await self.pubsub.stop()

    async def drain(self, seconds: float) -> None:
        """The process is stopping (SIGTERM, server/app.py): each open board gets its current sequence
        number in a last heartbeat, then every socket is closed with 1012 so that its browser
        reconnects (to another process) and catches up from that number; new sockets are turned
        away the same way. Waits at most `seconds` for the sockets to go."""
        self.draining = True
        log.info("realtime: draining %d sockets before stopping", self.pubsub.listening)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self.heartbeat.farewell()
                self.pubsub.finish_all(RESTARTING)
                while self.pubsub.listening:  # noqa: ASYNC110  (a poll for at most `seconds`)
                    await asyncio.sleep(0.05)

    @property
    def up(self) -> bool:
        """Whether board events flow between processes right now (/health's `realtime`)."""
        return self.pubsub.up

    def board_channel(self, project_id: int, audience: str, locale: str) -> str:
        """One board's events as one audience sees them in one language: each is drawn once per
        (audience, language) someone is watching in, and every socket of that pair shares it."""
        return f"{self.namespace}board:{project_id}:{audience}:{locale}"

    def board_channels(self, project_id: int, audiences: Sequence[str] = AUDIENCES) -> list[str]:
        return [self.board_channel(project_id, a, locale) for a in audiences for locale in self.locales]

    def user_channel(self, user_id: int) -> str:
        return user_channel(self.namespace, user_id)

    def client_channel(self, client_id: int) -> str:
        return client_channel(self.namespace, client_id)

    def guard(self, key: Hashable, check: Check, *, users: Sequence[int] = (), boards: Sequence[int] = ()) -> Guard:
        """A socket's access guard: `check` runs again when these people's or boards' access is
        revoked (kernel.revocations), before a catch-up, and every ~`access_recheck` seconds; sockets with the same
        `key` (one session on one board) share its answers."""
        signals = [self.revocations.user_channel(u) for u in users]
        signals += [self.revocations.board_channel(b) for b in boards]
        return Guard(self.checks, key, check, signals, every=self.timings.access_recheck)

    def to_user(self, user_id: int, html: str) -> None:
        self.pubsub.publish(html, self.user_channel(user_id))

    def to_client(self, client_id: int, html: str) -> None:
        self.pubsub.publish(html, self.client_channel(client_id))

    def to_board(self, project_id: int, html: str, *, audiences: Sequence[str] = AUDIENCES) -> None:
        """Unnumbered news for a board's viewers (presence, sprint review states): not a board event,
        so it takes no sequence number and a browser that misses it sees it on its next page load."""
        self.pubsub.publish(html, self.board_channels(project_id, audiences))

    async def listeners(self, project_id: int) -> list[Pair]:
        """The (audience, language) pairs someone watches this board in, across every web process.
        Redis counts each channel's subscribers itself, so the answer cannot drift the way a counter
        we kept would; a process subscribes before its viewer joins."""
        pairs = {self.board_channel(project_id, a, locale): (a, locale) for a in AUDIENCES for locale in self.locales}
        try:
            counts = await self.redis.pubsub_numsub(*pairs)
        except REDIS_ERRORS as error:
            log.debug("realtime: listeners unknown: %s", error)
            return []
        return [pairs[_text(name)] for name, count in counts if count and _text(name) in pairs]

    async def announce(self, event: BoardEvent) -> None:
        """Publish a board event to its open browsers, drawn once per (audience, language) watching; one
        who opens the board later, or while realtime is down, catches up from the sequence number.
        Never raises for Redis: the change it announces has committed."""
        if not self.pubsub.connected:
            return  # nobody would hear it; the heartbeat after reconnecting makes every board catch up
        pairs = await self.listeners(event.project_id)
        for (audience, locale), html in (await event.draw(pairs)).items():
            self.pubsub.publish(html, self.board_channel(event.project_id, audience, locale))
        for user_id, html in (await event.personal_news()).items():
            self.to_user(user_id, html)

    # Presence: who has the board open, across every web process (entries expire unless refreshed).
    async def joined(self, project_id: int, user_id: int) -> bool:
        """True when the board's viewers changed (this person's first socket on it here)."""
        return await self.presence.joined(project_id, user_id)

    async def left(self, project_id: int, user_id: int) -> bool:
        """True when the board's viewers changed (this person's last socket on it here)."""
        return await self.presence.left(project_id, user_id)

    def soon(self, key: Hashable, job: Callable[[], Awaitable[None]], delay: float = COALESCE_SECONDS) -> None:
        """Run `job` in `delay` seconds unless a job with this key is already waiting: a burst of
        the same news (a hundred viewers opening a board at nine) goes out once."""
        if key in self._soon:
            return

        async def later() -> None:
            try:
                await asyncio.sleep(delay)
            finally:
                self._soon.pop(key, None)
            await job()

        self._soon[key] = task = asyncio.get_running_loop().create_task(later())
        task.add_done_callback(_log_failure)

    async def viewer_ids(self, project_id: int) -> list[int]:
        """The ids of the people who have the board open now."""
        return await self.presence.viewer_ids(project_id)


def _text(name: bytes | str) -> str:
    return name.decode() if isinstance(name, bytes) else name


def hub_of(connection: ASGIConnection[Any, Any, Any, Any]) -> BoardHub:
    """The process's hub (made once in create_app)."""
    hub: BoardHub = connection.app.state.hub
    return hub


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.warning("realtime: a deferred job failed: %r", error)
