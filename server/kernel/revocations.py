"""Revoked access, told to the sockets that had it.

Whoever takes access away (a sign-out, a new password, a deactivation, a role change, removal from a
team, a project unshared or archived) calls `revoke` once the change has committed, naming the
people or the boards concerned. Every web process hears it on the matching control channel, and each
of its open sockets there re-checks its access from the database at once and closes if it lost it
(server/realtime/guard.py). The signal only says "look again"; the database decides, so a signal
sent too often costs a re-check and nothing else.

The channel names and the publishing live here, below every feature, because accounts and clients
(which revoke) sit below the realtime layer (which listens) and may not import it. Publishing
never raises and never waits: it goes through the realtime layer's outbox (`app.state.revocations`,
set in create_app). A signal lost while Redis is away is made good by each socket's periodic
re-check, and by the re-check before every catch-up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from litestar.background_tasks import BackgroundTask
from litestar.connection import ASGIConnection
from litestar.response import Response

log = logging.getLogger("boardroom.realtime")

RECHECK = "recheck"  # the whole message: what changed is in the database, not in the signal
STATE_KEY = "revocations"
AnyResponse = TypeVar("AnyResponse", bound=Response[Any])


class Publisher(Protocol):
    """Queues a message for channels and returns at once, never raising (realtime's `PubSub`)."""

    def publish(self, message: str, channels: str | Iterable[str]) -> None: ...


def user_channel(namespace: str, user_id: int) -> str:
    """One person's sockets, on every board and page: their sessions or their role changed."""
    return f"{namespace}access:user:{user_id}"


def board_channel(namespace: str, project_id: int) -> str:
    """Every socket on one board: who may see the board changed (team, sharing, archiving)."""
    return f"{namespace}access:board:{project_id}"


@dataclass(frozen=True)
class Revocations:
    publisher: Publisher
    namespace: str = ""

    def user_channel(self, user_id: int) -> str:
        return user_channel(self.namespace, user_id)

    def board_channel(self, project_id: int) -> str:
        return board_channel(self.namespace, project_id)

    def revoke(self, *, users: Iterable[int] = (), boards: Iterable[int] = ()) -> None:
        channels = [self.user_channel(u) for u in users] + [self.board_channel(b) for b in boards]
        if channels:
            self.publisher.publish(RECHECK, channels)


def revoke(
    connection: ASGIConnection[Any, Any, Any, Any], *, users: Iterable[int] = (), boards: Iterable[int] = ()
) -> None:
    """Tell the open sockets of these people, and every socket on these boards, to re-check their
    access now. Call it after the change committed. Never raises, never waits."""
    revocations: Revocations | None = connection.app.state.get(STATE_KEY)
    if revocations is None:
        log.warning("realtime: no revocations publisher; open sockets re-check on their own schedule")
        return
    revocations.revoke(users=users, boards=boards)


def revoke_after(
    response: AnyResponse,
    connection: ASGIConnection[Any, Any, Any, Any],
    *,
    users: Iterable[int] = (),
    boards: Iterable[int] = (),
) -> AnyResponse:
    """`revoke` once the response has gone out: for a change the session middleware makes only as it
    answers (a sign-out deletes the session's row then), so the sockets' re-check cannot come first."""

    users, boards = list(users), list(boards)

    async def after() -> None:
        revoke(connection, users=users, boards=boards)

    response.background = BackgroundTask(after)
    return response
