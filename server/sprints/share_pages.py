"""Share links: a read-only link to a project's current weekly plan for people without a login.

An admin makes one (optional password, optional last day), sees it once in full (only its sha256 is
kept, like API tokens), and may revoke it. The public page shows exactly what a client user sees of
the plan; a wrong, expired or revoked link is a plain 404 that does not say which. Every view is
logged. A visitor who typed the right password keeps a signed, httponly cookie for that link."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.accounts.auth import LoginThrottle
from server.boards.store import ensure_sprints, sprint_of_week
from server.kernel.access import admin_only, not_found, project_for
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.passwords import verify_password
from server.kernel.web import me_of, render, see_other, today_of, tz_of
from server.rules.weeks import monday_of
from server.sprints import share_writes
from server.sprints.review_store import review_of
from server.sprints.schemas import read_share_link
from server.sprints.share_store import link_row, links_of, live_link, recent_views

PRIVATE = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store"}


def unlock_cookie_name(link: dict[str, Any]) -> str:
    return f"boardroom_share_{link['id']}"


def unlock_value(secret: str, link: dict[str, Any]) -> str:
    """Signed with the app's secret over the link and its password hash: a new password locks again."""
    message = f"{link['id']}:{link['password_hash']}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def unlocked(request: Request[Any, Any, Any], link: dict[str, Any]) -> bool:
    if not link["password_hash"]:
        return True
    given = request.cookies.get(unlock_cookie_name(link), "")
    return hmac.compare_digest(given, unlock_value(request.app.state.settings.secret_key, link))


def private(response: Template) -> Template:
    response.headers.update(PRIVATE)
    return response


# ---- the admin's links ---------------------------------------------------------------------


async def links_page(
    request: Request[Any, Any, Any], project: dict[str, Any], today: date, status: int = 200, **extra: Any
) -> Template:
    context = {"form": {}, "errors": {}, "new_url": None, **extra}
    return render(
        request,
        "share/links.html",
        status_code=status,
        nav="projects",
        project=project,
        links=await links_of(project["id"], today),
        views=await recent_views(project["id"]),
        **context,
    )


@get("/projects/{project_id:int}/share-links", guards=[admin_only], name="share-links")
async def share_links(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template:
    project = await project_for(me_of(request), project_id)
    return await links_page(request, project, today_of(request))


@post("/projects/{project_id:int}/share-links", guards=[admin_only], status_code=200)
async def create_link(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template:
    me = me_of(request)
    project = await project_for(me, project_id, write=True)
    today = today_of(request)
    form = Form(await request.form())
    data = read_share_link(form, today)
    if not form.ok:
        return await links_page(request, project, today, 422, form=dict(form.raw), errors=form.errors)
    token = await share_writes.create_link(project_id, data, me)
    url = f"{request.base_url}".rstrip("/") + f"/share/{token}"
    return await links_page(request, project, today, new_url=url)


@post("/share-links/{link_id:int}/revoke", guards=[admin_only])
async def revoke_link(request: Request[Any, Any, Any], link_id: FromPath[int]) -> Redirect:
    link = await link_row(link_id)
    if link is None:
        raise not_found()
    await project_for(me_of(request), link["project"], write=True)
    await share_writes.revoke(link)
    return see_other(f"/projects/{link['project']}/share-links")


# ---- the public page -------------------------------------------------------------------------


async def shared_plan(request: Request[Any, Any, Any], link: dict[str, Any], today: date) -> Template:
    project = link["project_row"]
    await ensure_sprints(project["id"], today)
    sprint = await sprint_of_week(project["id"], monday_of(today))
    if sprint is None:
        raise not_found()
    review = await review_of(project, sprint, client_view=True, tz=tz_of(request))
    review.comments, review.history = [], []  # the plan only: conversations are for signed-in people
    ip = request.client.host if request.client else ""
    await share_writes.log_view(link["id"], ip, request.headers.get("user-agent", ""))
    return private(render(request, "share/view.html", review=review, link=link))


@get("/share/{token:str}", exclude_from_auth=True, name="share")
async def share_page(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    today = today_of(request)
    link = await live_link(token, today)
    if link is None:
        raise not_found()
    if not unlocked(request, link):
        return private(render(request, "share/password.html", token=token, errors={}))
    return await shared_plan(request, link, today)


def password_page(request: Request[Any, Any, Any], token: str, status: int, message: str) -> Template:
    errors = {"password": message}
    return private(render(request, "share/password.html", status_code=status, token=token, errors=errors))


@post("/share/{token:str}", exclude_from_auth=True, status_code=200)
async def unlock(request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any] | Template:
    link = await live_link(token, today_of(request))
    if link is None:
        raise not_found()
    password = Form(await request.form()).value("password")
    # The login's throttle, counted per link and address and per link alone (whatever address the
    # guesses come from): a link's password cannot be guessed at speed.
    throttle = LoginThrottle(request.app.stores.get("limits"))
    who, ip = f"share-link-{link['id']}", request.client.host if request.client else "unknown"
    if link["password_hash"] and (wait := await throttle.retry_after(who, ip)):
        message = _("Too many failed attempts. Try again in %(n)s minutes.", n=max(1, round(wait / 60)))
        return password_page(request, token, 429, message)
    if link["password_hash"] and not verify_password(link["password_hash"], password):
        await throttle.failed(who, ip)
        message = _("This field is required.") if not password else _("That password is not right.")
        return password_page(request, token, 422, message)
    await throttle.succeeded(who, ip)
    redirect = see_other(f"/share/{token}")
    if link["password_hash"]:
        redirect.cookies.append(unlock_cookie(request, link, token))
    return redirect


def unlock_cookie(request: Request[Any, Any, Any], link: dict[str, Any], token: str) -> Cookie:
    """The visitor's proof of the password, for this link's page only, for 12 hours."""
    settings = request.app.state.settings
    return Cookie(
        key=unlock_cookie_name(link),
        value=unlock_value(settings.secret_key, link),
        path=f"/share/{token}",
        httponly=True,
        samesite="lax",
        secure=bool(settings.secure_cookies),
        max_age=12 * 3600,
    )


ROUTES = [share_links, create_link, revoke_link, share_page, unlock]
