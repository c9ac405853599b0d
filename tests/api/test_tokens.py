"""Personal API tokens on the profile page: create, shown once, listed, revoked."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from server.tables import ApiToken
from tests.conftest import Agency

TOKEN = re.compile(r"br_[A-Za-z0-9_-]{43}")


async def test_profile_page_loads_the_token_section(as_user: Any) -> None:
    max_ = await as_user("max")
    page = await max_.get("/profile")
    assert 'hx-get="/profile/tokens"' in page.text
    section = await max_.get("/profile/tokens", headers={"hx-request": "true"})
    assert section.status_code == 200
    assert 'id="api-tokens"' in section.text and "<html" not in section.text
    assert "You have no API tokens." in section.text


async def test_it_creates_a_token_and_shows_it_once(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    response = await max_.post("/profile/tokens", {"name": "Invoice export"})
    assert response.status_code == 200
    token = TOKEN.search(response.text)
    assert token is not None, response.text
    row = await ApiToken.select().where(ApiToken.owner == agency.max).first()
    assert row is not None and row["name"] == "Invoice export"
    assert row["token_hash"] == hashlib.sha256(token.group(0).encode()).hexdigest()
    assert token.group(0) not in (await max_.get("/profile/tokens")).text
    assert "Invoice export" in (await max_.get("/profile/tokens")).text


async def test_htmx_gets_the_section_alone(as_user: Any) -> None:
    max_ = await as_user("max")
    response = await max_.post("/profile/tokens", {"name": "CI"}, htmx=True)
    assert response.status_code == 200
    assert TOKEN.search(response.text) and "<html" not in response.text


async def test_it_requires_a_name_of_at_most_100_characters(as_user: Any) -> None:
    max_ = await as_user("max")
    for name in ("", "   ", "x" * 101):
        response = await max_.post("/profile/tokens", {"name": name})
        assert response.status_code == 422, name
        assert 'id="e-name"' in response.text
    assert await ApiToken.count() == 0


async def test_it_revokes_a_token(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    await max_.post("/profile/tokens", {"name": "Old script"})
    token_id = (await ApiToken.select(ApiToken.id).first() or {})["id"]
    response = await max_.post(f"/profile/tokens/{token_id}/revoke")
    assert response.status_code == 303 and response.headers["location"] == "/profile"
    assert await ApiToken.count() == 0


async def test_it_does_not_revoke_someone_elses_token(as_user: Any, token_of: Any) -> None:
    await token_of("mia")
    token_id = (await ApiToken.select(ApiToken.id).first() or {})["id"]
    max_ = await as_user("max")
    assert (await max_.post(f"/profile/tokens/{token_id}/revoke")).status_code == 404
    assert (await max_.post("/profile/tokens/99999999999/revoke")).status_code == 404
    assert await ApiToken.count() == 1


async def test_it_refuses_a_token_form_without_csrf(as_user: Any) -> None:
    max_ = await as_user("max")
    response = await max_.post("/profile/tokens", {"name": "Sneaky"}, csrf=False)
    assert response.status_code == 403
    assert await ApiToken.count() == 0
