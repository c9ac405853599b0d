"""The admin's user pages: create, edit, deactivate and reset the password of a user."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.accounts.schemas import email_taken, read_cost_rate, read_password, read_user_form
from server.accounts.store import all_users, client_currencies, client_options
from server.accounts.writes import create_user, set_cost_rate, set_password, set_user_active, update_user
from server.kernel.access import admin_only, user_for
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.revocations import revoke
from server.kernel.web import is_htmx, me_of, notice, render, see_other
from server.rules.policy import Role


def _form_values(user: dict[str, Any]) -> dict[str, Any]:
    return {**user, "hourly_rate": user["hourly_rate"] or ""}


def _cost_values(user: dict[str, Any], currencies: list[str]) -> dict[str, Any]:
    """The cost rate as its form shows it; without one, the currency the agency bills in (if one)."""
    currency = user["cost_currency"] or (currencies[0] if currencies else "EUR")
    return {"cost_rate": "" if user["cost_rate"] is None else user["cost_rate"], "cost_currency": currency}


async def cost_context(user: dict[str, Any], form: dict[str, Any] | None, errors: dict[str, str]) -> dict[str, Any]:
    """The cost rate panel of a person's admin page: the clients' currencies and the person's own."""
    currencies = await client_currencies()
    values = form if form is not None else _cost_values(user, currencies)
    chosen = str(values.get("cost_currency") or "").upper()
    options = sorted({*currencies, *([user["cost_currency"]] if user["cost_currency"] else [])})
    if chosen and chosen not in options and len(chosen) == 3 and chosen.isalpha():
        options.append(chosen)  # typed by hand (or refused): shown as sent
    return {"cost_form": values, "cost_errors": errors, "cost_currencies": options}


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
        cost_form: dict[str, Any] | None = None,
        cost_errors: dict[str, str] | None = None,
    ) -> Template:
        cost = await cost_context(user, cost_form, cost_errors or {}) if user is not None else {}
        return render(
            request,
            "admin/user_form.html",
            status_code=status,
            form=form,
            errors=errors,
            client_options=await client_options(),
            user=user,
            **cost,
        )

    @get("/", name="admin-users")
    async def index(self, request: Request[Any, Any, Any]) -> Template:
        return render(request, "admin/users.html", users=await all_users(), currencies=await client_currencies())

    @get("/new")
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        return await self._form_page(request, user=None, form={"role": "member", "locale": "en"}, errors={})

    @post("/", status_code=200)
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = Form(await request.form())
        data = await read_user_form(form)
        password = read_password(form)
        if form.ok and not await create_user(data, password):
            email_taken(form)
        if not form.ok:
            return await self._form_page(request, user=None, form=dict(form.raw), errors=form.errors, status=422)
        notice(request, _("%(name)s can now sign in.", name=data.name))
        return see_other("/admin/users")

    @get("/{user_id:int}")
    async def edit(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Template:
        user = await user_for(me_of(request), user_id)
        return await self._form_page(request, user=user, form=_form_values(user), errors={})

    @post("/{user_id:int}", status_code=200)
    async def update(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Template | Redirect:
        me = me_of(request)
        user = await user_for(me, user_id)
        form = Form(await request.form())
        data = await read_user_form(form, user_id=user_id)
        if me.id == user_id and data.role != Role.ADMIN:
            form.error("role", _("You cannot take away your own admin role."))
        if form.ok and not await update_user(user_id, data):
            email_taken(form)
        if not form.ok:
            return await self._form_page(request, user=user, form=dict(form.raw), errors=form.errors, status=422)
        revoke(request, users=[user_id])  # a new role or client may take boards away from their open sockets
        notice(request, _("Saved."))
        return see_other("/admin/users")

    @post("/{user_id:int}/active", status_code=200)
    async def set_active(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Redirect:
        me = me_of(request)
        await user_for(me, user_id)
        active = Form(await request.form()).boolean("active")
        if me.id == user_id and not active:
            notice(request, _("You cannot deactivate yourself."), "error")
            return see_other(f"/admin/users/{user_id}")
        await set_user_active(user_id, active)
        if not active:
            revoke(request, users=[user_id])  # their open sockets close
        notice(request, _("Reactivated.") if active else _("Deactivated: this user can no longer sign in."))
        return see_other("/admin/users")

    @post("/{user_id:int}/cost", status_code=200)
    async def set_cost(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Template | Redirect:
        """What an hour of this person costs the agency; the panel again to htmx, saved or with its error."""
        user = await user_for(me_of(request), user_id)
        form = Form(await request.form())
        data = read_cost_rate(form)
        if user["role"] == Role.CLIENT:
            form.error("cost_rate", _("Only the agency's people have a cost rate."))
        if form.ok:
            await set_cost_rate(user_id, data)
            user = {**user, "cost_rate": data.cost_rate, "cost_currency": data.cost_currency}
        status = 200 if form.ok else 422
        if is_htmx(request):
            context = await cost_context(user, None if form.ok else dict(form.raw), form.errors)
            return render(request, "admin/_cost_rate.html", status_code=status, user=user, saved=form.ok, **context)
        if not form.ok:
            return await self._form_page(
                request,
                user=user,
                form=_form_values(user),
                errors={},
                status=422,
                cost_form=dict(form.raw),
                cost_errors=form.errors,
            )
        notice(request, _("Cost rate saved."))
        return see_other(f"/admin/users/{user_id}")

    @post("/{user_id:int}/password", status_code=200)
    async def reset_password(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Template | Redirect:
        user = await user_for(me_of(request), user_id)
        form = Form(await request.form())
        password = read_password(form)
        if not form.ok:
            errors = {"reset_password": form.errors["password"]}
            return await self._form_page(request, user=user, form=_form_values(user), errors=errors, status=422)
        await set_password(user_id, password)  # a new hash: the user's existing sessions and API tokens end
        revoke(request, users=[user_id])  # and their open sockets close
        notice(request, _("Password reset. Tell %(name)s the new password in person or by phone.", name=user["name"]))
        return see_other(f"/admin/users/{user_id}")


ROUTES = [UserAdmin]
