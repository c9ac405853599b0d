"""Share links: a read-only link to a project's current weekly plan for people without a login.

An admin makes one (optional password, optional last day), sees it once in full (only its sha256 is
kept, like API tokens), and may revoke it. The public page shows exactly what a client user sees of
the plan; a wrong, expired or revoked link is a plain 404 that does not say which. Every view is
logged. A visitor who typed the right password keeps a signed, httponly cookie for that link."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, date, datetime
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
from server.kernel.passwords import MAX_LENGTH, hash_password, verify_password
from server.kernel.web import me_of, render, see_other, tz_of
from server.rules.weeks import local_day, monday_of
from server.sprints.review_store import review_of
from server.tables import Project, ShareLink, ShareView

MAX_TOKEN_LENGTH = 100
MIN_PASSWORD = 8
PRIVATE = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store"}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def today_of(request: Request[Any, Any, Any]) -> date:
    return local_day(datetime.now(UTC), tz_of(request))


def link_state(link: dict[str, Any], today: date) -> str:
    if link["revoked_at"] is not None:
        return "revoked"
    if link["expires_on"] is not None and link["expires_on"] < today:
        return "expired"
    return "active"


async def live_link(token: str, today: date) -> dict[str, Any] | None:
    """The link behind a token if it still works and its project is still shared, else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    link = await ShareLink.select().where(ShareLink.token_hash == token_hash(token)).first()
    if link is None or link_state(link, today) != "active":
        return None
    project = await Project.select().where(Project.id == link["project"]).first()
    if project is None or project["archived"]:
        return None
    return {**link, "project_row": project}


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


async def log_view(request: Request[Any, Any, Any], link_id: int) -> None:
    ip = request.client.host if request.client else ""
    await ShareView.insert(ShareView(link=link_id, ip=ip[:64], user_agent=request.headers.get("user-agent", "")[:300]))
    await ShareLink.update(
        {ShareLink.view_count: ShareLink.view_count + 1, ShareLink.last_viewed_at: datetime.now(UTC)}
    ).where(ShareLink.id == link_id)


def private(response: Template) -> Template:
    response.headers.update(PRIVATE)
    return response


# ---- the admin's links ---------------------------------------------------------------------


async def links_page(
    request: Request[Any, Any, Any], project: dict[str, Any], status: int = 200, **extra: Any
) -> Template:
    links = await (
        ShareLink.select(*ShareLink.all_columns(), ShareLink.created_by.name.as_alias("created_by_name"))
        .where(ShareLink.project == project["id"])
        .order_by(ShareLink.created_at, ascending=False)
        .order_by(ShareLink.id, ascending=False)
    )
    today = today_of(request)
    for link in links:
        link["state"] = link_state(link, today)
        link["has_password"] = bool(link.pop("password_hash"))
        link.pop("token_hash")
    views = await (
        ShareView.select(ShareView.at, ShareView.ip, ShareView.user_agent, ShareView.link.label.as_alias("label"))
        .where(ShareView.link.project == project["id"])
        .order_by(ShareView.at, ascending=False)
        .limit(20)
    )
    context = {"form": {}, "errors": {}, "new_url": None, **extra}
    return render(
        request,
        "share/links.html",
        status_code=status,
        nav="projects",
        project=project,
        links=links,
        views=views,
        **context,
    )


@get("/projects/{project_id:int}/share-links", guards=[admin_only], name="share-links")
async def share_links(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template:
    project = await project_for(me_of(request), project_id)
    return await links_page(request, project)


@post("/projects/{project_id:int}/share-links", guards=[admin_only], status_code=200)
async def create_link(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template:
    me = me_of(request)
    project = await project_for(me, project_id, write=True)
    form = Form(await request.form())
    label = form.text("label", max_length=100)
    password = form.value("password")
    if password and not MIN_PASSWORD <= len(password) <= MAX_LENGTH:
        form.error("password", _("Use %(lo)s to %(hi)s characters, or leave it empty.", lo=MIN_PASSWORD, hi=MAX_LENGTH))
    expires_on = last_day(form, today_of(request))
    if not form.ok:
        return await links_page(request, project, 422, form=dict(form.raw), errors=form.errors)
    token = new_token()
    await ShareLink.insert(
        ShareLink(
            project=project_id,
            label=label,
            token_hash=token_hash(token),
            password_hash=hash_password(password) if password else "",
            expires_on=expires_on,
            created_by=me.id,
        )
    )
    url = f"{request.base_url}".rstrip("/") + f"/share/{token}"
    return await links_page(request, project, new_url=url)


def last_day(form: Form, today: date) -> date | None:
    value = form.value("expires_on")
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        form.error("expires_on", _("Enter a date like 2026-12-31."))
        return None
    if day < today:
        form.error("expires_on", _("Choose today or a later day."))
        return None
    if day.year > 2100:
        form.error("expires_on", _("Enter a date between 2000 and 2100."))
        return None
    return day


@post("/share-links/{link_id:int}/revoke", guards=[admin_only])
async def revoke_link(request: Request[Any, Any, Any], link_id: FromPath[int]) -> Redirect:
    link = (
        await ShareLink.select(ShareLink.id, ShareLink.project, ShareLink.revoked_at)
        .where(ShareLink.id == link_id)
        .first()
    )
    if link is None:
        raise not_found()
    await project_for(me_of(request), link["project"], write=True)
    if link["revoked_at"] is None:
        await ShareLink.update({ShareLink.revoked_at: datetime.now(UTC)}).where(ShareLink.id == link_id)
    return see_other(f"/projects/{link['project']}/share-links")


# ---- the public page -------------------------------------------------------------------------


async def shared_plan(request: Request[Any, Any, Any], link: dict[str, Any]) -> Template:
    project = link["project_row"]
    today = today_of(request)
    await ensure_sprints(project["id"], today)
    sprint = await sprint_of_week(project["id"], monday_of(today))
    if sprint is None:
        raise not_found()
    review = await review_of(project, sprint, client_view=True, tz=tz_of(request))
    review.comments, review.history = [], []  # the plan only: conversations are for signed-in people
    await log_view(request, link["id"])
    return private(render(request, "share/view.html", review=review, link=link))


@get("/share/{token:str}", exclude_from_auth=True, name="share")
async def share_page(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    link = await live_link(token, today_of(request))
    if link is None:
        raise not_found()
    if not unlocked(request, link):
        return private(render(request, "share/password.html", token=token, errors={}))
    return await shared_plan(request, link)


@post("/share/{token:str}", exclude_from_auth=True, status_code=200)
async def unlock(request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any] | Template:
    link = await live_link(token, today_of(request))
    if link is None:
        raise not_found()
    form = Form(await request.form())
    password = form.value("password")
    # The login's throttle, counted per link and address: a link's password cannot be guessed at speed.
    throttle = LoginThrottle(request.app.stores.get("limits"))
    who, ip = f"share-link-{link['id']}", request.client.host if request.client else "unknown"
    if link["password_hash"] and (wait := await throttle.retry_after(who, ip)):
        message = _("Too many failed attempts. Try again in %(n)s minutes.", n=max(1, round(wait / 60)))
        return private(
            render(request, "share/password.html", status_code=429, token=token, errors={"password": message})
        )
    if link["password_hash"] and not verify_password(link["password_hash"], password):
        await throttle.failed(who, ip)
        message = _("This field is required.") if not password else _("That password is not right.")
        return private(
            render(request, "share/password.html", status_code=422, token=token, errors={"password": message})
        )
    await throttle.succeeded(who, ip)
    redirect = see_other(f"/share/{token}")
    if link["password_hash"]:
        redirect.cookies.append(
            Cookie(
                key=unlock_cookie_name(link),
                value=unlock_value(request.app.state.settings.secret_key, link),
                path=f"/share/{token}",
                httponly=True,
                samesite="lax",
                secure=bool(request.app.state.settings.secure_cookies),
                max_age=12 * 3600,
            )
        )
    return redirect


ROUTES = [share_links, create_link, revoke_link, share_page, unlock]
