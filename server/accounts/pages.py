"""Login, logout and the signed-in user's own profile."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from server.accounts.auth import LoginThrottle, retrieve_user
from server.accounts.sessions import password_stamp, rotate_session
from server.accounts.user_pages import read_password
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.passwords import hash_password, needs_rehash, verify_password
from server.kernel.web import actor_of, notice, render, see_other
from server.tables import User


def _safe_next(target: str) -> str:
    """Only same-site paths: an open redirect would help phishing. Browsers drop tabs and newlines
    from a URL ("/\t/evil.test" is "//evil.test"), so no whitespace or control character passes."""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and all(ord(c) > 0x20 and c != "\x7f" for c in target)
    ):
        return target
    return "/"


def _typed(form: Form, name: str) -> str:
    """A password field as typed, unstripped; anything but text (a file upload) is empty."""
    raw = form.raw.get(name, "")
    return raw if isinstance(raw, str) else ""


def _client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


@get("/login", name="login", exclude_from_auth=True)
async def login_page(request: Request[Any, Any, Any], next: FromQuery[str] = "/") -> Template | Redirect:
    # This route is excluded from auth, so no user is in scope: ask the session ourselves.
    if await retrieve_user(request.session, request) is not None:
        return see_other(_safe_next(next))
    return render(request, "accounts/login.html", form={}, errors={}, next=_safe_next(next))


@post("/login", exclude_from_auth=True, status_code=200)
async def login(request: Request[Any, Any, Any]) -> Template | Redirect:
    form = Form(await request.form())
    email = form.value("email").lower()
    password = _typed(form, "password")
    target = _safe_next(form.value("next") or "/")
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
    row = await User.select().where(User.email == email).first() if email else None
    if row is not None and not row["active"]:
        row = None  # a deactivated account answers exactly as an unknown one
    # One hash check on every path: an unknown address answers as slowly as a wrong password.
    if not verify_password(row["password_hash"] if row else None, password) or row is None:
        await throttle.failed(email, ip)
        return again(_("That email and password do not match an active account."), 422)

    await throttle.succeeded(email, ip)
    if needs_rehash(row["password_hash"]):
        row["password_hash"] = hash_password(password)
        await User.update({User.password_hash: row["password_hash"]}).where(User.id == row["id"])
    request.clear_session()
    request.set_session({"uid": row["id"], "pw": password_stamp(row["password_hash"], row["session_epoch"])})
    rotate_session(request)
    return see_other(target)


@post("/logout", status_code=200)
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    request.clear_session()
    return see_other("/login")


@get("/profile", name="profile")
async def profile_page(request: Request[Any, Any, Any]) -> Template:
    return render(request, "accounts/profile.html", errors={})


@post("/profile/password", status_code=200)
async def change_password(request: Request[Any, Any, Any]) -> Template | Redirect:
    me = actor_of(request)
    assert me is not None
    form = Form(await request.form())
    current = _typed(form, "current_password")
    new = read_password(form, "new_password")
    row = await User.select(User.password_hash).where(User.id == me.id).first()
    if row is None or not verify_password(row["password_hash"], current):
        form.error("current_password", _("That is not your current password."))
    if not form.ok:
        return render(request, "accounts/profile.html", status_code=422, errors=form.errors)
    new_hash = hash_password(new)
    await User.update({User.password_hash: new_hash}).where(User.id == me.id)
    # Other sessions of this user stop working; this one carries on with the new stamp.
    epoch = await User.select(User.session_epoch).where(User.id == me.id).first()
    request.set_session({"uid": me.id, "pw": password_stamp(new_hash, epoch["session_epoch"] if epoch else 0)})
    rotate_session(request)
    notice(request, _("Your password was changed."))
    return see_other("/profile")


ROUTES = [login_page, login, logout, profile_page, change_password]
