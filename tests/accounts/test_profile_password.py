from __future__ import annotations

from typing import Any

from server.tables import User
from tests.clients.pages import field_error
from tests.conftest import PASSWORD, Agency, Browser

NEW_PASSWORD = "my own new passphrase"


async def password_hash(user_id: int) -> str:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    assert row is not None
    return str(row["password_hash"])


async def test_the_profile_shows_who_i_am(as_user: Any) -> None:
    response = await (await as_user("cleo")).get("/profile")
    assert response.status_code == 200
    assert "cleo@acme.test" in response.text and "Cleo Client" in response.text


async def test_it_changes_my_password(as_user: Any, browser: Browser, agency: Agency) -> None:
    max_ = await as_user("max")
    response = await max_.post("/profile/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == "/profile"
    assert "Your password was changed." in (await max_.get("/profile")).text
    assert (await browser.login("max@agency.test", PASSWORD)).status_code == 422
    assert (await browser.login("max@agency.test", NEW_PASSWORD)).status_code == 303


async def test_it_keeps_this_session_and_ends_the_others(as_user: Any, agency: Agency) -> None:
    here, elsewhere = await as_user("max"), await as_user("max")
    await here.post("/profile/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert (await here.get("/projects")).status_code == 200
    response = await elsewhere.get("/projects")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_it_gives_this_session_a_new_id(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    before = max_.http.cookies.get("boardroom_session")
    await max_.post("/profile/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert max_.http.cookies.get("boardroom_session") not in (None, before)


async def test_it_rejects_a_wrong_current_password(as_user: Any, agency: Agency) -> None:
    before = await password_hash(agency.max)
    max_ = await as_user("max")
    response = await max_.post(
        "/profile/password", {"current_password": "not my password", "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 422
    assert field_error(response, "current_password") == "That is not your current password."
    assert await password_hash(agency.max) == before
    assert (await max_.get("/projects")).status_code == 200


async def test_it_rejects_a_short_new_password(as_user: Any, agency: Agency) -> None:
    before = await password_hash(agency.max)
    max_ = await as_user("max")
    response = await max_.post("/profile/password", {"current_password": PASSWORD, "new_password": "short"})
    assert response.status_code == 422
    assert field_error(response, "new_password") == "Use at least 10 characters."
    assert await password_hash(agency.max) == before


async def test_a_file_in_place_of_the_password_is_a_form_error(as_user: Any, agency: Agency) -> None:
    before = await password_hash(agency.max)
    max_ = await as_user("max")
    files = {"current_password": ("pw.txt", PASSWORD.encode())}
    response = await max_.post("/profile/password", {"new_password": NEW_PASSWORD}, files=files)
    assert response.status_code == 422
    assert field_error(response, "current_password") == "That is not your current password."
    assert await password_hash(agency.max) == before


async def test_an_htmx_post_that_fails_gets_422_and_the_form_again(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    response = await max_.post("/profile/password", {"current_password": "nope", "new_password": ""}, htmx=True)
    assert response.status_code == 422
    assert '<form method="post" action="/profile/password"' in response.text
    assert field_error(response, "current_password") == "That is not your current password."
    assert field_error(response, "new_password") == "This field is required."


async def test_anonymous_is_sent_to_sign_in(browser: Browser, agency: Agency) -> None:
    before = await password_hash(agency.max)
    response = await browser.post("/profile/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/profile/password"
    assert await password_hash(agency.max) == before
