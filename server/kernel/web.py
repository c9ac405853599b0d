"""Rendering helpers shared by every feature: pages, partials, redirects, flashes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from litestar import Request, Response
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from server.kernel import i18n
from server.kernel.templating import render_fragment
from server.rules.policy import Actor
from server.rules.weeks import local_day

HTML = "text/html; charset=utf-8"
# The language a browser chose from a language menu (before signing in, or on any device).
LANGUAGE_COOKIE = "boardroom_lang"


def actor_of(request: Request[Any, Any, Any]) -> Actor | None:
    user = request.scope.get("user")
    return user if isinstance(user, Actor) else None


def me_of(request: Request[Any, Any, Any]) -> Actor:
    """The signed-in user, on routes that require one (the auth middleware saw to it)."""
    me = actor_of(request)
    assert me is not None, "route requires a signed-in user"
    return me


def locale_of(request: Request[Any, Any, Any], me: Actor | None) -> str:
    """The language to answer in: the person's saved choice, else this browser's choice (the
    language menu's cookie), else the browser's Accept-Language, else English."""
    preferred = me.locale if me is not None else request.cookies.get(LANGUAGE_COOKIE)
    return i18n.negotiate(request.headers.get("accept-language"), preferred)


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    """An htmx request that wants a fragment, not a boosted page load."""
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


def render(request: Request[Any, Any, Any], template: str, status_code: int = 200, **context: Any) -> Template:
    return Template(
        template_name=template,
        context={"me": actor_of(request), **context},
        status_code=status_code,
    )


def see_other(url: str) -> Redirect:
    """Redirect after a successful POST, so a reload does not submit again."""
    return Redirect(path=url, status_code=HTTP_303_SEE_OTHER)


def notice(request: Request[Any, Any, Any], message: str, category: str = "success") -> None:
    flash(request, message, category=category)


def tz_of(request: Request[Any, Any, Any]) -> str:
    """The agency's time zone, in which weeks and days are counted (settings, read once)."""
    return str(request.app.state.settings.timezone)


def today_of(request: Request[Any, Any, Any]) -> date:
    """The agency's today (its time zone's date), which weeks, periods and due dates count from."""
    return local_day(datetime.now(UTC), tz_of(request))


def fragment_response(html: str, status: int = 200, toast: str | None = None) -> Response[str]:
    """An htmx answer: fragments to swap, and optionally a toast for the person who acted."""
    if toast:
        html += render_fragment("boards/_toast.html", message=toast)
    return Response(html, status_code=status, media_type=HTML)
