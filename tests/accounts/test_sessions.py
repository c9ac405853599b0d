"""Sessions live in the database and are written only when they change: reading a page, polling a board
or calling the API by token writes no session; login rotates the id; logout and revoked stamps delete
the row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from server.accounts.writes import create_token
from server.kernel.database_store import DatabaseStore
from server.tables import StoredValue, User
from tests.conftest import Agency, Browser
from tests.factories import add_card
from tests.live import live_server  # noqa: F401  (the fixture)

COOKIE = "boardroom_session"


async def session_rows() -> list[dict[str, Any]]:
    return await StoredValue.select().where(StoredValue.key.like("sessions:%")).order_by(StoredValue.id)


def session_cookie_set(response: httpx.Response) -> bool:
    return any(value.startswith(f"{COOKIE}=") for value in response.headers.get_list("set-cookie"))


@pytest.fixture
def store_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every read and write the app makes through a DatabaseStore, as "set sessions" and the like."""
    calls: list[str] = []
    for name in ("entry", "get", "set", "replace", "delete", "delete_all", "delete_expired"):
        real = getattr(DatabaseStore, name)

        def spy(self: DatabaseStore, *args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls.append(f"{_name} {self.namespace}")
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(DatabaseStore, name, spy)
    yield calls


def writes(calls: list[str]) -> list[str]:
    return [call for call in calls if not call.startswith(("entry ", "get "))]


async def test_signing_in_stores_one_session_row_under_the_cookie(as_user: Any) -> None:
    max_ = await as_user("max")
    rows = await session_rows()
    assert [row["key"] for row in rows] == [f"sessions:{max_.http.cookies.get(COOKIE)}"]
    assert rows[0]["expires_at"] > datetime.now(UTC) + timedelta(days=13)


async def test_reading_pages_and_polling_the_board_writes_no_session(
    as_user: Any, agency: Agency, store_calls: list[str]
) -> None:
    await add_card(agency.acme_project, "Hero copy")
    max_ = await as_user("max")
    before = await session_rows()
    store_calls.clear()
    responses = [
        await max_.get("/projects"),
        await max_.get(f"/projects/{agency.acme_project}"),
        await max_.get(f"/projects/{agency.acme_project}/changes?after=1"),
        await max_.get("/api/projects"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 304, 200]
    assert writes(store_calls) == []
    assert store_calls == ["entry sessions"] * 4, "one read of the session per request"
    assert not any(session_cookie_set(r) for r in responses)
    assert await session_rows() == before


async def test_a_visitor_without_a_cookie_gets_no_session_row(browser: Browser, store_calls: list[str]) -> None:
    for response in (await browser.get("/login"), await browser.get("/projects")):
        assert not session_cookie_set(response)
    assert store_calls == []
    assert await session_rows() == []


async def test_a_bearer_token_request_touches_no_session(app: Any, agency: Agency, store_calls: list[str]) -> None:
    token = await create_token(agency.max, "script")
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as script:
        response = await script.get("/api/projects", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert not session_cookie_set(response)
    assert store_calls == []
    assert await session_rows() == []


async def test_a_session_that_changes_is_written(as_user: Any, store_calls: list[str]) -> None:
    max_ = await as_user("max")
    store_calls.clear()
    await max_.post("/profile/password", {"current_password": "nope", "new_password": "x"})  # a 422: no change
    assert writes(store_calls) == []
    response = await max_.post(
        "/profile/password", {"current_password": "correct horse battery", "new_password": "a new long passphrase"}
    )
    assert response.status_code == 303
    assert writes(store_calls) == ["delete sessions", "set sessions"], "a new id for the new stamp"
    assert len(await session_rows()) == 1


async def test_a_session_read_for_a_day_is_written_once_more_to_slide_its_expiry(as_user: Any) -> None:
    max_ = await as_user("max")
    two_days_old = datetime.now(UTC) + timedelta(days=12)
    await StoredValue.update({StoredValue.expires_at: two_days_old}, force=True)
    first = await max_.get("/projects")
    assert first.status_code == 200 and session_cookie_set(first)
    row = (await session_rows())[0]
    assert row["expires_at"] > datetime.now(UTC) + timedelta(days=13)
    assert not session_cookie_set(await max_.get("/projects"))


async def test_an_expired_session_is_not_honoured(as_user: Any) -> None:
    max_ = await as_user("max")
    await StoredValue.update({StoredValue.expires_at: datetime.now(UTC) - timedelta(seconds=1)}, force=True)
    response = await max_.get("/projects")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_logout_deletes_the_session_row(as_user: Any) -> None:
    max_, ada = await as_user("max"), await as_user("ada")
    mine = f"sessions:{max_.http.cookies.get(COOKIE)}"
    assert mine in [row["key"] for row in await session_rows()]
    response = await max_.post("/logout")
    assert response.status_code == 303
    assert [row["key"] for row in await session_rows()] == [f"sessions:{ada.http.cookies.get(COOKIE)}"]
    assert max_.http.cookies.get(COOKIE) is None, "the browser is told to drop the cookie"


async def test_a_deactivated_persons_session_row_goes_at_their_next_request(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    await User.update({User.session_epoch: User.session_epoch + 1}).where(User.id == agency.max)
    response = await max_.get("/projects")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert await session_rows() == []


async def test_login_never_keeps_an_id_the_cookie_proposed(browser: Browser, agency: Agency) -> None:
    planted = "a" * 64
    browser.http.cookies.set(COOKIE, planted, domain="testserver.local")
    assert (await browser.login("max@agency.test")).status_code == 303
    assert browser.http.cookies.get(COOKIE) not in (None, planted)
    assert [row["key"] for row in await session_rows()] == [f"sessions:{browser.http.cookies.get(COOKIE)}"]


async def test_login_replaces_the_previous_session_row(as_user: Any) -> None:
    max_ = await as_user("max")
    before = max_.http.cookies.get(COOKIE)
    await max_.login("max@agency.test")
    after = max_.http.cookies.get(COOKIE)
    assert after != before
    assert [row["key"] for row in await session_rows()] == [f"sessions:{after}"]


async def test_a_session_works_in_another_web_process(as_user: Any, live_server: str) -> None:  # noqa: F811
    """Signed in through this process's app, then carried to a separate uvicorn process: the same
    database, so the same session, as behind a load balancer or after a restart."""
    max_ = await as_user("max")
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as elsewhere:
        elsewhere.cookies.set(COOKIE, max_.http.cookies.get(COOKIE) or "")
        response = await elsewhere.get("/projects")
    assert response.status_code == 200
    assert "Acme website" in response.text
