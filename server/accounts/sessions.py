"""Server-side sessions: written only when they change, and given a fresh id at login (no session fixation).

Litestar's backend writes the session on every response, and stores an empty one for every visitor
who has no cookie. This one writes when the session's bytes differ from what the request loaded,
when its id rotates, or about once a day to slide its expiry; a request that only reads (a page, the
board's "changed since N?" poll, an API call by token) writes nothing and sends no cookie. A session
that ends (logout, or a stamp that no longer matches) deletes its row, and stays ended: writing back a
changed session only updates a row that is still there. The rows live in the database
(`kernel.database_store`), so a Redis outage signs nobody out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.exceptions import ImproperlyConfiguredException
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

from server.kernel.database_store import DatabaseStore

ROTATE = "boardroom.rotate_session"
_NEW_ID = "boardroom.new_session_id"
_LOADED = "boardroom.loaded_session"
# A session read for a day without changing is written once more, so that it (and its cookie) expire
# max_age after it was last used, give or take a day, and not max_age after it last changed.
RENEW_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class LoadedSession:
    """What the request's cookie named, as the store held it."""

    session_id: str
    data: bytes
    expires_at: datetime | None


class RotatingSessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        return connection.scope.get(_NEW_ID) or super().get_session_id(connection)  # type: ignore[return-value]

    def _store(self, connection: ASGIConnection[Any, Any, Any, Any]) -> DatabaseStore:
        store = self.config.get_store_from_app(connection.scope["app"])
        if not isinstance(store, DatabaseStore):
            raise ImproperlyConfiguredException("sessions need a DatabaseStore")
        return store

    def _cookie_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
        value = connection.cookies.get(self.config.key)
        return value if value and value != "null" else None

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        session_id = self._cookie_id(connection)
        if session_id is None:
            return {}
        found = await self._store(connection).entry(session_id)
        if found is None:
            return {}
        connection.scope[_LOADED] = LoadedSession(session_id, *found)  # type: ignore[literal-required]
        return self.deserialize_data(found[0])

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        scope: Any = connection.scope
        loaded: LoadedSession | None = scope.get(_LOADED)
        store = self._store(connection)
        headers = MutableScopeHeaders.from_message(message)
        if scope_session is Empty or not scope_session:
            # Signed out, refused (a stale stamp), or never signed in: forget what the cookie named.
            if loaded is not None:
                await self.delete(loaded.session_id, store=store)
            if self._cookie_id(connection) is not None:
                self._set_cookie(headers, "null", expires=0, max_age=0)
            return
        data = self.serialize_data(scope_session, scope)
        if loaded is not None and not scope.get(ROTATE):
            if data == loaded.data and not self._due(loaded):
                return  # nothing changed: no write, no cookie
            await store.replace(loaded.session_id, data, expires_in=self.config.max_age)
            self._set_cookie(headers, loaded.session_id)
            return
        # A new session, or a login, gets an id of our making: never one a cookie proposed.
        if loaded is not None:
            await self.delete(loaded.session_id, store=store)
        session_id = scope[_NEW_ID] = self.generate_session_id()
        await self.set(session_id=session_id, data=data, store=store)
        self._set_cookie(headers, session_id)

    def _due(self, loaded: LoadedSession) -> bool:
        """True when the stored session was last written more than RENEW_AFTER ago."""
        if loaded.expires_at is None:
            return False
        max_age = timedelta(seconds=self.config.max_age)
        return loaded.expires_at - datetime.now(UTC) < max_age - min(RENEW_AFTER, max_age / 2)

    def _set_cookie(self, headers: MutableScopeHeaders, value: str, **extra: Any) -> None:
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        cookie = Cookie(value=value, key=self.config.key, **{**params, **extra})
        headers.add("Set-Cookie", cookie.to_header(header=""))


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
