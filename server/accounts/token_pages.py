"""Personal API tokens: made and revoked by their owner on the profile page, kept only as a hash,
and turned back into the acting user when a script sends one as `Authorization: Bearer br_…`."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.accounts.auth import actor_from_row
from server.kernel.access import not_found
from server.kernel.forms import MAX_ID, Form
from server.kernel.i18n import _
from server.kernel.web import actor_of, is_htmx, notice, render, see_other
from server.rules.policy import Actor
from server.tables import ApiToken

PREFIX = "br_"
# secrets.token_urlsafe(32) is 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 100
# Writing on every request would turn each API read into a write; a minute is precise enough.
TOUCH_EVERY = timedelta(minutes=1)


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(owner_id: int, name: str) -> str:
    """Store a new token's hash and return the token itself: the only time anyone sees it."""
    token = new_token()
    await ApiToken.insert(ApiToken(owner=owner_id, name=name, token_hash=token_hash(token)))
    return token


async def tokens_of(owner_id: int) -> list[dict[str, Any]]:
    return await (
        ApiToken.select(ApiToken.id, ApiToken.name, ApiToken.created_at, ApiToken.last_used_at)
        .where(ApiToken.owner == owner_id)
        .order_by(ApiToken.created_at, ascending=False)
        .order_by(ApiToken.id, ascending=False)
    )


async def revoke_token(owner_id: int, token_id: int) -> bool:
    """Delete one of the owner's tokens; False when it is not theirs (or does not exist)."""
    if not 0 < token_id <= MAX_ID:
        return False
    deleted = (
        await ApiToken.delete().where((ApiToken.id == token_id) & (ApiToken.owner == owner_id)).returning(ApiToken.id)
    )
    return bool(deleted)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def authenticate(token: str) -> tuple[Actor, int] | None:
    """The active user behind a token, and the token's id; None for anything else."""
    if not token.startswith(PREFIX) or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = (
        await ApiToken.select(
            ApiToken.id.as_alias("token_id"),
            ApiToken.last_used_at,
            ApiToken.owner.id.as_alias("id"),
            ApiToken.owner.email.as_alias("email"),
            ApiToken.owner.name.as_alias("name"),
            ApiToken.owner.role.as_alias("role"),
            ApiToken.owner.client.as_alias("client"),
            ApiToken.owner.locale.as_alias("locale"),
        )
        .where((ApiToken.token_hash == token_hash(token)) & ApiToken.owner._.active.eq(True))
        .first()
    )
    if row is None:
        return None
    now = datetime.now(UTC)
    if row["last_used_at"] is None or now - _aware(row["last_used_at"]) >= TOUCH_EVERY:
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == row["token_id"])
    return actor_from_row(row), int(row["token_id"])


# The profile page's "API tokens" section. GET /profile is another module's; the section loads
# itself from here (htmx, on load), and each route answers with the section alone to htmx or the
# whole profile page otherwise.


def _me(request: Request[Any, Any, Any]) -> Actor:
    me = actor_of(request)
    assert me is not None, "route requires a signed-in user"
    return me


async def _section(
    request: Request[Any, Any, Any],
    *,
    status_code: int = 200,
    new_token: str | None = None,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    context = {
        "tokens": await tokens_of(_me(request).id),
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
    me = _me(request)
    form = Form(await request.form())
    name = form.text("name", max_length=100)
    if not form.ok:
        return await _section(request, status_code=422, form={"name": name}, errors=form.errors)
    token = await create_token(me.id, name)
    return await _section(request, new_token=token)


@post("/profile/tokens/{token_id:int}/revoke", status_code=200)
async def revoke(request: Request[Any, Any, Any], token_id: FromPath[int]) -> Template | Redirect:
    me = _me(request)
    if not await revoke_token(me.id, token_id):
        raise not_found()
    if is_htmx(request):
        return await _section(request)
    notice(request, _("The token was revoked. Scripts using it can no longer sign in."))
    return see_other("/profile")


ROUTES = [token_section, add_token, revoke]
