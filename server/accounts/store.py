"""Reading accounts: users (one by id or address, the admin's list, whether an address is in use),
the clients a client user may belong to, and personal API tokens, kept only as a hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from server.rules.margin import CostRate
from server.tables import ApiToken, Client, User

Row = dict[str, Any]

PREFIX = "br_"
# secrets.token_urlsafe(32) is 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 100


async def active_user(user_id: int) -> Row | None:
    return await User.select().where((User.id == user_id) & (User.active.eq(True))).first()


async def user_by_email(email: str) -> Row | None:
    return await User.select().where(User.email == email).first()


async def password_hash_of(user_id: int) -> str | None:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    return row["password_hash"] if row else None


async def session_epoch_of(user_id: int) -> int:
    row = await User.select(User.session_epoch).where(User.id == user_id).first()
    return row["session_epoch"] if row else 0


async def all_users() -> list[Row]:
    """The admin's list: active people first, then by name, with their client's name."""
    return await (
        User.select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.active,
            User.hourly_rate,
            User.cost_rate,
            User.cost_currency,
            User.client.name,
        )
        .order_by(User.active, ascending=False)
        .order_by(User.name)
    )


async def email_in_use(email: str, *, except_user: int | None = None) -> bool:
    same = User.select(User.id).where(User.email == email)
    if except_user is not None:
        same = same.where(User.id != except_user)
    return await same.first() is not None


async def client_exists(client_id: int) -> bool:
    return await Client.exists().where(Client.id == client_id)


async def client_options() -> list[tuple[int, str]]:
    """The open clients, by name, as (id, name) for a form's select: whom a client user or a project
    may belong to."""
    clients = await Client.select(Client.id, Client.name).where(Client.archived.eq(False)).order_by(Client.name)
    return [(c["id"], c["name"]) for c in clients]


async def client_currencies() -> list[str]:
    """The currencies the open clients are billed in: a person's default rate is charged in the
    currency of whichever client the work is for."""
    rows = await Client.select(Client.currency).where(Client.archived.eq(False)).distinct()
    return sorted({r["currency"] for r in rows})


async def cost_rates_of(person_ids: Iterable[int]) -> dict[int, CostRate]:
    """What an hour of each of these people costs the agency (admins' figures only: whoever calls
    this shows them to an admin)."""
    ids = sorted(set(person_ids))
    rates: dict[int, CostRate] = {}
    for i in range(0, len(ids), 500):  # SQLite's limit on bound values, with room to spare
        rows = await User.select(User.id, User.cost_rate, User.cost_currency).where(User.id.is_in(ids[i : i + 500]))
        rates.update({r["id"]: CostRate(r["cost_rate"], r["cost_currency"] or "") for r in rows})
    return rates


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def tokens_of(owner_id: int) -> list[Row]:
    return await (
        ApiToken.select(ApiToken.id, ApiToken.name, ApiToken.created_at, ApiToken.last_used_at)
        .where(ApiToken.owner == owner_id)
        .order_by(ApiToken.created_at, ascending=False)
        .order_by(ApiToken.id, ascending=False)
    )


async def token_owner(token: str) -> Row | None:
    """The active user behind a token (as a user row, with `token_id` and `last_used_at`); None for
    anything else."""
    if not token.startswith(PREFIX) or len(token) > MAX_TOKEN_LENGTH:
        return None
    return await (
        ApiToken.select(
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
