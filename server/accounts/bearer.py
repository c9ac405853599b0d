"""Who is calling: a browser session everywhere, and under /api/ also a personal API token.

- `SessionOrTokenAuth` is Litestar's SessionAuth whose middleware, for paths under /api/ that carry
  `Authorization: Bearer …`, authenticates by the token instead of the session. A bad token is a
  401; it never falls back to a session.
- CSRF: the API router opts out of the app's CSRF middleware and runs `ApiCsrfMiddleware` instead,
  which applies the very same check (Litestar's CSRFMiddleware, same config) to every request
  except those authenticated by a token that carry no live session. A browser cannot attach an
  Authorization header to a cross-site request without a CORS preflight we never grant, so a
  token request cannot be forged; one that also carries a signed-in session cookie is checked anyway.
  ("Live": a cookie jar keeps the expired `null` cookie Litestar's session middleware answers with,
  and that cookie must not turn CSRF back on for a script.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.authentication import AuthenticationResult
from litestar.openapi.spec import Components, SecurityScheme
from litestar.security.session_auth import SessionAuth
from litestar.security.session_auth.middleware import SessionAuthMiddleware
from litestar.types import Empty

from server.accounts.auth import actor_from_row, retrieve_user
from server.accounts.store import token_owner
from server.accounts.writes import touch_token
from server.kernel.access import not_found
from server.kernel.api_router import TokenAuth
from server.kernel.i18n import _
from server.rules.policy import Actor

API_PREFIX = "/api/"


async def authenticate(token: str) -> tuple[Actor, int] | None:
    """The active user behind a token, and the token's id; None for anything else."""
    row = await token_owner(token)
    if row is None:
        return None
    await touch_token(row["token_id"], row["last_used_at"])
    return actor_from_row(row), int(row["token_id"])


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    scheme, _sep, value = connection.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


async def signed_in_or_404(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    """Guard for a route left out of authentication that only signed-in people (or scripts with a
    token) may read, such as the API's schema: to anyone else it does not exist."""
    token = bearer_token(connection)
    if token is not None and await authenticate(token) is not None:
        return
    session = connection.scope.get("session")
    if token is None and isinstance(session, dict) and await retrieve_user(session, connection) is not None:
        return
    raise not_found()


class SessionOrTokenAuthMiddleware(SessionAuthMiddleware):
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        if not connection.scope["path"].startswith(API_PREFIX):
            return await super().authenticate_request(connection)
        token = bearer_token(connection)
        if token is None:
            try:
                return await super().authenticate_request(connection)
            except NotAuthorizedException:
                raise NotAuthorizedException(
                    _("Sign in, or send a personal API token as “Authorization: Bearer <token>”.")
                ) from None
        found = await authenticate(token)
        if found is None:
            raise NotAuthorizedException(_("That API token is not valid. It may have been revoked."))
        actor, token_id = found
        with_session = bool(connection.scope.get("session"))
        if not with_session:
            # Otherwise the session middleware would store an empty session for every script call.
            connection.scope["session"] = Empty
        return AuthenticationResult(user=actor, auth=TokenAuth(token_id, with_session=with_session))


@dataclass
class SessionOrTokenAuth(SessionAuth[Any, Any]):
    authentication_middleware_class: type[SessionAuthMiddleware] = SessionOrTokenAuthMiddleware

    @property
    def openapi_components(self) -> Components:
        components = super().openapi_components
        assert components.security_schemes is not None
        components.security_schemes["apiToken"] = SecurityScheme(
            type="http",
            scheme="bearer",
            description="A personal API token (br_…), created on your profile page.",
        )
        return components
