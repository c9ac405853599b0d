"""Where a signed-in person lands, login, logout and the signed-in user's own profile."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from server.accounts.auth import LoginThrottle, retrieve_user
from server.accounts.schemas import read_password, safe_next, typed
from server.accounts.sessions import password_stamp, rotate_session
from server.accounts.store import password_hash_of, user_by_email
from server.accounts.writes import set_language, set_password
from server.kernel.forms import Form
from server.kernel.i18n import NAMES, _, adopted_language
from server.kernel.passwords import needs_rehash, verify_password
from server.kernel.revocations import revoke, revoke_after
from server.kernel.web import LANGUAGE_COOKIE, actor_of, me_of, notice, render, see_other

LANGUAGE_COOKIE_DAYS = 365


def _client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


@get("/", name="home")
async def home(request: Request[Any, Any, Any]) -> Redirect:
    """A client's people land on their portal; the agency's on My work (their cards across projects)."""
    me = actor_of(request)
    return see_other("/portal" if me is not None and me.is_client else "/me")


@get("/login", name="login", exclude_from_auth=True)
async def login_page(request: Request[Any, Any, Any], next: FromQuery[str] = "/") -> Template | Redirect:
    # This route is excluded from auth, so no user is in scope: ask the session ourselves.
    if await retrieve_user(request.session, request) is not None:
        return see_other(safe_next(next))
    return render(request, "accounts/login.html", form={}, errors={}, next=safe_next(next))


@post("/login", exclude_from_auth=True, status_code=200)
async def login(request: Request[Any, Any, Any]) -> Template | Redirect:
    form = Form(await request.form())
    email = form.value("email").lower()
    password = typed(form, "password")
    target = safe_next(form.value("next") or "/")
    throttle = LoginThrottle(request.app.stores.get("limits"))
    ip = _client_ip(request)

    def again(message: str, status: int) -> Template:
        return render(
            request,
            "accounts/login.html",
            status_code=status,
            form={"email": email},
            errors={"form": message},
            next=target,
        )

    if wait := await throttle.retry_after(email, ip):
        minutes = max(1, round(wait / 60))
        return again(_("Too many failed attempts. Try again in %(n)s minutes.", n=minutes), 429)
    row = await user_by_email(email) if email else None
    if row is not None and not row["active"]:
        row = None  # a deactivated account answers exactly as an unknown one
    # One hash check on every path: an unknown address answers as slowly as a wrong password.
    if not verify_password(row["password_hash"] if row else None, password) or row is None:
        await throttle.failed(email, ip)
        return again(_("That email and password do not match an active account."), 422)

    await throttle.succeeded(email, ip)
    if needs_rehash(row["password_hash"]):
        stamp = await set_password(row["id"], password, keep_tokens=True)
        revoke(request, users=[row["id"]])  # a new hash ends the person's other sessions
    else:
        stamp = password_stamp(row["password_hash"], row["session_epoch"])
    if language := adopted_language(row["locale"], request.cookies.get(LANGUAGE_COOKIE)):
        await set_language(row["id"], language)  # the sign-in page's menu, now the person's own choice
    request.clear_session()
    request.set_session({"uid": row["id"], "pw": stamp})
    rotate_session(request)
    return see_other(target)


@post("/logout", status_code=200)
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    me = me_of(request)
    request.clear_session()
    # The session's row is deleted as the answer goes out: its open sockets re-check after that.
    return revoke_after(see_other("/login"), request, users=[me.id])


@get("/profile", name="profile")
async def profile_page(request: Request[Any, Any, Any]) -> Template:
    return render(request, "accounts/profile.html", errors={})


@post("/profile/password", status_code=200)
async def change_password(request: Request[Any, Any, Any]) -> Template | Redirect:
    me = me_of(request)
    form = Form(await request.form())
    current = typed(form, "current_password")
    new = read_password(form, "new_password")
    if not verify_password(await password_hash_of(me.id), current):
        form.error("current_password", _("That is not your current password."))
    if not form.ok:
        return render(request, "accounts/profile.html", status_code=422, errors=form.errors)
    # Other sessions of this user stop working; this one carries on with the new stamp.
    request.set_session({"uid": me.id, "pw": await set_password(me.id, new)})
    rotate_session(request)
    revoke(request, users=[me.id])  # every socket opened under the old password closes
    notice(request, _("Your password was changed. Your other sessions and your API tokens have ended."))
    return see_other("/profile")


@post("/language", exclude_from_auth=True, status_code=200)
async def choose_language(request: Request[Any, Any, Any]) -> Redirect:
    """The language menu (header and sign-in page), for visitors too: the choice is kept in a cookie
    on this browser and, for a signed-in person, on their account; then back to the same page."""
    form = Form(await request.form())
    language = form.value("language")
    if language not in NAMES:
        raise HTTPException(status_code=422, detail=_("Choose one of the languages in the menu."))
    me = await retrieve_user(request.session, request)
    if me is not None:
        await set_language(me.id, language)
    answer = see_other(safe_next(form.value("next") or "/"))
    answer.cookies.append(
        Cookie(
            key=LANGUAGE_COOKIE,
            value=language,
            max_age=LANGUAGE_COOKIE_DAYS * 24 * 3600,
            path="/",
            samesite="lax",
            httponly=True,
            secure=request.app.state.settings.secure_cookies,
        )
    )
    return answer


ROUTES = [home, login_page, login, logout, profile_page, change_password, choose_language]
