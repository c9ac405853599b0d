"""Server-side sessions that get a fresh id at login (no session fixation)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession

ROTATE = "boardroom.rotate_session"
_NEW_ID = "boardroom.new_session_id"


class RotatingSessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        return connection.scope.get(_NEW_ID) or super().get_session_id(connection)  # type: ignore[return-value]

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        scope: Any = connection.scope
        if scope.get(ROTATE) and scope_session is not Empty and _NEW_ID not in scope:
            if old := connection.cookies.get(self.config.key):
                await self.delete(old, store=self.config.get_store_from_app(scope["app"]))
            scope[_NEW_ID] = self.generate_session_id()
        await super().store_in_message(scope_session, message, connection)


@dataclass
class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Ask for a new session id on this response (call at login)."""
    connection.scope[ROTATE] = True  # type: ignore[literal-required]


def password_stamp(password_hash: str, epoch: int = 0) -> str:
    """Kept in the session: a new password, or a deactivation (which bumps the epoch), ends every
    session the user had."""
    return hashlib.sha256(f"{password_hash}:{epoch}".encode()).hexdigest()[:16]
