"""How errors reach people: an HTML page for the browser, a problem detail (RFC 9457) for the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_500_INTERNAL_SERVER_ERROR

from server.kernel.i18n import _
from server.kernel.web import actor_of

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
}


def wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def problem(status: int, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    body = {"type": "about:blank", "title": _(TITLES.get(status, "Error")), "status": status, "detail": detail, **extra}
    return Response(body, status_code=status, media_type="application/problem+json")


def page(request: Request[Any, Any, Any], status: int, detail: str) -> Template:
    # Routing errors (an unknown path, a malformed id, a wrong method) are raised before the session
    # middleware runs; the layout still asks for flash messages, so it gets an empty session to read.
    request.scope.setdefault("session", {})
    return Template(
        "errors/error.html",
        context={"me": actor_of(request), "status": status, "title": _(TITLES.get(status, "Error")), "detail": detail},
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
