"""The budgets overview's websocket: an open /budgets page hears which project's hours just changed
(time.jobs publishes a bare project id) and fetches that line again over HTTP (`/budgets/lines/…`,
admins only). Admins only here too, re-checked while it is open (realtime's guard): a sign-out, a
deactivation or a role change closes it, and nothing published after the change goes out first."""

from __future__ import annotations

from typing import Any

from litestar import WebSocket, websocket

from server.realtime.guard import NO_ACCESS, SIGNED_OUT
from server.realtime.hub import hub_of
from server.realtime.pubsub import Ending
from server.realtime.transport import refuse, relay, signed_in, still_signed_in
from server.rules.policy import can_manage_agency
from server.time.jobs import hours_channel


async def _ignore(_message: str) -> None:
    """The page says nothing; reading keeps the connection's state."""


@websocket("/budgets/ws", exclude_from_auth=True)
async def budgets_socket(socket: WebSocket[Any, Any, Any]) -> None:
    me = await signed_in(socket)
    if me is None:
        return
    if not can_manage_agency(me):
        await refuse(socket, NO_ACCESS.code)
        return
    hub = hub_of(socket)

    async def check() -> Ending | None:
        now = await still_signed_in(socket)
        if now is None:
            return SIGNED_OUT
        return None if can_manage_agency(now) else NO_ACCESS

    guard = hub.guard(("budgets", socket.get_session_id()), check, users=[me.id])
    await relay(socket, [hours_channel(hub.namespace)], _ignore, guard=guard)


ROUTES = [budgets_socket]
