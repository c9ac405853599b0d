"""Re-checking an open socket's access, so that revoked access closes it.

A socket's access is checked when it opens (`transport.signed_in`, then the route's loader), and
again, by the check its route supplies:
- at once when a revocation signal arrives on one of its control channels (`kernel.revocations`:
  its person's, its board's). Messages that reach the socket after the signal wait until that
  re-check is done, so nothing published after a revocation goes to a socket that lost access;
- before the route answers a catch-up (`allowed`): a socket that lost access gets nothing;
- every ~RECHECK_SECONDS, which makes good a signal lost while Redis was away.
A socket that fails its re-check is closed with the ending the check gave (SIGNED_OUT, NO_ACCESS),
which the page turns into a message, without reconnecting or polling.

Sockets that ask the same question (one session on one board: a person's tabs, or a bench's
thousand sockets on three cookies) share one answer, provided it was started after whatever made
them ask (`Checks`): a revocation costs each web process one check per session on the board.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Coroutine, Hashable, Sequence
from contextlib import suppress
from typing import Any

from server.kernel.config import RealtimeTimings
from server.realtime.pubsub import Ending, Subscription

log = logging.getLogger("boardroom.realtime")

# Close codes (board.js and docs/deploy.md explain them): final, the page says why and stops.
SIGNED_OUT = Ending(4401, "signed out")  # the session ended: signed out, a new password, deactivated
NO_ACCESS = Ending(4404, "no access to this board")  # removed from the team, unshared, archived
# What the socket may carry changed, though it may still be open (a role change): reconnect.
CHANGED = Ending(1012, "access changed")

RECHECK_SECONDS = RealtimeTimings.access_recheck  # the default; BOARDROOM_ACCESS_RECHECK_SECONDS sets it
SPREAD = (0.75, 1.25)  # periodic re-checks are spread over this share of the period
SHARE_SECONDS = 5.0  # a periodic re-check may take an answer started this long ago
RETRY_SECONDS = 1.0  # after a check that failed (the database away), try again this soon
PRUNE_SECONDS = 60.0

# A socket's access, asked again: None while it holds, else how to close the socket.
Check = Callable[[], Coroutine[Any, Any, Ending | None]]


class Checks:
    """One process's answers to access checks, shared by the sockets that ask the same question."""

    def __init__(self) -> None:
        self._answers: dict[Hashable, tuple[float, asyncio.Task[Ending | None]]] = {}
        self._pruned = time.monotonic()

    async def answer(self, key: Hashable, check: Check, since: float) -> Ending | None:
        """The answer to `key`'s question from a check started at `since` or later: one already
        under way (or just done) if there is one, else a new one."""
        found = self._answers.get(key)
        if found is None or found[0] < since:
            now = time.monotonic()
            task = asyncio.create_task(check())
            task.add_done_callback(lambda done: self._forget_failure(key, done))
            found = self._answers[key] = (now, task)
            self._prune(now)
        # Shielded: a socket that goes away while waiting does not cancel the others' answer.
        return await asyncio.shield(found[1])

    def _forget_failure(self, key: Hashable, task: asyncio.Task[Ending | None]) -> None:
        failed = task.cancelled() or task.exception() is not None  # (also marks the error as seen)
        if failed and self._answers.get(key, (0.0, None))[1] is task:
            del self._answers[key]

    def _prune(self, now: float) -> None:
        if now - self._pruned < PRUNE_SECONDS:
            return
        self._pruned = now
        old = [k for k, (started, task) in self._answers.items() if task.done() and started < now - PRUNE_SECONDS]
        for key in old:
            del self._answers[key]


class Guard:
    """One socket's access, re-checked while it is open (see the module's docstring)."""

    def __init__(
        self, checks: Checks, key: Hashable, check: Check, signals: Sequence[str], every: float = RECHECK_SECONDS
    ) -> None:
        self.checks = checks
        self.key = key  # sockets with the same key get the same answer from `check`
        self.check = check
        self.signals = tuple(signals)  # the control channels that make it re-check at once
        self.every = every
        self._subscription: Subscription | None = None
        self._clear = asyncio.Event()  # set while no signal awaits its re-check
        self._clear.set()
        self._signalled = asyncio.Event()
        self._signalled_at = 0.0

    def bind(self, subscription: Subscription) -> None:
        """The socket's subscription: ended with the check's ending when access is gone."""
        self._subscription = subscription

    def signal(self) -> None:
        """A revocation signal arrived (called by the subscriber, in order among the messages)."""
        self._signalled_at = time.monotonic()
        self._clear.clear()
        self._signalled.set()

    async def cleared(self) -> None:
        """Returns once no signal awaits its re-check: a message that came after a signal waits here."""
        await self._clear.wait()

    async def allowed(self, since: float | None = None) -> bool:
        """Whether the socket still has its access, by a check started now (or after `since`);
        when not, its subscription is ended with the check's ending, which closes the socket."""
        ending = await self.checks.answer(self.key, self.check, time.monotonic() if since is None else since)
        if ending is None:
            return True
        if self._subscription is not None:
            self._subscription.end(ending)
        return False

    async def watch(self) -> None:
        """Re-check on every signal and every ~`every` seconds, until access is gone (runs beside the
        socket's forwarding, cancelled with it)."""
        wait = self.every * random.uniform(*SPREAD)
        owed: float | None = None  # a re-check that failed is owed an answer started after this
        while True:
            with suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._signalled.wait()
            if self._signalled.is_set():
                since = self._signalled_at
            else:
                since = owed if owed is not None else time.monotonic() - SHARE_SECONDS
            self._signalled.clear()
            wait, owed = self.every * random.uniform(*SPREAD), None
            try:
                still = await self.allowed(since)
            except Exception as error:  # the database is away: try again soon, keep the socket meanwhile
                log.warning("realtime: re-checking a socket's access failed: %s", error)
                still, wait, owed = True, RETRY_SECONDS, since
            if not still:
                self._clear.set()  # what waited finds the subscription ended
                return
            if not self._signalled.is_set():  # another signal came meanwhile: its re-check goes next
                self._clear.set()
