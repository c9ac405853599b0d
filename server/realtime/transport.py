"""What every websocket shares: who may open one (signed in, from our own pages), how a refusal is
told, and the loop that forwards a set of channels to the browser while handing what the browser
says to the route that opened it.

Close codes the server sends (board.js and docs/deploy.md explain them to people):
- 4403: not signed in, or a page from another site; 4404: not allowed to see this board. Final.
- 4401 (`guard.SIGNED_OUT`): the session ended while the socket was open (signed out, a new
  password, deactivated); 4404 (`guard.NO_ACCESS`) too when access to the board was revoked while
  open. Final.
- 4408 (`CATCH_UP`): the socket fell too far behind its messages; reconnect and ask for what was
  missed since the last sequence number applied.
- 1012 (`RESTARTING`): the server is stopping (after a last heartbeat with the board's sequence
  number: BoardHub.drain), or what the socket may carry changed (`guard.CHANGED`); reconnect."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack, suppress
from typing import Any
from urllib.parse import urlparse

from litestar import WebSocket
from litestar.exceptions import WebSocketDisconnect

from server.accounts.auth import retrieve_user
from server.kernel import i18n
from server.realtime.guard import Guard
from server.realtime.heartbeat import Pulse
from server.realtime.hub import hub_of
from server.realtime.pubsub import RESTARTING, Ending, Subscription
from server.rules.policy import Actor

log = logging.getLogger("boardroom.realtime")

Step = Callable[[], Awaitable[None]]
CLOSE_SECONDS = 5.0  # at most, closing a socket whose browser has stopped reading


def same_origin(socket: WebSocket[Any, Any, Any]) -> bool:
    """CSRF does not cover websockets: a page on another site must not open one with our cookie."""
    origin = socket.headers.get("origin")
    if origin is None:
        return True  # not a browser (scripts, tests); the session cookie still has to be valid
    return urlparse(origin).netloc == socket.headers.get("host")


async def refuse(socket: WebSocket[Any, Any, Any], code: int) -> None:
    """A refusal is sent as a close code after accepting: a socket closed before the handshake is an
    HTTP 403 to the browser, which sees only 1006 ("abnormal") and htmx's ws extension retries that
    forever; 4403/4404 tell it to stop, and tell scripts which refusal it was."""
    await socket.accept()
    await socket.close(code=code)


async def signed_in(socket: WebSocket[Any, Any, Any]) -> Actor | None:
    """The socket's signed-in user, or None once it has been refused (4403). Sockets are excluded
    from the auth middleware, which would refuse before the handshake (see `refuse`)."""
    me = await retrieve_user(socket.session, socket)
    if me is None or not same_origin(socket):
        await refuse(socket, 4403)
        return None
    # The socket's language, chosen as for the person's pages (the middleware does it for HTTP only).
    i18n.set_locale(i18n.negotiate(socket.headers.get("accept-language"), me.locale))
    return me


async def still_signed_in(socket: WebSocket[Any, Any, Any]) -> Actor | None:
    """The socket's user as the database has them now, or None once the session it opened with has
    ended: signed out (its row is gone), a new password or a deactivation (its stamp no longer
    matches). The session's own content never changes under a given id: a login or a new password
    gives the session a new id."""
    session_id = socket.get_session_id()
    if not session_id or not await socket.app.stores.get("sessions").exists(session_id):
        return None
    return await retrieve_user(socket.session, socket)


async def relay(
    socket: WebSocket[Any, Any, Any],
    channel_names: list[str],
    answer: Callable[[str], Awaitable[None]],
    *,
    join: Step | None = None,
    leave: Step | None = None,
    pulse: Pulse | None = None,
    guard: Guard | None = None,
) -> None:
    """Accept the socket and forward everything published on `channel_names` to it; hand each text
    the browser sends to `answer`, until it goes. `join` runs once subscribed, so what it publishes
    (and every message from then on) reaches this socket too; `leave` runs after unsubscribing, if
    `join` ran. With a `pulse`, the socket also gets its board's heartbeats; with a `guard`, its
    access is re-checked while it is open, and it is closed when that access is gone."""
    hub = hub_of(socket)
    if hub.draining:  # stopping: come back to another process
        await refuse(socket, RESTARTING.code)
        return
    await socket.accept()
    joined = False
    try:
        async with AsyncExitStack() as stack:
            subscription = await stack.enter_async_context(
                hub.pubsub.subscription(
                    channel_names,
                    signals=guard.signals if guard is not None else (),
                    on_signal=guard.signal if guard is not None else None,
                )
            )
            if guard is not None:
                guard.bind(subscription)
            if pulse is not None:
                await stack.enter_async_context(hub.heartbeat.watching(pulse, subscription))
            if join is not None:
                await join()
                joined = True
            await _converse(socket, subscription, answer, guard)
    except WebSocketDisconnect:
        pass
    finally:
        if joined and leave is not None:
            await leave()


async def _converse(
    socket: WebSocket[Any, Any, Any],
    subscription: Subscription,
    answer: Callable[[str], Awaitable[None]],
    guard: Guard | None,
) -> None:
    """Forward the subscription's messages and hear the browser, until either side ends; the guard
    (if any) re-checks access beside them, and ends the subscription when it is gone."""
    forwarding = asyncio.create_task(_forward(socket, subscription, guard))
    hearing = asyncio.create_task(_hear(socket, answer))
    tasks = [forwarding, hearing]
    if guard is not None:
        tasks.append(asyncio.create_task(guard.watch()))
    try:
        done, _ = await asyncio.wait({forwarding, hearing}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        if not task.cancelled() and (error := task.exception()) is not None:
            raise error


async def _hear(socket: WebSocket[Any, Any, Any], answer: Callable[[str], Awaitable[None]]) -> None:
    while True:
        await answer(await socket.receive_text())


async def _forward(socket: WebSocket[Any, Any, Any], subscription: Subscription, guard: Guard | None) -> None:
    while True:
        message = await subscription.next()
        if guard is not None and not isinstance(message, Ending):
            await guard.cleared()  # after a revocation signal, nothing goes out before the re-check
            message = subscription.ending or message
        if isinstance(message, Ending):
            await close(socket, message)
            return
        try:
            await socket.send_text(message)
        except (WebSocketDisconnect, OSError, RuntimeError):
            return  # the browser is gone; hearing it go ends the conversation


async def close(socket: WebSocket[Any, Any, Any], ending: Ending) -> None:
    """Close with the ending's code, giving up after CLOSE_SECONDS on a browser that stopped reading
    (its backlog is dropped either way; the server lets the connection go when the handler ends)."""
    log.info("realtime: closing a socket: %s (%d)", ending.reason, ending.code)
    with suppress(WebSocketDisconnect, OSError, RuntimeError, TimeoutError):
        async with asyncio.timeout(CLOSE_SECONDS):
            await socket.close(code=ending.code, reason=ending.reason)
