"""The admin's user pages: create, edit, deactivate and reset the password of a user."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.kernel.access import admin_only, user_for
from server.kernel.db import is_unique_violation, values_of
from server.kernel.forms import Form
from server.kernel.i18n import SUPPORTED, _
from server.kernel.passwords import MAX_LENGTH, MIN_LENGTH, hash_password
from server.kernel.web import actor_of, me_of, notice, render, see_other
from server.rules.policy import Role
from server.tables import Client, User


@dataclass
class UserInput:
    email: str
    name: str
    role: str
    client: int | None
    hourly_rate: Decimal | None
    locale: str


def read_password(form: Form, name: str = "password") -> str:
    """A new password exactly as typed: spaces at either end are part of it, as they are at login."""
    raw = form.raw.get(name, "")
    password = raw if isinstance(raw, str) else ""
    if not password.strip():
        form.error(name, _("This field is required."))
    elif len(password) < MIN_LENGTH:
        form.error(name, _("Use at least %(n)s characters.", n=MIN_LENGTH))
    elif len(password) > MAX_LENGTH:
        form.error(name, _("Use at most %(n)s characters.", n=MAX_LENGTH))
    return password


async def read_user_form(form: Form, *, user_id: int | None = None) -> UserInput:
    data = UserInput(
        email=form.email("email"),
        name=form.text("name", max_length=100),
        role=form.choice("role", [r.value for r in Role]),
        client=form.id("client", required=form.value("role") == Role.CLIENT),
        hourly_rate=form.money("hourly_rate"),
        locale=form.choice("locale", SUPPORTED),
    )
    if data.role != Role.CLIENT:
        data.client = None
    elif data.client is not None and not await Client.exists().where(Client.id == data.client):
        form.error("client", _("Choose one of the options."))
    if data.email and "email" not in form.errors:
        same = User.select(User.id).where(User.email == data.email)
        if user_id is not None:
            same = same.where(User.id != user_id)
        if await same.first():
            form.error("email", _("Another user already has this email address."))
    return data


class UserAdmin(Controller):
    path = "/admin/users"
    guards = [admin_only]

    async def _form_page(
        self,
        request: Request[Any, Any, Any],
        *,
        user: dict[str, Any] | None,
        form: dict[str, Any],
        errors: dict[str, str],
        status: int = 200,
    ) -> Template:
        clients = await Client.select(Client.id, Client.name).where(Client.archived.eq(False)).order_by(Client.name)
        return render(
            request,
            "admin/user_form.html",
            status_code=status,
            user=user,
            form=form,
            errors=errors,
            client_options=[(c["id"], c["name"]) for c in clients],
        )

    @get("/", name="admin-users")
    async def index(self, request: Request[Any, Any, Any]) -> Template:
        users = (
            await User.select(
                User.id, User.email, User.name, User.role, User.active, User.hourly_rate, User.client.name
            )
            .order_by(User.active, ascending=False)
            .order_by(User.name)
        )
        return render(request, "admin/users.html", users=users)

    @get("/new")
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        return await self._form_page(request, user=None, form={"role": "member", "locale": "en"}, errors={})

    @post("/", status_code=200)
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = Form(await request.form())
        data = await read_user_form(form)
        password = read_password(form)
        if form.ok:
            try:
                await User.insert(User(**values_of(data), password_hash=hash_password(password)))
            except Exception as error:
                if not is_unique_violation(error):
                    raise
                form.error("email", _("Another user already has this email address."))
        if not form.ok:
            return await self._form_page(request, user=None, form=dict(form.raw), errors=form.errors, status=422)
        notice(request, _("%(name)s can now sign in.", name=data.name))
        return see_other("/admin/users")

    @get("/{user_id:int}")
    async def edit(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Template:
        user = await user_for(me_of(request), user_id)
        form = {**user, "hourly_rate": user["hourly_rate"] or ""}
        return await self._form_page(request, user=user, form=form, errors={})

    @post("/{user_id:int}", status_code=200)
    async def update(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Template | Redirect:
        user = await user_for(me_of(request), user_id)
        form = Form(await request.form())
        data = await read_user_form(form, user_id=user_id)
        me = actor_of(request)
        if me is not None and me.id == user_id and data.role != Role.ADMIN:
            form.error("role", _("You cannot take away your own admin role."))
        if form.ok:
            try:
                await User.update(values_of(data)).where(User.id == user_id)
            except Exception as error:
                if not is_unique_violation(error):
                    raise
                form.error("email", _("Another user already has this email address."))
        if not form.ok:
            return await self._form_page(request, user=user, form=dict(form.raw), errors=form.errors, status=422)
        notice(request, _("Saved."))
        return see_other("/admin/users")

    @post("/{user_id:int}/active", status_code=200)
    async def set_active(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Redirect:
        await user_for(me_of(request), user_id)
        form = Form(await request.form())
        active = form.boolean("active")
        me = actor_of(request)
        if me is not None and me.id == user_id and not active:
            notice(request, _("You cannot deactivate yourself."), "error")
            return see_other(f"/admin/users/{user_id}")
        changes: dict[Any, Any] = {User.active: active}
        if not active:
            changes[User.session_epoch] = User.session_epoch + 1  # their sessions end for good
        await User.update(changes).where(User.id == user_id)
        notice(request, _("Reactivated.") if active else _("Deactivated: this user can no longer sign in."))
        return see_other("/admin/users")

    @post("/{user_id:int}/password", status_code=200)
    async def reset_password(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Template | Redirect:
        user = await user_for(me_of(request), user_id)
        form = Form(await request.form())
        password = read_password(form)
        if not form.ok:
            errors = {"reset_password": form.errors["password"]}
            form_values = {**user, "hourly_rate": user["hourly_rate"] or ""}
            return await self._form_page(request, user=user, form=form_values, errors=errors, status=422)
        # A new hash changes the session stamp, so the user's existing sessions end.
        await User.update({User.password_hash: hash_password(password)}).where(User.id == user_id)
        notice(request, _("Password reset. Tell %(name)s the new password in person or by phone.", name=user["name"]))
        return see_other(f"/admin/users/{user_id}")


ROUTES = [UserAdmin]
