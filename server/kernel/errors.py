"""How errors reach people: an HTML page for the browser, a problem detail (RFC 9457) for the API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE
from litestar.types import Receive, Scope, Send

from server.kernel import i18n
from server.kernel.i18n import _
from server.kernel.web import actor_of, locale_of

TITLES = {
    400: "That request could not be understood.",
    401: "Please sign in.",
    403: "You cannot do that here.",
    404: "Not found.",
    405: "That is not allowed here.",
    409: "Someone else changed this first.",
    413: "That is too large.",
    422: "Some fields need attention.",
    429: "Too many requests.",
    500: "Something went wrong on our side.",
    503: "Boardroom is reconnecting.",
}
RETRY_AFTER_SECONDS = 5
# Who is signed in, read from the request's session cookie: set by the composition root (app.py) as
# `app.state.signed_in`, for error pages raised before the session was read.
SignedIn = Callable[[Request[Any, Any, Any]], Awaitable[Any]]


def wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def problem(status: int, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    body = {"type": "about:blank", "title": _(TITLES.get(status, "Error")), "status": status, "detail": detail, **extra}
    return Response(body, status_code=status, media_type="application/problem+json")


def _said_once(status: int, detail: str) -> str:
    """The detail, less what repeats the title (Litestar's default "Not Found" under "Not found.")."""
    plain = detail.strip().rstrip(".").casefold()
    repeats = {_(TITLES.get(status, "Error")).rstrip(".").casefold(), TITLES.get(status, "").rstrip(".").casefold()}
    if status in HTTPStatus._value2member_map_:
        repeats.add(HTTPStatus(status).phrase.casefold())
    if plain in repeats:
        return ""
    title = _(TITLES.get(status, "Error"))
    if detail.startswith(title):  # "Not found. It may have been removed…": the title, then more
        return detail[len(title) :].strip()
    return detail


class ErrorPage(Template):
    """An error page that keeps the header and navigation. Routing errors (an unknown path, a
    malformed id, a wrong method) are raised before the session is read, so who is signed in is
    looked up here, when the page is sent (the exception handler itself cannot wait)."""

    def to_asgi_response(self, app: Any, request: Request[Any, Any, Any], **kwargs: Any) -> Any:
        async def send_page(scope: Scope, receive: Receive, send: Send) -> None:
            if self.context.get("me") is None:
                me = self.context["me"] = await _signed_in(request)
                if me is not None and locale_of(request, me) != i18n.current_locale():
                    # The page speaks the signed-in person's language, now that we know who they are.
                    i18n.set_locale(locale_of(request, me))
                    self.context["title"] = _(TITLES.get(self.status_code or 500, "Error"))
            await Template.to_asgi_response(self, app, request, **kwargs)(scope, receive, send)

        return send_page


async def _signed_in(request: Request[Any, Any, Any]) -> Any:
    lookup: SignedIn | None = getattr(request.app.state, "signed_in", None)
    if lookup is None or not request.cookies:
        return None
    try:
        return await lookup(request)
    except Exception:  # the page says what went wrong either way; the header is a courtesy
        request.logger.warning("error page: could not read who is signed in", exc_info=True)
        return None


def page(request: Request[Any, Any, Any], status: int, detail: str) -> Template:
    # Routing errors are raised before the session middleware runs; the layout still asks for
    # flash messages, so it gets an empty session to read.
    request.scope.setdefault("session", {})
    # A routing error comes before the request's language was chosen: choose it now.
    i18n.set_locale(locale_of(request, actor_of(request)))
    return ErrorPage(
        "errors/error.html",
        context={
            "me": actor_of(request),
            "status": status,
            "title": _(TITLES.get(status, "Error")),
            "detail": _said_once(status, detail),
        },
        status_code=status,
        media_type=MediaType.HTML,
    )


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if exc.status_code == 500:
        detail = _("Please try again. If it keeps happening, tell your administrator.")
    if isinstance(exc, NotAuthorizedException) and not wants_json(request):
        target = "/login?next=" + quote(request.url.path)
        if request.headers.get("hx-request"):
            return Response(None, status_code=401, headers={"HX-Redirect": target})
        return Redirect(target, status_code=HTTP_303_SEE_OTHER)
    if wants_json(request):
        extra = {"errors": exc.extra} if isinstance(exc.extra, (dict, list)) and exc.extra else {}
        return problem(exc.status_code, detail, **extra)
    return page(request, exc.status_code, detail)


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    request.logger.exception("unhandled error on %s %s", request.method, request.url.path)
    detail = _("Please try again. If it keeps happening, tell your administrator.")
    if wants_json(request):
        return problem(HTTP_500_INTERNAL_SERVER_ERROR, detail)
    return page(request, HTTP_500_INTERNAL_SERVER_ERROR, detail)


def redis_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Redis out of reach under a request that cannot do without it: a 503 that says so, never a
    stack trace. (Sessions and writes do not need Redis; this is the net under anything that does.)"""
    request.logger.warning("Redis out of reach on %s %s: %s", request.method, request.url.path, exc)
    detail = _("Boardroom is reconnecting, try again in a moment.")
    response: Response[Any] = (
        problem(HTTP_503_SERVICE_UNAVAILABLE, detail)
        if wants_json(request)
        else page(request, HTTP_503_SERVICE_UNAVAILABLE, detail)
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
