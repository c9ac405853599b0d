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
AUDIENCES = (AGENCY, CLIENT)
# Who a board's HTML is drawn for: an audience (the agency, the client's people) in one language.
Pair = tuple[str, str]


class BoardEvent(Protocol):
    """A numbered change to one board, drawn by the feature that made it (boards' `Change`)."""

    project_id: int

    async def draw(self, pairs: Sequence[Pair]) -> dict[Pair, str]:
        """The event's HTML for each (audience, language) that may see it."""
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
        self, channels: ChannelsPlugin, redis: Redis, namespace: str = "", locales: Sequence[str] = ("en",)
    ) -> None:
        self.channels = channels
        self.locales = tuple(locales)
        self.redis: Any = redis  # redis-py's async methods are typed as sync-or-async
        # Redis pub/sub channels are global to a server: the namespace keeps two deployments
        # (or two test runs) sharing one Redis apart.
        self.namespace = namespace

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

    def to_user(self, user_id: int, html: str) -> None:
        self.channels.publish(html, self.user_channel(user_id))

    def to_client(self, client_id: int, html: str) -> None:
        self.channels.publish(html, self.client_channel(client_id))

    def to_board(self, project_id: int, html: str, *, audiences: Sequence[str] = AUDIENCES) -> None:
        """Unnumbered news for a board's viewers (presence, sprint review states): not a board event,
        so it takes no sequence number and a browser that misses it sees it on its next page load."""
        self.channels.publish(html, self.board_channels(project_id, audiences))

    async def listeners(self, project_id: int) -> list[Pair]:
        """The (audience, language) pairs someone watches this board in, across every web process.
        Redis counts each channel's subscribers itself, so the answer cannot drift the way a counter
        we kept would; a process subscribes before its viewer joins."""
        pairs = {self.board_channel(project_id, a, locale): (a, locale) for a in AUDIENCES for locale in self.locales}
        counts = await self.redis.pubsub_numsub(*pairs)
        return [pairs[_text(name)] for name, count in counts if count and _text(name) in pairs]

    async def announce(self, event: BoardEvent) -> None:
        """Publish a board event to its open browsers, drawn once per (audience, language) watching; one
        who opens the board later catches up from the sequence number."""
        pairs = await self.listeners(event.project_id)
        for (audience, locale), html in (await event.draw(pairs)).items():
            self.channels.publish(html, self.board_channel(event.project_id, audience, locale))

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


def _text(name: bytes | str) -> str:
    return name.decode() if isinstance(name, bytes) else name


def hub_of(connection: ASGIConnection[Any, Any, Any, Any]) -> BoardHub:
    """The process's hub (made once in create_app)."""
    hub: BoardHub = connection.app.state.hub
    return hub
