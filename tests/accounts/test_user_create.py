from __future__ import annotations

from typing import Any

from server.tables import User
from tests.clients.pages import field_error
from tests.conftest import Agency, Browser

NEW_PASSWORD = "a long new passphrase"


def new_user(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Nina New",
        "email": "nina@agency.test",
        "role": "member",
        "client": "",
        "hourly_rate": "80",
        "locale": "en",
        "password": NEW_PASSWORD,
        **changes,
    }


async def test_it_shows_an_empty_form(ada: Browser, agency: Agency) -> None:
    response = await ada.get("/admin/users/new")
    assert response.status_code == 200
    assert 'action="/admin/users"' in response.text and 'name="password"' in response.text


async def test_it_creates_a_user_who_can_sign_in(ada: Browser, browser: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/users", new_user(email="Nina@Agency.Test"))
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/users"
    row = await User.select().where(User.email == "nina@agency.test").first()
    assert row is not None and row["role"] == "member" and row["client"] is None and row["active"]
    assert (await browser.login("nina@agency.test", NEW_PASSWORD)).status_code == 303


async def test_it_creates_a_client_user_of_one_client(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/users", new_user(role="client", client=str(agency.acme)))
    assert response.status_code == 303
    row = await User.select(User.role, User.client).where(User.email == "nina@agency.test").first()
    assert row == {"role": "client", "client": agency.acme}


async def test_it_keeps_spaces_around_a_password_as_typed(ada: Browser, browser: Browser, agency: Agency) -> None:
    await ada.post("/admin/users", new_user(password=f"  {NEW_PASSWORD}  "))
    assert (await browser.login("nina@agency.test", f"  {NEW_PASSWORD}  ")).status_code == 303


async def test_it_rejects_an_email_taken_in_another_case(ada: Browser, agency: Agency) -> None:
    before = await User.count()
    response = await ada.post("/admin/users", new_user(email="MAX@agency.TEST"))
    assert response.status_code == 422
    assert field_error(response, "email") == "Another user already has this email address."
    assert 'value="MAX@agency.TEST"' in response.text
    assert await User.count() == before


async def test_it_rejects_a_malformed_email(ada: Browser, agency: Agency) -> None:
    before = await User.count()
    response = await ada.post("/admin/users", new_user(email="nina at agency"))
    assert response.status_code == 422
    assert field_error(response, "email") == "Enter an email address like name@example.com."
    assert await User.count() == before


async def test_a_client_user_needs_a_client(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/users", new_user(role="client", client=""))
    assert response.status_code == 422
    assert field_error(response, "client") == "This field is required."
    assert not await User.exists().where(User.email == "nina@agency.test")


async def test_it_rejects_an_unknown_client(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/users", new_user(role="client", client="999999"))
    assert response.status_code == 422
    assert field_error(response, "client") == "Choose one of the options."
    assert not await User.exists().where(User.email == "nina@agency.test")


async def test_it_rejects_an_unknown_role(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/users", new_user(role="owner"))
    assert response.status_code == 422
    assert field_error(response, "role") == "Choose one of the options."
    assert not await User.exists().where(User.email == "nina@agency.test")


async def test_it_rejects_a_name_over_100_characters(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/users", new_user(name="N" * 101))
    assert response.status_code == 422
    assert field_error(response, "name") == "Use at most 100 characters."
    assert not await User.exists().where(User.email == "nina@agency.test")


async def test_it_rejects_a_short_password_and_never_shows_it_again(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/users", new_user(password="short pw"))
    assert response.status_code == 422
    assert field_error(response, "password") == "Use at least 10 characters."
    assert "short pw" not in response.text
    assert not await User.exists().where(User.email == "nina@agency.test")


async def test_an_htmx_post_that_fails_gets_422_and_the_form_again(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/users", new_user(email="ada@AGENCY.test", name=""), htmx=True)
    assert response.status_code == 422
    assert '<form method="post" action="/admin/users"' in response.text
    assert field_error(response, "email") == "Another user already has this email address."
    assert field_error(response, "name") == "This field is required."
    assert 'value="ada@AGENCY.test"' in response.text
    assert not await User.exists().where(User.name == "")
