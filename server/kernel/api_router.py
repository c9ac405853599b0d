"""What every JSON route under /api/ shares: the problem details (RFC 9457) that name the offending
field, id types, and the one way an /api router is built (CSRF for sessions, tokens, no caching)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, Router
from litestar.connection import ASGIConnection
from litestar.datastructures import ResponseHeader
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from litestar.types import ASGIApp, ExceptionHandlersMap, Guard, Receive, Scope, Send

from server.kernel.errors import problem
from server.kernel.forms import MAX_ID
from server.kernel.i18n import _

Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
NAMED_FIELD = re.compile(r"field `([^`]+)`")
# The route option that takes the API out of the app-wide CSRF middleware (Litestar's default key).
EXCLUDE_FROM_CSRF = "exclude_from_csrf"


@dataclass(frozen=True)
class TokenAuth:
    """`request.auth` for a request authenticated by a personal API token."""

    token_id: int
    with_session: bool


class ApiCsrfMiddleware:
    """CSRF for the API: Litestar's own check, skipped only for token requests without a live session."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.checked: CSRFMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        auth = scope.get("auth")
        if isinstance(auth, TokenAuth) and not auth.with_session:
            await self.app(scope, receive, send)
            return
        if self.checked is None:
            config = scope["litestar_app"].csrf_config
            assert config is not None, "the app must configure CSRF"
            # The API's routes carry the opt-out option; this instance must not honour it.
            self.checked = CSRFMiddleware(self.app, replace(config, exclude_from_csrf_key="boardroom.api_csrf"))
        await self.checked(scope, receive, send)


class FieldError(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct):
    """RFC 9457 problem detail."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | msgspec.UnsetType = msgspec.UNSET


PROBLEM = ResponseSpec(data_container=Problem, media_type="application/problem+json", description="Problem detail")
ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM}


class InvalidInput(HTTPException):
    status_code = HTTP_422_UNPROCESSABLE_ENTITY


def invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(detail=_("Some fields need attention."), extra=[{"field": field, "message": message}])


def field_of(item: dict[str, Any]) -> str:
    """The body field an error is about. msgspec names a missing or unknown field only in its
    message ("Object missing required field `version`"), against the whole body ("data")."""
    key = str(item.get("key", ""))
    if key in {"", "data"} and (named := NAMED_FIELD.search(str(item.get("message", "")))):
        return named.group(1)
    return "" if key == "data" else key


def validation_problem(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    """Litestar's body validation (msgspec), reshaped into our problem detail: 422 naming each field."""
    errors = [
        {"field": field_of(item), "message": item.get("message", "")}
        for item in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(item, dict)
    ]
    if not errors or any(not e["field"] for e in errors):  # not even JSON: nothing to name
        return problem(400, _("Send a JSON object as the request body."), errors=errors)
    return problem(422, _("Some fields need attention."), errors=errors)


def nested_too_deeply(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    """JSON nested past what the decoder follows (thousands of brackets): a malformed body, not a fault."""
    return problem(400, _("The JSON body is nested too deeply."))


def not_for_options(guard: Guard) -> Guard:
    """A guard that lets OPTIONS through: Litestar answers it itself (204, the allowed methods) and
    the authentication middleware skips it, so no user is there to check."""

    async def checked(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        if connection.scope.get("method") == "OPTIONS":
            return
        result = guard(connection, handler)
        if inspect.isawaitable(result):
            await result

    return checked


def api_router(
    handlers: Sequence[Any],
    *,
    tags: list[str],
    guards: Sequence[Guard] = (),
    exception_handlers: ExceptionHandlersMap | None = None,
) -> Router:
    """A router under /api with what every API route shares; features differ only in their guards,
    tags and extra error shapes."""
    return Router(
        path="/api",
        route_handlers=list(handlers),
        tags=tags,
        guards=[not_for_options(guard) for guard in guards],
        opt={EXCLUDE_FROM_CSRF: True},
        middleware=[DefineMiddleware(ApiCsrfMiddleware)],
        exception_handlers={
            ValidationException: validation_problem,
            RecursionError: nested_too_deeply,
            **(exception_handlers or {}),
        },
        include_in_schema=True,  # the app leaves everything else out of the OpenAPI schema
        security=[{"sessionCookie": []}, {"apiToken": []}],
        response_headers=[ResponseHeader(name="Cache-Control", value="no-store")],
    )
