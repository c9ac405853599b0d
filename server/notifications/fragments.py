"""The live HTML of notifications: the header's bell (`#bell`, its unread count), drawn on page load
and pushed over the person's own socket whenever their count changes, in their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from server.kernel.i18n import speaking
from server.kernel.templating import render_fragment
from server.notifications.store import BELL_CAP, unread_count
from server.realtime.hub import BoardHub, user_channel

# How the bell reaches a person's open pages: the hub from the web, Redis straight from the worker.
Bells = Callable[[int, str], Awaitable[None]]


def bell_html(count: int, *, oob: bool = False) -> str:
    shown = f"{BELL_CAP}+" if count > BELL_CAP else str(count)
    return render_fragment("notifications/_bell.html", count=count, shown=shown, oob=oob)


def hub_bells(hub: BoardHub) -> Bells:
    async def ring(user_id: int, html: str) -> None:
        hub.to_user(user_id, html)

    return ring


def redis_bells(redis: Any, namespace: str) -> Bells:
    async def ring(user_id: int, html: str) -> None:
        await redis.publish(user_channel(namespace, user_id), html)

    return ring


async def ring(bells: Bells | None, user_ids: Iterable[int], locales: Mapping[int, str]) -> None:
    """Push each person's bell with their current count (read after the news committed)."""
    if bells is None:
        return
    for user_id in user_ids:
        count = await unread_count(user_id)
        with speaking(locales.get(user_id, "en")):
            html = bell_html(count, oob=True)
        await bells(user_id, html)
