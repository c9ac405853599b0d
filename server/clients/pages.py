"""The admin's client pages: name, currency, hourly rate and the rounding rule."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.clients.schemas import CURRENCIES, read_client_form
from server.clients.store import all_clients, client_users, open_project_counts
from server.clients.writes import create_client, set_client_archived, update_client
from server.kernel.access import admin_only, client_for
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import me_of, notice, render, see_other
from server.rules.rounding import INCREMENTS


class ClientAdmin(Controller):
    path = "/admin/clients"
    guards = [admin_only]

    def _form_page(
        self,
        request: Request[Any, Any, Any],
        client: dict[str, Any] | None,
        form: dict[str, Any],
        errors: dict[str, str],
        status: int = 200,
    ) -> Template:
        return render(
            request,
            "admin/client_form.html",
            status_code=status,
            client=client,
            form=form,
            errors=errors,
            currency_options=[(c, c) for c in CURRENCIES],
            increment_options=[("0", _("no rounding"))] + [(str(i), _("%(n)s min", n=i)) for i in INCREMENTS[1:]],
        )

    @get("/", name="admin-clients")
    async def index(self, request: Request[Any, Any, Any]) -> Template:
        counts = await open_project_counts()
        return render(request, "admin/clients.html", clients=await all_clients(), project_counts=counts)

    @get("/new")
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        form = {"currency": "EUR", "rounding_increment": 0, "rounding_mode": "up"}
        return self._form_page(request, None, form, {})

    @post("/", status_code=200)
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = Form(await request.form())
        data = read_client_form(form)
        if not form.ok:
            return self._form_page(request, None, dict(form.raw), form.errors, 422)
        await create_client(data)
        notice(request, _("Client %(name)s added.", name=data.name))
        return see_other("/admin/clients")

    @get("/{client_id:int}")
    async def edit(self, request: Request[Any, Any, Any], client_id: FromPath[int]) -> Template:
        client = await client_for(me_of(request), client_id)
        page = self._form_page(request, client, client, {})
        page.context["client_users"] = await client_users(client_id)
        return page

    @post("/{client_id:int}", status_code=200)
    async def update(self, request: Request[Any, Any, Any], client_id: FromPath[int]) -> Template | Redirect:
        client = await client_for(me_of(request), client_id)
        form = Form(await request.form())
        data = read_client_form(form)
        if not form.ok:
            return self._form_page(request, client, dict(form.raw), form.errors, 422)
        await update_client(client_id, data)
        notice(request, _("Saved."))
        return see_other("/admin/clients")

    @post("/{client_id:int}/archived", status_code=200)
    async def set_archived(self, request: Request[Any, Any, Any], client_id: FromPath[int]) -> Redirect:
        await client_for(me_of(request), client_id)
        archived = Form(await request.form()).boolean("archived")
        await set_client_archived(client_id, archived)
        notice(request, _("Archived.") if archived else _("Restored."))
        return see_other("/admin/clients")


ROUTES = [ClientAdmin]
