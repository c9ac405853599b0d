from __future__ import annotations

from typing import Any

import pytest

from server.accounts import pages as routes
from server.tables import User
from tests.conftest import PASSWORD, Browser


async def test_ada_signs_in_and_sees_projects(browser: Browser, agency) -> None:
    response = await browser.login("ada@agency.test")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    page = await browser.get("/projects")
    assert page.status_code == 200
    assert "Acme website" in page.text and "Globex app" in page.text


async def test_it_accepts_the_email_in_any_case(browser: Browser, agency) -> None:
    response = await browser.login("ADA@Agency.Test")
    assert response.status_code == 303


async def test_it_rejects_a_wrong_password_with_422_and_the_form(browser: Browser, agency) -> None:
    response = await browser.login("ada@agency.test", "wrong password")
    assert response.status_code == 422
    assert "do not match" in response.text
    assert 'value="ada@agency.test"' in response.text
    assert (await browser.get("/projects")).status_code == 303


async def test_it_rotates_the_session_id_at_login(browser: Browser, agency) -> None:
    await browser.get("/login")
    await browser.http.get("/projects")
    assert browser.http.cookies.get("boardroom_session") is None, "a visitor has no session to fix"
    await browser.login("ada@agency.test")
    before = browser.http.cookies.get("boardroom_session")
    await browser.login("ada@agency.test")
    after = browser.http.cookies.get("boardroom_session")
    assert before and after and after != before


async def test_it_throttles_repeated_failures_then_tells_how_long(browser: Browser, agency) -> None:
    for _ in range(5):
        assert (await browser.login("max@agency.test", "nope")).status_code == 422
    response = await browser.login("max@agency.test", PASSWORD)
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.text


async def test_anonymous_is_sent_to_login_with_next(browser: Browser) -> None:
    response = await browser.get("/admin/users")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/users"


async def test_it_refuses_a_post_without_csrf_token(browser: Browser, agency) -> None:
    await browser.login("ada@agency.test")
    response = await browser.post("/admin/clients", {"name": "Initech"}, csrf=False)
    assert response.status_code == 403


async def test_it_never_redirects_off_site_after_login(browser: Browser, agency) -> None:
    await browser.get("/login")
    response = await browser.post("/login", {"email": "ada@agency.test", "password": PASSWORD, "next": "//evil.test"})
    assert response.headers["location"] == "/"


async def test_a_signed_in_user_is_sent_on_from_the_login_page(as_user: Any) -> None:
    max_ = await as_user("max")
    response = await max_.get("/login?next=/profile")
    assert response.status_code == 303
    assert response.headers["location"] == "/profile"


@pytest.mark.parametrize(
    "target", ["//evil.test", "/\\evil.test", "/\t/evil.test", "/\n/evil.test", "https://evil.test"]
)
async def test_it_never_redirects_off_site_whatever_the_next_path(browser: Browser, agency, target: str) -> None:
    await browser.get("/login")
    response = await browser.post("/login", {"email": "ada@agency.test", "password": PASSWORD, "next": target})
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_it_follows_a_same_site_next_path(browser: Browser, agency) -> None:
    await browser.get("/login")
    response = await browser.post("/login", {"email": "ada@agency.test", "password": PASSWORD, "next": "/admin/users"})
    assert response.headers["location"] == "/admin/users"


async def test_a_file_in_place_of_the_password_is_refused_not_a_crash(browser: Browser, agency) -> None:
    await browser.get("/login")
    files = {"password": ("pw.txt", PASSWORD.encode())}
    response = await browser.post("/login", {"email": "ada@agency.test"}, files=files)
    assert response.status_code == 422
    assert (await browser.get("/projects")).status_code == 303


@pytest.mark.parametrize("email", ["max@agency.test", "nobody@agency.test", "mia@agency.test"])
async def test_it_checks_one_password_hash_whoever_asks(
    browser: Browser, agency, monkeypatch: pytest.MonkeyPatch, email: str
) -> None:
    """A wrong password, an unknown address and a deactivated account cost the same: none stands out."""
    await User.update({User.active: False}).where(User.id == agency.mia)
    checked: list[str | None] = []
    real = routes.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        checked.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(routes, "verify_password", counting)
    password = "wrong password" if email == "max@agency.test" else PASSWORD
    response = await browser.login(email, password)
    assert response.status_code == 422
    assert len(checked) == 1
