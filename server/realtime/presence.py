"""Who has a board open, across every web process, in Redis: one sorted set per board whose members
are (person, process) and whose scores are when the entry expires. A process refreshes its own
entries on every heartbeat; the entries of a process that died (kill -9, a lost machine) are simply
not refreshed, so they stop counting after `TTL_SECONDS` and are swept by the next process that
looks. A Redis that is down or restarted empty costs presence, never a request: the calls log and
carry on, and the next refresh writes this process's viewers back."""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from typing import Any

from server.kernel.config import RealtimeTimings
from server.realtime.pubsub import REDIS_ERRORS

log = logging.getLogger("boardroom.realtime")

# An entry not refreshed for this long no longer counts (two missed heartbeats); the default.
TTL_SECONDS = RealtimeTimings.presence_ttl


class Presence:
    def __init__(self, redis: Any, namespace: str = "", ttl: float = TTL_SECONDS) -> None:
        self.redis = redis
        self.namespace = namespace
        self.ttl = ttl
        self.process = uuid.uuid4().hex[:12]  # this process's mark on its entries
        self._here: dict[int, Counter[int]] = {}  # board -> person -> sockets open in this process

    def key(self, project_id: int) -> str:
        return f"boardroom:{self.namespace}presence:{project_id}"

    def _member(self, user_id: int) -> str:
        return f"{user_id}:{self.process}"

    @property
    def boards(self) -> list[int]:
        """The boards someone has open in this process."""
        return list(self._here)

    async def joined(self, project_id: int, user_id: int) -> bool:
        """Count one more socket of this person on this board; True when it is their first here
        (another tab, or a reconnect while the old socket lingers, changes nobody's view)."""
        here = self._here.setdefault(project_id, Counter())
        here[user_id] += 1
        if here[user_id] > 1:
            return False
        await self._write(project_id, {self._member(user_id): time.time() + self.ttl})
        return True

    async def left(self, project_id: int, user_id: int) -> bool:
        """Count one socket fewer; True when it was their last one here."""
        here = self._here.get(project_id)
        if here is None or here[user_id] <= 0:
            return False
        here[user_id] -= 1
        if here[user_id] > 0:
            return False
        del here[user_id]
        if not here:
            del self._here[project_id]
        try:
            await self.redis.zrem(self.key(project_id), self._member(user_id))
        except REDIS_ERRORS as error:
            log.debug("realtime: presence not updated (it expires by itself): %s", error)
        return True

    async def viewer_ids(self, project_id: int) -> list[int]:
        """The people with the board open now, by id; entries past their expiry do not count."""
        try:
            members = await self.redis.zrangebyscore(self.key(project_id), time.time(), "+inf")
        except REDIS_ERRORS as error:
            log.debug("realtime: presence unknown: %s", error)
            return []
        return sorted({int(_text(member).split(":", 1)[0]) for member in members})

    async def refresh(self) -> set[int]:
        """Push this process's entries' expiry forward and sweep expired ones, on every board open
        here; the boards whose viewers changed (someone expired, or Redis had lost our entries)."""
        boards = list(self._here.items())
        if not boards:
            return set()
        now = time.time()
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for project_id, people in boards:
                    key = self.key(project_id)
                    pipe.zremrangebyscore(key, "-inf", now)
                    pipe.zadd(key, {self._member(user_id): now + self.ttl for user_id in people})
                    pipe.expire(key, int(self.ttl) + 1)
                results = await pipe.execute()
        except REDIS_ERRORS as error:
            log.debug("realtime: presence not refreshed: %s", error)
            return set()
        swept, added = results[0::3], results[1::3]
        return {project_id for (project_id, _), gone, new in zip(boards, swept, added, strict=True) if gone or new}

    async def _write(self, project_id: int, entries: dict[str, float]) -> None:
        key = self.key(project_id)
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.zadd(key, entries)
                pipe.expire(key, int(self.ttl) + 1)
                await pipe.execute()
        except REDIS_ERRORS as error:
            log.debug("realtime: presence not written (the next heartbeat writes it): %s", error)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
