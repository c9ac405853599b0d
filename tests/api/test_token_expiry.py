"""Personal API tokens end with the password they were made under: when their owner changes it, or
an admin resets it. A stronger hash of the same password at sign-in ends nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from argon2 import PasswordHasher

from server.accounts import writes
from server.kernel.passwords import needs_rehash
from server.tables import ApiToken, User
from tests.conftest import PASSWORD, Agency

NEW_PASSWORD = "a brand new passphrase"


async def test_changing_your_password_ends_your_tokens(
    as_user: Any, agency: Agency, as_script: Callable[[str], Awaitable[httpx.AsyncClient]]
) -> None:
    script = await as_script("max")
    assert (await script.get("/api/projects")).status_code == 200
    max_ = await as_user("max")
    response = await max_.post("/profile/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 303
    assert (await script.get("/api/projects")).status_code == 401
    assert await ApiToken.count().where(ApiToken.owner == agency.max) == 0
    assert "API tokens have ended" in (await max_.get("/profile")).text
    assert "You have no API tokens." in (await max_.get("/profile/tokens")).text


async def test_an_admin_reset_ends_the_users_tokens_and_no_one_elses(
    as_user: Any, agency: Agency, as_script: Callable[[str], Awaitable[httpx.AsyncClient]]
) -> None:
    max_script = await as_script("max")
    mia_script = await as_script("mia")
    ada = await as_user("ada")
    response = await ada.post(f"/admin/users/{agency.max}/password", {"password": NEW_PASSWORD})
    assert response.status_code == 303
    assert (await max_script.get("/api/projects")).status_code == 401
    assert (await mia_script.get("/api/projects")).status_code == 200


async def test_a_rehash_at_sign_in_keeps_the_tokens(
    as_user: Any, agency: Agency, as_script: Callable[[str], Awaitable[httpx.AsyncClient]]
) -> None:
    script = await as_script("max")
    # An old, weaker hash of the same password: signing in stores a stronger one.
    weak = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(PASSWORD)
    assert needs_rehash(weak)
    await User.update({User.password_hash: weak}).where(User.id == agency.max)
    await as_user("max")
    stored = await User.select(User.password_hash).where(User.id == agency.max).first()
    assert stored is not None and stored["password_hash"] != weak
    assert (await script.get("/api/projects")).status_code == 200


async def test_set_password_keeps_tokens_only_when_asked(agency: Agency) -> None:
    await writes.create_token(agency.max, "CI")
    await writes.set_password(agency.max, NEW_PASSWORD, keep_tokens=True)
    assert await ApiToken.count().where(ApiToken.owner == agency.max) == 1
    await writes.set_password(agency.max, PASSWORD)
    assert await ApiToken.count().where(ApiToken.owner == agency.max) == 0


async def test_the_token_list_shows_when_each_was_last_used(
    as_user: Any, agency: Agency, as_script: Callable[[str], Awaitable[httpx.AsyncClient]]
) -> None:
    await writes.create_token(agency.max, "Never used")
    script = await as_script("max")
    await script.get("/api/projects")
    max_ = await as_user("max")
    section = (await max_.get("/profile/tokens", headers={"hx-request": "true"})).text
    assert "Last used" in section and "Never" in section
    used = await ApiToken.select(ApiToken.last_used_at).where(ApiToken.name == "max's script").first()
    assert used is not None and used["last_used_at"] is not None
