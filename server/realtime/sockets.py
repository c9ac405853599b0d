"""The board's websocket: one per open board page, carrying HTML fragments for htmx's ws extension."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin
from litestar.exceptions import NotFoundException, PermissionDeniedException, WebSocketDisconnect
from litestar.params import FromPath

from server.accounts.auth import retrieve_user
from server.kernel.access import project_for
from server.realtime.hub import AGENCY, CLIENT, BoardHub


def same_origin(socket: WebSocket[Any, Any, Any]) -> bool:
    """CSRF does not cover websockets: a page on another site must not open one with our cookie."""
    origin = socket.headers.get("origin")
    if origin is None:
        return True  # not a browser (scripts, tests); the session cookie still has to be valid
    return urlparse(origin).netloc == socket.headers.get("host")


# Signed-in users only, but checked here rather than by the auth middleware, which refuses before the
# handshake (see `refuse`).
@websocket("/projects/{project_id:int}/ws", exclude_from_auth=True)
async def board_socket(socket: WebSocket[Any, Any, Any], project_id: FromPath[int]) -> None:
    # A refusal is sent as a close code after accepting: a socket closed before the handshake is an
    # HTTP 403 to the browser, which sees only 1006 ("abnormal") and htmx's ws extension retries that
    # forever; 4403/4404 tell it to stop, and tell scripts which refusal it was.
    me = await retrieve_user(socket.session, socket)
    if me is None or not same_origin(socket):
        await refuse(socket, 4403)
        return
    try:
        project = await project_for(me, project_id)
    except (NotFoundException, PermissionDeniedException):
        await refuse(socket, 4404)
        return
    hub: BoardHub = socket.app.state.hub
    channels: ChannelsPlugin = socket.app.state.channels
    audience = CLIENT if me.is_client else AGENCY
    await socket.accept()
    joined = False
    try:
        # Subscribe before announcing the join: the viewer's own presence update (and every event
        # from here on) then reaches this socket too; the page was rendered before she joined.
        async with (
            channels.start_subscription([hub.channel(project_id, audience)]) as subscriber,
            subscriber.run_in_background(socket.send_data),
        ):
            await hub.joined(project_id, me.id)
            joined = True
            while True:
                # The browser says which event it applied last, on connect and whenever it sees a gap.
                message = await socket.receive_text()
                after = _after(message)
                if after is not None and (html := await hub.catch_up(project, after, audience)):
                    await socket.send_text(html)
    except WebSocketDisconnect:
        pass
    finally:
        if joined:
            await hub.left(project_id, me.id)


@websocket("/ws", exclude_from_auth=True)
async def personal_socket(socket: WebSocket[Any, Any, Any]) -> None:
    """Every signed-in page's socket: the person's own channel (job progress, notices) and, for a
    client's user, their client's channel (plans submitted for review)."""
    me = await retrieve_user(socket.session, socket)
    if me is None or not same_origin(socket):
        await refuse(socket, 4403)
        return
    hub: BoardHub = socket.app.state.hub
    channels: ChannelsPlugin = socket.app.state.channels
    wanted = [hub.user_channel(me.id)]
    if me.is_client and me.client_id is not None:
        wanted.append(hub.client_channel(me.client_id))
    await socket.accept()
    try:
        async with (
            channels.start_subscription(wanted) as subscriber,
            subscriber.run_in_background(socket.send_data),
        ):
            while True:
                await socket.receive_text()  # nothing to answer; keeps the connection's state
    except WebSocketDisconnect:
        pass


async def refuse(socket: WebSocket[Any, Any, Any], code: int) -> None:
    await socket.accept()
    await socket.close(code=code)


def _after(message: str) -> int | None:
    try:
        value = json.loads(message).get("after")
    except (ValueError, AttributeError):
        return None
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.lstrip("-").isdigit()) else None


ROUTES = [board_socket, personal_socket]
