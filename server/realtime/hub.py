"""The hub carries bytes between web processes and browsers: the channels (a board's, one per
audience; a person's; a client company's), publishing on them, who has a board open (presence, kept
in Redis across every web process) and how many of a client's people are listening. It renders
nothing and knows no feature: what it publishes was drawn by the feature that sent it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from litestar.channels import ChannelsPlugin
from litestar.connection import ASGIConnection
from redis.asyncio import Redis

AGENCY, CLIENT = "agency", "client"


class BoardEvent(Protocol):
    """A numbered change to one board, drawn by the feature that made it (boards' `Change`)."""

    project_id: int

    async def draw(self, audiences: Sequence[str]) -> dict[str, str]:
        """The event's HTML for each of these audiences that may see it."""
        ...


def user_channel(namespace: str, user_id: int) -> str:
    """One person's news on every page they have open: job progress, notices. The worker publishes
    here too, straight to Redis (`redis.publish(channel, html)`): the pub/sub backend adds no prefix."""
    return f"{namespace}user:{user_id}"


def client_channel(namespace: str, client_id: int) -> str:
    """News for every user of one client company: plans submitted for their review."""
    return f"{namespace}client:{client_id}"


class BoardHub:
    def __init__(self, channels: ChannelsPlugin, redis: Redis, namespace: str = "") -> None:
        self.channels = channels
        self.redis: Any = redis  # redis-py's async methods are typed as sync-or-async
        # Redis pub/sub channels are global to a server: the namespace keeps two deployments
        # (or two test runs) sharing one Redis apart.
        self.namespace = namespace

    def channel(self, project_id: int, audience: str) -> str:
        suffix = "" if audience == AGENCY else ":client"
        return f"{self.namespace}board:{project_id}{suffix}"

    def user_channel(self, user_id: int) -> str:
        return user_channel(self.namespace, user_id)

    def client_channel(self, client_id: int) -> str:
        return client_channel(self.namespace, client_id)

    def to_user(self, user_id: int, html: str) -> None:
        self.channels.publish(html, self.user_channel(user_id))

    def to_client(self, client_id: int, html: str) -> None:
        self.channels.publish(html, self.client_channel(client_id))

    def to_board(self, project_id: int, html: str, *, clients: bool = True) -> None:
        """Unnumbered news for a board's viewers (presence, sprint review states): not a board event,
        so it takes no sequence number and a browser that misses it sees it on its next page load."""
        targets = [self.channel(project_id, AGENCY)] + ([self.channel(project_id, CLIENT)] if clients else [])
        self.channels.publish(html, targets)

    async def announce(self, event: BoardEvent) -> None:
        """Publish a board event to its open browsers. The client's rendering is only asked for while
        one of the client's people has the board open; one who opens it later catches up from the
        sequence number."""
        audiences = [AGENCY]
        if await self.client_viewers(event.project_id):
            audiences.append(CLIENT)
        for audience, html in (await event.draw(audiences)).items():
            self.channels.publish(html, self.channel(event.project_id, audience))

    async def client_viewers(self, project_id: int) -> int:
        """How many web processes hold a client's socket on this board (0: nobody to draw for).
        Redis counts the channel's subscribers itself, so the answer cannot drift the way a counter
        we kept would (a socket that leaves after Redis restarted or was flushed drove it below zero,
        and then clients got no live updates at all); a process subscribes before the viewer joins."""
        counts = await self.redis.pubsub_numsub(self.channel(project_id, CLIENT))
        return int(counts[0][1]) if counts else 0

    # Presence: who has the board open, counted per user across every web process.
    def _presence_key(self, project_id: int) -> str:
        return f"boardroom:{self.namespace}presence:{project_id}"

    async def joined(self, project_id: int, user_id: int) -> None:
        await self.redis.hincrby(self._presence_key(project_id), str(user_id), 1)

    async def left(self, project_id: int, user_id: int) -> None:
        key = self._presence_key(project_id)
        if await self.redis.hincrby(key, str(user_id), -1) <= 0:
            await self.redis.hdel(key, str(user_id))

    async def viewer_ids(self, project_id: int) -> list[int]:
        """The ids of the people who have the board open now."""
        return [int(k) for k in await self.redis.hkeys(self._presence_key(project_id))]


def hub_of(connection: ASGIConnection[Any, Any, Any, Any]) -> BoardHub:
    """The process's hub (made once in create_app)."""
    hub: BoardHub = connection.app.state.hub
    return hub
