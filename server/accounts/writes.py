"""Changing accounts: creating and editing users, (de)activating them, setting a password (which
ends the user's other sessions and their API tokens), and making, revoking and touching personal API tokens."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from server.accounts.schemas import CostRateInput, UserInput
from server.accounts.sessions import password_stamp
from server.accounts.store import PREFIX, session_epoch_of, token_hash
from server.kernel.db import unless_duplicate, values_of, write_transaction
from server.kernel.forms import MAX_ID
from server.kernel.passwords import hash_password
from server.tables import ApiToken, User

# Writing on every request would turn each API read into a write; a minute is precise enough.
TOUCH_EVERY = timedelta(minutes=1)


async def create_user(data: UserInput, password: str) -> bool:
    """False when another user has the address."""
    user = User(**values_of(data), password_hash=hash_password(password))
    return await unless_duplicate(User.insert(user)) is not None


async def update_user(user_id: int, data: UserInput) -> bool:
    """False when another user has the address."""
    return await unless_duplicate(User.update(values_of(data)).where(User.id == user_id)) is not None


async def set_cost_rate(user_id: int, data: CostRateInput) -> None:
    await User.update(values_of(data)).where(User.id == user_id)


async def set_user_active(user_id: int, active: bool) -> None:
    changes: dict[Any, Any] = {User.active: active}
    if not active:
        changes[User.session_epoch] = User.session_epoch + 1  # their sessions end for good
    await User.update(changes).where(User.id == user_id)


async def set_language(user_id: int, locale: str) -> None:
    """The language the person reads Boardroom in, chosen from the language menu."""
    await User.update({User.locale: locale}).where(User.id == user_id)


async def set_password(user_id: int, password: str, *, keep_tokens: bool = False) -> str:
    """Store a new password's hash and return the session stamp that goes with it: the user's
    existing sessions end, since their stamp no longer matches, and so do their personal API tokens
    (whoever learnt the old password may have made one). `keep_tokens`: the same password, only
    hashed anew (a stronger hash at sign-in), which ends nothing a person chose."""
    new_hash = hash_password(password)
    async with write_transaction(User._meta.db):
        await User.update({User.password_hash: new_hash}).where(User.id == user_id)
        if not keep_tokens:
            await ApiToken.delete().where(ApiToken.owner == user_id)
    return password_stamp(new_hash, await session_epoch_of(user_id))


async def create_token(owner_id: int, name: str) -> str:
    """Store a new token's hash and return the token itself: the only time anyone sees it."""
    token = PREFIX + secrets.token_urlsafe(32)
    await ApiToken.insert(ApiToken(owner=owner_id, name=name, token_hash=token_hash(token)))
    return token


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


async def touch_token(token_id: int, last_used_at: datetime | None) -> None:
    """Note that a token was just used, at most once every TOUCH_EVERY."""
    now = datetime.now(UTC)
    if last_used_at is None or now - _aware(last_used_at) >= TOUCH_EVERY:
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == token_id)
