from __future__ import annotations

from typing import Any

from tests.conftest import Agency, Browser


async def test_it_signs_me_out_and_sends_me_to_sign_in(as_user: Any) -> None:
    max_ = await as_user("max")
    response = await max_.post("/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert (await max_.get("/projects")).status_code == 303


async def test_the_old_session_cookie_no_longer_works(as_user: Any, browser: Browser) -> None:
    max_ = await as_user("max")
    cookie = max_.http.cookies.get("boardroom_session")
    assert cookie
    await max_.post("/logout")
    browser.http.cookies.set("boardroom_session", cookie)
    response = await browser.get("/projects")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_it_leaves_my_other_sessions_alone(as_user: Any) -> None:
    here, elsewhere = await as_user("max"), await as_user("max")
    await here.post("/logout")
    assert (await elsewhere.get("/projects")).status_code == 200


async def test_it_refuses_a_post_without_csrf_token(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    assert (await max_.post("/logout", csrf=False)).status_code == 403
    assert (await max_.get("/projects")).status_code == 200


async def test_it_rejects_get(as_user: Any) -> None:
    max_ = await as_user("max")
    assert (await max_.get("/logout")).status_code == 405
    assert (await max_.get("/projects")).status_code == 200
