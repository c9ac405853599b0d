"""Redis pub/sub for one web process, on redis-py's asyncio client. Ours rather than Litestar's
channels plugin, whose tasks die on the first Redis error and whose shutdown then waits forever.

- Publishing goes through one connection, fed by an in-memory outbox, so it never raises into the
  request that publishes (the write it announces has already committed; a browser that misses the
  message catches up from the board's sequence number) and never waits on Redis. A failed publish
  is logged and reported as realtime being down until one succeeds again.
- Subscribing goes through one connection per process, kept by a supervising task: when it drops
  (Redis restarts, the network blips) the task reconnects with backoff, subscribes again to every
  channel that has listeners here and tells `on_change`, so sockets can catch up on what they missed.
- Each channel is subscribed once per process, however many listeners it has here; a message is
  handed to each listener's own bounded queue. A listener that falls `QUEUE_LIMIT` messages behind
  is ended with `CATCH_UP` (its queue emptied at once) instead of holding memory without bound.
- Channel names are Redis's own, with no prefix: the worker publishes with a plain `redis.publish`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("boardroom.realtime")

REDIS_ERRORS = (RedisError, OSError)
QUEUE_LIMIT = 256  # messages a listener may have waiting before it is told to catch up instead
OUTBOX_LIMIT = 10_000  # messages waiting to be published; past it new ones are dropped (and logged)
BATCH = 500  # messages published in one round trip
IDLE_PING_SECONDS = 5.0  # a quiet subscriber connection is pinged this often...
DEAD_AFTER_SECONDS = 15.0  # ...and given up as dead when it has not answered for this long
RETRY_SECONDS = (0.1, 5.0)  # reconnect backoff: first and longest wait
CONFIRM_SECONDS = 2.0  # at most, waiting for Redis to confirm a subscription
STOP_SECONDS = 2.0  # at most, flushing the outbox and closing connections at shutdown
CONNECT_SECONDS = 2.0


@dataclass(frozen=True)
class Ending:
    """Why a listener was ended, as the websocket close code and reason its socket is closed with."""

    code: int
    reason: str


# The listener fell too far behind: the browser reconnects at once and asks for what it missed
# since its last sequence number (board.js), instead of being buffered for without bound.
CATCH_UP = Ending(4408, "catch up")
# The web process is stopping (SIGTERM): the browser reconnects, to another process, and catches up
# from its last sequence number (htmx's ws extension reconnects after 1012 with a random backoff).
RESTARTING = Ending(1012, "server restarting: reconnect and catch up")


class Subscription:
    """One listener's messages (a websocket's): a bounded queue the process's subscriber fills.

    Messages on its `signals` channels are not queued: each one calls `on_signal` at once, in the
    order the subscriber reads them among the others (a socket's access guard: server/realtime/guard.py)."""

    def __init__(
        self,
        channels: Iterable[str],
        limit: int = QUEUE_LIMIT,
        *,
        signals: Iterable[str] = (),
        on_signal: Callable[[], None] | None = None,
    ) -> None:
        self.signals = frozenset(signals)
        self.channels = tuple(dict.fromkeys([*channels, *self.signals]))
        self.limit = limit
        self.on_signal = on_signal
        self.ending: Ending | None = None
        self._finished = False  # `finish` was called: its ending is queued
        self._queue: asyncio.Queue[str | Ending] = asyncio.Queue()

    def deliver(self, message: str, channel: str | None = None) -> None:
        """Queue a message; a listener already `limit` behind is ended with CATCH_UP instead."""
        if self.ending is not None or self._finished:
            return
        if channel is not None and channel in self.signals:
            if self.on_signal is not None:
                try:
                    self.on_signal()
                except Exception:  # a listener's bug must not stop the subscriber
                    log.exception("realtime: a signal's listener failed")
            return
        if self._queue.qsize() >= self.limit:
            self.end(CATCH_UP)
        else:
            self._queue.put_nowait(message)

    def end(self, ending: Ending) -> None:
        """Drop what is waiting and make `ending` the next (and last) thing `next()` returns."""
        if self.ending is not None:
            return
        self.ending = ending
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(ending)

    def finish(self, ending: Ending) -> None:
        """Make `ending` the last thing `next()` returns, after what is waiting (a farewell heartbeat);
        nothing delivered from now on is queued."""
        if self.ending is not None or self._finished:
            return
        self._finished = True
        self._queue.put_nowait(ending)

    async def next(self) -> str | Ending:
        return await self._queue.get()

    @property
    def waiting(self) -> int:
        return self._queue.qsize()


StateChange = Callable[[bool], Awaitable[None]]


class PubSub:
    def __init__(self, redis_url: str, *, queue_limit: int = QUEUE_LIMIT) -> None:
        # Our own client with timeouts: an unreachable Redis must fail a call, not hang it.
        self.redis: Any = Redis.from_url(
            redis_url, socket_connect_timeout=CONNECT_SECONDS, socket_timeout=CONNECT_SECONDS * 2
        )
        self.queue_limit = queue_limit
        self.connected = False  # the subscriber holds a live, subscribed connection
        self.publish_failed = False
        self.on_change: StateChange | None = None  # called with `up` after the subscriber connects or drops
        self._listeners: dict[str, set[Subscription]] = {}
        self._subscribed: set[str] = set()  # channels the current connection has asked for
        self._confirmations: dict[str, asyncio.Future[None]] = {}
        self._lock = asyncio.Lock()  # commands on the subscriber connection, and swapping it
        self._pubsub: Any = None
        self._outbox: asyncio.Queue[tuple[str, str]] = asyncio.Queue(OUTBOX_LIMIT)
        self._tasks: list[asyncio.Task[None]] = []
        self._notices: set[asyncio.Task[None]] = set()
        self._first_connect = asyncio.Event()
        self._dropped = 0

    @property
    def up(self) -> bool:
        """Whether messages flow: the subscriber is connected and the last publish went through."""
        return self.connected and not self.publish_failed

    # ---- lifecycle

    async def start(self, wait: float = CONFIRM_SECONDS) -> None:
        """Start publishing and subscribing; wait a moment for the first connection, so a process
        that starts beside a healthy Redis reports realtime up from its first request."""
        self._tasks = [asyncio.create_task(self._publishing()), asyncio.create_task(self._subscribing())]
        with suppress(TimeoutError):
            async with asyncio.timeout(wait):
                await self._first_connect.wait()

    async def stop(self) -> None:
        """Flush what is waiting to be published, for at most STOP_SECONDS, and close: shutdown never
        waits on a Redis that is gone."""
        with suppress(TimeoutError):
            async with asyncio.timeout(STOP_SECONDS):
                await self._outbox.join()
        tasks = [*self._tasks, *self._notices]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._drop_connection()
        with suppress(*REDIS_ERRORS, TimeoutError):
            async with asyncio.timeout(STOP_SECONDS):
                await self.redis.aclose()

    # ---- publishing

    def publish(self, message: str, channels: str | Iterable[str]) -> None:
        """Queue a message for one or several channels; returns at once and never raises."""
        for channel in [channels] if isinstance(channels, str) else channels:
            try:
                self._outbox.put_nowait((channel, message))
            except asyncio.QueueFull:
                self._dropped += 1
                if self._dropped == 1 or self._dropped % 1000 == 0:
                    log.warning("realtime: the outbox is full, %d messages dropped", self._dropped)

    async def _publishing(self) -> None:
        while True:
            try:
                # After a failure, an idle publisher checks on Redis itself: realtime is reported
                # up again without waiting for the next message to publish.
                async with asyncio.timeout(IDLE_PING_SECONDS if self.publish_failed else None):
                    batch = [await self._outbox.get()]
            except TimeoutError:
                with suppress(*REDIS_ERRORS):
                    await self.redis.ping()
                    self._publishing_works()
                continue
            while len(batch) < BATCH and not self._outbox.empty():
                batch.append(self._outbox.get_nowait())
            try:
                await self._send(batch)
            finally:
                for _ in batch:
                    self._outbox.task_done()

    async def _send(self, batch: list[tuple[str, str]]) -> None:
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for channel, message in batch:
                    pipe.publish(channel, message)
                await pipe.execute()
        except REDIS_ERRORS as error:
            if not self.publish_failed:
                log.warning("realtime: publishing failed, %d messages dropped: %s", len(batch), error)
            self.publish_failed = True
            return
        self._publishing_works()

    def _publishing_works(self) -> None:
        if self.publish_failed:
            log.warning("realtime: publishing works again")
            self.publish_failed = False

    # ---- listening

    @asynccontextmanager
    async def subscription(
        self, channels: Iterable[str], *, signals: Iterable[str] = (), on_signal: Callable[[], None] | None = None
    ) -> AsyncIterator[Subscription]:
        """A listener for these channels (and signal channels), subscribed (confirmed by Redis, when
        it is up) on entry."""
        subscription = Subscription(channels, self.queue_limit, signals=signals, on_signal=on_signal)
        try:
            await self._listen(subscription)
            yield subscription
        finally:
            await self._unlisten(subscription)

    async def _listen(self, subscription: Subscription) -> None:
        for channel in subscription.channels:
            self._listeners.setdefault(channel, set()).add(subscription)
        async with self._lock:
            fresh = [c for c in subscription.channels if c not in self._subscribed]
            if self.connected and fresh:
                loop = asyncio.get_running_loop()
                for channel in fresh:
                    self._confirmations.setdefault(channel, loop.create_future())
                try:
                    await self._pubsub.subscribe(*fresh)
                    self._subscribed.update(fresh)
                except REDIS_ERRORS as error:
                    # The supervisor sees the broken connection too, and subscribes again on reconnect.
                    log.info("realtime: subscribing failed: %s", error)
            waits = [self._confirmations[c] for c in subscription.channels if c in self._confirmations]
        if waits:
            await asyncio.wait([asyncio.shield(w) for w in waits], timeout=CONFIRM_SECONDS)

    async def _unlisten(self, subscription: Subscription) -> None:
        gone = []
        for channel in subscription.channels:
            listeners = self._listeners.get(channel, set())
            listeners.discard(subscription)
            if not listeners:
                self._listeners.pop(channel, None)
                gone.append(channel)
        if not gone:
            return
        with suppress(*REDIS_ERRORS, TimeoutError):
            async with asyncio.timeout(CONFIRM_SECONDS), self._lock:
                gone = [c for c in gone if c not in self._listeners and c in self._subscribed]
                if self.connected and gone:
                    self._subscribed.difference_update(gone)
                    await self._pubsub.unsubscribe(*gone)

    @property
    def listening(self) -> int:
        """How many listeners (open sockets) this process has."""
        return len({s for listeners in self._listeners.values() for s in listeners})

    def finish_all(self, ending: Ending) -> None:
        """End every listener with `ending` once it has sent what is waiting for it (shutdown)."""
        for subscription in {s for listeners in self._listeners.values() for s in listeners}:
            subscription.finish(ending)

    def _deliver(self, channel: str, message: str) -> None:
        for subscription in tuple(self._listeners.get(channel, ())):
            subscription.deliver(message, channel)

    # ---- the supervised subscriber connection

    async def _subscribing(self) -> None:
        delay = RETRY_SECONDS[0]
        while True:
            try:
                await self._connect()
                delay = RETRY_SECONDS[0]
                await self._pump()
            except REDIS_ERRORS as error:
                if self.connected or not self._first_connect.is_set():
                    log.warning("realtime: subscriber connection lost: %s", error)
            except Exception:  # a bug here must not end realtime for the life of the process
                log.exception("realtime: the subscriber failed")
            was_up = self.connected
            await self._drop_connection()
            self._first_connect.set()  # a first attempt was made: start() stops waiting
            if was_up:
                self._tell(False)
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(delay * 2, RETRY_SECONDS[1])

    async def _connect(self) -> None:
        pubsub = self.redis.pubsub()
        async with self._lock:
            self._pubsub = pubsub
            wanted = list(self._listeners)
            if wanted:
                await pubsub.subscribe(*wanted)
            else:
                await pubsub.ping()
            self._subscribed = set(wanted)
        # Wait for Redis to confirm every subscription before saying so: an event published after
        # this is certain to arrive, and what came before it is what the callers' catch-up covers.
        pending = set(wanted)
        async with asyncio.timeout(CONFIRM_SECONDS):
            while pending:
                message = await pubsub.get_message(timeout=CONFIRM_SECONDS)
                if message is not None:
                    self._dispatch(message)
                    if message["type"] == "subscribe":
                        pending.discard(_text(message["channel"]))
        async with self._lock:
            self.connected = True
            # Listeners came and went while confirmations were read, without touching this
            # connection: bring it in line with who listens now.
            missing = [c for c in self._listeners if c not in self._subscribed]
            if missing:
                await pubsub.subscribe(*missing)
                self._subscribed.update(missing)
            unheard = [c for c in self._subscribed if c not in self._listeners]
            if unheard:
                await pubsub.unsubscribe(*unheard)
                self._subscribed.difference_update(unheard)
        first = not self._first_connect.is_set()
        self._first_connect.set()
        if not first:
            log.warning("realtime: subscriber reconnected, %d channels", len(self._subscribed))
        self._tell(True)

    async def _pump(self) -> None:
        loop = asyncio.get_running_loop()
        heard = loop.time()
        pinged = heard
        while True:
            message = await self._pubsub.get_message(timeout=IDLE_PING_SECONDS)
            now = loop.time()
            if message is not None:
                heard = now
                self._dispatch(message)
                continue
            if now - heard > DEAD_AFTER_SECONDS:
                raise ConnectionError(f"no answer from Redis for {DEAD_AFTER_SECONDS:.0f} s")
            if now - pinged >= IDLE_PING_SECONDS:
                pinged = now
                async with self._lock:
                    await self._pubsub.ping()

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "message":
            self._deliver(_text(message["channel"]), _text(message["data"]))
        elif kind == "subscribe":
            future = self._confirmations.pop(_text(message["channel"]), None)
            if future is not None and not future.done():
                future.set_result(None)

    async def _drop_connection(self) -> None:
        async with self._lock:
            pubsub, self._pubsub = self._pubsub, None
            self.connected = False
            self._subscribed = set()
            for future in self._confirmations.values():
                future.cancel()
            self._confirmations = {}
        if pubsub is not None:
            with suppress(*REDIS_ERRORS, TimeoutError):
                async with asyncio.timeout(STOP_SECONDS):
                    await pubsub.aclose()

    def _tell(self, up: bool) -> None:
        """Tell `on_change` in a task of its own: the subscriber goes on reading meanwhile."""
        if self.on_change is not None:
            task = asyncio.create_task(self._telling(self.on_change, up))
            self._notices.add(task)
            task.add_done_callback(self._notices.discard)

    @staticmethod
    async def _telling(on_change: StateChange, up: bool) -> None:
        try:
            await on_change(up)
        except Exception:  # a listener's failure must not stop the subscriber
            log.exception("realtime: telling listeners that realtime is %s failed", "up" if up else "down")


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
