"""The board's websocket: one per open board page, carrying the board's events (HTML fragments for
htmx's ws extension) and presence, and answering a browser that says which event it applied last
with what it missed."""

from __future__ import annotations

import json
from typing import Any

from litestar import WebSocket, websocket
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath

from server.boards.fragments import audience_of, catch_up, publish_presence
from server.kernel import i18n
from server.kernel.access import project_for
from server.realtime.hub import hub_of
from server.realtime.transport import refuse, relay, signed_in


def _after(message: str) -> int | None:
    """The last event number a browser's message says it applied, if it says one."""
    try:
        value = json.loads(message).get("after")
    except (ValueError, AttributeError):
        return None
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.lstrip("-").isdigit()) else None


@websocket("/projects/{project_id:int}/ws", exclude_from_auth=True)
async def board_socket(socket: WebSocket[Any, Any, Any], project_id: FromPath[int]) -> None:
    me = await signed_in(socket)
    if me is None:
        return
    try:
        project = await project_for(me, project_id)
    except (NotFoundException, PermissionDeniedException):
        await refuse(socket, 4404)
        return
    hub = hub_of(socket)
    audience = audience_of(me)

    async def answer(message: str) -> None:
        # The browser says which event it applied last, on connect and whenever it sees a gap.
        after = _after(message)
        if after is not None and (html := await catch_up(project, after, audience)):
            await socket.send_text(html)

    # Presence is announced once subscribed: the viewer's own presence update (and every event from
    # then on) reaches this socket too; the page was rendered before she joined.
    async def join() -> None:
        await hub.joined(project_id, me.id)
        await publish_presence(hub, project_id)

    async def leave() -> None:
        await hub.left(project_id, me.id)
        await publish_presence(hub, project_id)

    channel = hub.board_channel(project_id, audience, i18n.current_locale())
    await relay(socket, [channel], answer, join=join, leave=leave)


ROUTES = [board_socket]
