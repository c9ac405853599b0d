from __future__ import annotations

from typing import Any

from server.tables import User
from tests.clients.pages import field_error
from tests.conftest import PASSWORD, Agency, Browser

NEW_PASSWORD = "a freshly reset passphrase"


async def password_hash(user_id: int) -> str:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    assert row is not None
    return str(row["password_hash"])


async def test_the_user_signs_in_with_the_new_password_only(ada: Browser, browser: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.max}/password", {"password": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/users/{agency.max}"
    assert (await browser.login("max@agency.test", PASSWORD)).status_code == 422
    assert (await browser.login("max@agency.test", NEW_PASSWORD)).status_code == 303


async def test_it_ends_the_users_sessions(ada: Browser, as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    assert (await max_.get("/projects")).status_code == 200
    await ada.post(f"/admin/users/{agency.max}/password", {"password": NEW_PASSWORD})
    response = await max_.get("/projects")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert (await ada.get("/admin/users")).status_code == 200


async def test_it_rejects_a_short_password_beside_the_field(ada: Browser, agency: Agency) -> None:
    before = await password_hash(agency.max)
    response = await ada.post(f"/admin/users/{agency.max}/password", {"password": "too short"})
    assert response.status_code == 422
    assert "Use at least 10 characters." in response.text.split('id="f-reset"', 1)[1].split("</div>", 1)[0]
    assert field_error(response, "name") == ""
    assert await password_hash(agency.max) == before


async def test_it_rejects_a_blank_password(ada: Browser, agency: Agency) -> None:
    before = await password_hash(agency.max)
    response = await ada.post(f"/admin/users/{agency.max}/password", {"password": " " * 12})
    assert response.status_code == 422
    assert await password_hash(agency.max) == before


async def test_it_handles_an_unknown_user_id(ada: Browser, agency: Agency) -> None:
    assert (await ada.post("/admin/users/999999/password", {"password": NEW_PASSWORD})).status_code == 404


async def test_only_an_admin_can_reset_a_password(as_user: Any, agency: Agency) -> None:
    before = await password_hash(agency.ada)
    mia = await as_user("mia")
    assert (await mia.post(f"/admin/users/{agency.ada}/password", {"password": NEW_PASSWORD})).status_code == 404
    assert await password_hash(agency.ada) == before
