"""The personal websocket every signed-in page opens: the person's own news and their client's."""

from __future__ import annotations

from typing import Any

from litestar import WebSocket, websocket

from server.realtime.hub import hub_of
from server.realtime.transport import relay, signed_in


async def _ignore(_message: str) -> None:
    """Nothing to answer; reading keeps the connection's state."""


@websocket("/ws", exclude_from_auth=True)
async def personal_socket(socket: WebSocket[Any, Any, Any]) -> None:
    """Every signed-in page's socket: the person's own channel (job progress, notices) and, for a
    client's user, their client's channel (plans submitted for review)."""
    me = await signed_in(socket)
    if me is None:
        return
    hub = hub_of(socket)
    wanted = [hub.user_channel(me.id)]
    if me.is_client and me.client_id is not None:
        wanted.append(hub.client_channel(me.client_id))
    await relay(socket, wanted, _ignore)


ROUTES = [personal_socket]
