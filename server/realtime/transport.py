"""What every websocket shares: who may open one (signed in, from our own pages), how a refusal is
told, and the loop that forwards a set of channels to the browser while handing what the browser
says to the route that opened it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlparse

from litestar import WebSocket
from litestar.channels import ChannelsPlugin
from litestar.exceptions import WebSocketDisconnect

from server.accounts.auth import retrieve_user
from server.kernel import i18n
from server.rules.policy import Actor

Step = Callable[[], Awaitable[None]]


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


async def relay(
    socket: WebSocket[Any, Any, Any],
    channel_names: list[str],
    answer: Callable[[str], Awaitable[None]],
    *,
    join: Step | None = None,
    leave: Step | None = None,
) -> None:
    """Accept the socket and forward everything published on `channel_names` to it; hand each text
    the browser sends to `answer`, until it goes. `join` runs once subscribed, so what it publishes
    (and every message from then on) reaches this socket too; `leave` runs after unsubscribing, if
    `join` ran."""
    channels: ChannelsPlugin = socket.app.state.channels
    await socket.accept()
    joined = False
    try:
        async with (
            channels.start_subscription(channel_names) as subscriber,
            subscriber.run_in_background(socket.send_data),
        ):
            if join is not None:
                await join()
                joined = True
            while True:
                await answer(await socket.receive_text())
    except WebSocketDisconnect:
        pass
    finally:
        if joined and leave is not None:
            await leave()
