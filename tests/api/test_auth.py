"""Who may call the API: browser sessions (with CSRF on unsafe methods) and personal API tokens
(no cookies, no CSRF); everyone else gets 401 with a problem detail, never a redirect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from server.accounts.writes import create_token
from server.tables import ApiToken, Task, User
from tests.api.conftest import Boards
from tests.conftest import Agency, Browser


def is_problem(response: Any, status: int) -> bool:
    return (
        response.status_code == status
        and response.headers["content-type"].startswith("application/problem+json")
        and response.json()["status"] == status
    )


async def test_a_bearer_token_works_and_records_its_use(script: Any, token_of: Any, agency: Agency) -> None:
    api = script(await token_of("max")).http
    response = await api.get("/api/projects")
    assert response.status_code == 200, response.text
    assert {p["key"] for p in response.json()} == {"ACME", "BRAND"}
    assert "boardroom_session=null" in response.headers.get("set-cookie", "boardroom_session=null")  # none stored
    row = await ApiToken.select(ApiToken.last_used_at).first()
    assert row is not None and row["last_used_at"] is not None


async def test_last_used_is_written_at_most_once_a_minute(script: Any, token_of: Any) -> None:
    api = script(await token_of("max")).http
    await api.get("/api/projects")
    first = (await ApiToken.select(ApiToken.last_used_at).first() or {})["last_used_at"]
    await api.get("/api/projects")
    assert (await ApiToken.select(ApiToken.last_used_at).first() or {})["last_used_at"] == first
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    await ApiToken.update({ApiToken.last_used_at: long_ago}, force=True)
    await api.get("/api/projects")
    latest = (await ApiToken.select(ApiToken.last_used_at).first() or {})["last_used_at"]
    assert latest.replace(tzinfo=latest.tzinfo or UTC) > long_ago + timedelta(minutes=4)


async def test_anonymous_gets_401_problem_not_a_redirect(browser: Browser, agency: Agency) -> None:
    response = await browser.get("/api/projects")
    assert is_problem(response, 401)
    assert "location" not in response.headers


async def test_garbage_tokens_get_401(script: Any, agency: Agency) -> None:
    for token in ("", "nonsense", "br_" + "x" * 43, "br_" + "x" * 500):
        assert is_problem(await script(token).http.get("/api/projects"), 401), token


async def test_a_revoked_token_gets_401(script: Any, token_of: Any, as_user: Any) -> None:
    api = script(await token_of("max")).http
    assert (await api.get("/api/projects")).status_code == 200
    max_ = await as_user("max")
    token_id = (await ApiToken.select(ApiToken.id).first() or {})["id"]
    await max_.post(f"/profile/tokens/{token_id}/revoke")
    assert is_problem(await api.get("/api/projects"), 401)


async def test_a_deactivated_users_token_gets_401(script: Any, token_of: Any, agency: Agency) -> None:
    api = script(await token_of("max")).http
    await User.update({User.active: False}).where(User.id == agency.max)
    assert is_problem(await api.get("/api/projects"), 401)


async def test_a_bad_token_does_not_fall_back_to_the_session(as_user: Any) -> None:
    max_ = await as_user("max")
    assert (await max_.get("/api/projects")).status_code == 200
    response = await max_.get("/api/projects", headers={"Authorization": "Bearer br_revoked"})
    assert is_problem(response, 401)


async def test_a_token_does_not_open_pages(script: Any, token_of: Any) -> None:
    api = script(await token_of("max")).http
    response = await api.get("/projects")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_a_session_with_csrf_can_move_a_card(as_user: Any, boards: Boards) -> None:
    max_ = await as_user("max")
    body = {"column_id": boards.acme_columns[1], "before_id": None, "version": 1}
    response = await max_.http.post(f"/api/tasks/{boards.homepage}/move", json=body, headers={"x-csrftoken": max_.csrf})
    assert response.status_code == 200, response.text
    assert response.json()["column_id"] == boards.acme_columns[1]


async def test_a_session_without_csrf_gets_403(as_user: Any, boards: Boards) -> None:
    max_ = await as_user("max")
    body = {"column_id": boards.acme_columns[1], "before_id": None, "version": 1}
    response = await max_.http.post(f"/api/tasks/{boards.homepage}/move", json=body)
    assert is_problem(response, 403)
    response = await max_.http.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "title": "Hacked"})
    assert is_problem(response, 403)
    task = await Task.select(Task.column, Task.title).where(Task.id == boards.homepage).first()
    assert task == {"column": boards.acme_columns[0], "title": "Homepage hero copy"}


async def test_a_bearer_token_needs_no_csrf(script: Any, token_of: Any, boards: Boards) -> None:
    api = script(await token_of("max")).http
    response = await api.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "title": "New hero copy"})
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "New hero copy"


async def test_a_bearer_token_beside_a_session_cookie_still_needs_csrf(
    as_user: Any, agency: Agency, boards: Boards
) -> None:
    max_ = await as_user("max")
    token = await create_token(agency.max, "script")
    response = await max_.http.patch(
        f"/api/tasks/{boards.homepage}",
        json={"version": 1, "title": "Forged"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert is_problem(response, 403)
