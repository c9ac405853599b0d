from __future__ import annotations

from typing import Any

from server.tables import User
from tests.conftest import Agency, Browser


async def is_active(user_id: int) -> bool:
    row = await User.select(User.active).where(User.id == user_id).first()
    assert row is not None
    return bool(row["active"])


async def test_it_deactivates_a_user(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.max}/active", {"active": "false"})
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/users"
    assert not await is_active(agency.max)


async def test_a_deactivated_user_cannot_sign_in(ada: Browser, browser: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/users/{agency.max}/active", {"active": "false"})
    response = await browser.login("max@agency.test")
    assert response.status_code == 422
    assert "do not match an active account" in response.text
    assert (await browser.get("/projects")).status_code == 303


async def test_a_deactivated_users_live_session_stops_working(ada: Browser, as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    assert (await max_.get("/projects")).status_code == 200
    await ada.post(f"/admin/users/{agency.max}/active", {"active": "false"})
    response = await max_.get("/projects")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert (
        await max_.post("/profile/password", {"current_password": "x", "new_password": "y" * 12})
    ).status_code == 303


async def test_reactivating_a_user_does_not_bring_back_their_old_sessions(
    ada: Browser, as_user: Any, agency: Agency
) -> None:
    max_ = await as_user("max")
    assert (await max_.get("/projects")).status_code == 200
    await ada.post(f"/admin/users/{agency.max}/active", {"active": "false"})
    await ada.post(f"/admin/users/{agency.max}/active", {"active": "true"})
    assert await is_active(agency.max)
    response = await max_.get("/projects")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert (await max_.login("max@agency.test")).status_code == 303  # a fresh sign-in works


async def test_it_reactivates_a_user(ada: Browser, browser: Browser, agency: Agency) -> None:
    await User.update({User.active: False}).where(User.id == agency.mia)
    response = await ada.post(f"/admin/users/{agency.mia}/active", {"active": "true"})
    assert response.status_code == 303
    assert await is_active(agency.mia)
    assert (await browser.login("mia@agency.test")).status_code == 303


async def test_an_admin_cannot_deactivate_themselves(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.ada}/active", {"active": "false"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/users/{agency.ada}"
    assert await is_active(agency.ada)
    page = await ada.get(response.headers["location"])
    assert page.status_code == 200 and "You cannot deactivate yourself." in page.text


async def test_it_handles_an_unknown_user_id(ada: Browser, agency: Agency) -> None:
    assert (await ada.post("/admin/users/999999/active", {"active": "false"})).status_code == 404


async def test_it_rejects_get(ada: Browser, agency: Agency) -> None:
    assert (await ada.get(f"/admin/users/{agency.max}/active")).status_code == 405
    assert await is_active(agency.max)
