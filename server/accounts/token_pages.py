"""The profile page's "API tokens" section: a user makes and revokes their own personal API tokens.

GET /profile is pages.py's; the section loads itself from here (htmx, on load), and each route
answers with the section alone to htmx or the whole profile page otherwise.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.accounts.schemas import read_token_name
from server.accounts.store import tokens_of
from server.accounts.writes import create_token, revoke_token
from server.kernel.access import not_found
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import is_htmx, me_of, notice, render, see_other


async def _section(
    request: Request[Any, Any, Any],
    *,
    status_code: int = 200,
    new_token: str | None = None,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    context = {
        "tokens": await tokens_of(me_of(request).id),
        "new_token": new_token,
        "token_form": form or {},
        "token_errors": errors or {},
    }
    if is_htmx(request):
        return render(request, "accounts/_tokens.html", status_code=status_code, **context)
    return render(request, "accounts/profile.html", status_code=status_code, errors={}, **context)


@get("/profile/tokens", name="profile-tokens")
async def token_section(request: Request[Any, Any, Any]) -> Template:
    return await _section(request)


@post("/profile/tokens", status_code=200)
async def add_token(request: Request[Any, Any, Any]) -> Template:
    me = me_of(request)
    form = Form(await request.form())
    name = read_token_name(form)
    if not form.ok:
        return await _section(request, status_code=422, form={"name": name}, errors=form.errors)
    token = await create_token(me.id, name)
    return await _section(request, new_token=token)


@post("/profile/tokens/{token_id:int}/revoke", status_code=200)
async def revoke(request: Request[Any, Any, Any], token_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    if not await revoke_token(me.id, token_id):
        raise not_found()
    if is_htmx(request):
        return await _section(request)
    notice(request, _("The token was revoked. Scripts using it can no longer sign in."))
    return see_other("/profile")


ROUTES = [token_section, add_token, revoke]
