"""The personal websocket every signed-in page opens: the person's own news and their client's."""

from __future__ import annotations

from typing import Any

from litestar import WebSocket, websocket

from server.realtime.guard import CHANGED, SIGNED_OUT
from server.realtime.hub import hub_of
from server.realtime.pubsub import Ending
from server.realtime.transport import relay, signed_in, still_signed_in


async def _ignore(_message: str) -> None:
    """Nothing to answer; reading keeps the connection's state."""


@websocket("/ws", exclude_from_auth=True)
async def personal_socket(socket: WebSocket[Any, Any, Any]) -> None:
    """Every signed-in page's socket: the person's own channel (job progress, notices) and, for a
    client's user, their client's channel (plans submitted for review). Closed (4401) when the
    session ends, and told to reconnect (1012) when the person's client changes."""
    me = await signed_in(socket)
    if me is None:
        return
    hub = hub_of(socket)
    wanted = [hub.user_channel(me.id)]
    client_id = me.client_id if me.is_client else None
    if client_id is not None:
        wanted.append(hub.client_channel(client_id))

    async def check() -> Ending | None:
        now = await still_signed_in(socket)
        if now is None:
            return SIGNED_OUT
        return CHANGED if (now.client_id if now.is_client else None) != client_id else None

    guard = hub.guard(("person", socket.get_session_id(), client_id), check, users=[me.id])
    await relay(socket, wanted, _ignore, guard=guard)


ROUTES = [personal_socket]
