"""The board's websocket: one per open board page, carrying the board's events (HTML fragments for
htmx's ws extension), presence and heartbeats, and answering a browser that says which event it
applied last with what it missed. Its access is checked again while it is open (realtime's guard):
when the person's session ends, or they may no longer see the board as they saw it, it closes."""

from __future__ import annotations

import json
from typing import Any

from litestar import WebSocket, websocket
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath

from server.boards import live_store
from server.boards.fragments import audience_of, catch_up, publish_presence
from server.kernel import i18n
from server.kernel.access import project_for
from server.kernel.forms import MAX_ID, bounded
from server.realtime.guard import NO_ACCESS, SIGNED_OUT
from server.realtime.heartbeat import Pulse
from server.realtime.hub import BoardHub, hub_of
from server.realtime.pubsub import Ending
from server.realtime.transport import refuse, relay, signed_in, still_signed_in


def _after(message: str) -> int | None:
    """The last event number a browser's message says it applied, if it says one."""
    try:
        value = json.loads(message).get("after")
    except (ValueError, AttributeError, RecursionError):
        return None
    return bounded(value, -1, MAX_ID)  # event numbers, like ids, fit 32 bits; -1: "send me the board"


def heartbeat(seq: int, up: bool) -> str:
    """The board's latest event number and whether live updates flow, every ~15 s and when realtime
    goes down or comes back. A comment: htmx swaps nothing; board.js reads it, asks for what it
    missed when the board is past its number, and polls while realtime is down."""
    return f"<!--board-heartbeat seq={seq} realtime={'up' if up else 'down'}-->"


def caught_up(after: int, html: str) -> str:
    """The answer to "I applied up to `after`", marked as such: the page applies it whatever its
    number, where a live event past a gap is not applied but makes it ask (board.js)."""
    return f"<!--board-catch-up after={after}-->{html}"


def pulse_of(hub: BoardHub, project_id: int) -> Pulse:
    """What the hub sends this board's sockets on every beat (read once per board, not per socket)."""

    async def draw(up: bool) -> str:
        return heartbeat(await live_store.event_seq(project_id), up)

    async def presence_changed() -> None:
        await publish_presence(hub, project_id)

    return Pulse(project_id, draw, presence_changed)


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

    async def check() -> Ending | None:
        # Still signed in, still allowed to see this board, and as the same audience: a socket
        # carries one audience's rendering (a person turned into a client's user must not go on
        # getting the agency's).
        now = await still_signed_in(socket)
        if now is None:
            return SIGNED_OUT
        if audience_of(now) != audience:
            return NO_ACCESS
        try:
            await project_for(now, project_id)
        except (NotFoundException, PermissionDeniedException):
            return NO_ACCESS
        return None

    guard = hub.guard(
        ("board", socket.get_session_id(), project_id, audience), check, users=[me.id], boards=[project_id]
    )

    async def answer(message: str) -> None:
        # The browser says which event it applied last, on connect and whenever it sees a gap. Access
        # is checked again first: one who lost it gets nothing, and the socket closes.
        after = _after(message)
        if after is None or not await guard.allowed():
            return
        if html := await catch_up(project, after, audience):
            await socket.send_text(caught_up(after, html))

    # Presence is announced once subscribed: the viewer's own presence update (and every event from
    # then on) reaches this socket too; the page was rendered before she joined. A second tab changes
    # nobody's view, and a burst of arrivals (a team opening the board at nine) is told once.
    pulse = pulse_of(hub, project_id)

    async def join() -> None:
        if await hub.joined(project_id, me.id):
            hub.soon(("presence", project_id), pulse.presence_changed)

    async def leave() -> None:
        if await hub.left(project_id, me.id):
            hub.soon(("presence", project_id), pulse.presence_changed)

    channel = hub.board_channel(project_id, audience, i18n.current_locale())
    await relay(socket, [channel], answer, join=join, leave=leave, pulse=pulse, guard=guard)


ROUTES = [board_socket]
