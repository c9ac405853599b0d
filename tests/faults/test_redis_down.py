"""Redis down is not an outage of the site: a real web process on a redis-server of the test's own,
which the test stops. Script calls with a token never touch the session store; a write that committed
answers success whatever happens to its broadcast; a web process started while Redis is away serves;
and a request that truly cannot do without Redis gets a friendly 503, never a stack trace."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from litestar import Request, get
from redis.asyncio import Redis

from server.accounts.writes import create_token
from server.kernel.config import Settings
from server.tables import Comment, TimeEntry
from tests.conftest import Agency, Browser, running_app
from tests.factories import add_card, columns_of, task_row
from tests.live import LiveSession, running_server
from tests.realtime.servers import RedisServer, own_redis

RECONNECTING = "Boardroom is reconnecting, try again in a moment"


async def test_token_calls_and_committed_writes_answer_success_while_redis_is_down(agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    card = await add_card(agency.acme_project, "Hero copy", column="Backlog")
    token = await create_token(agency.max, "deploy script")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    with own_redis() as redis, running_server(redis.url) as base_url:
        max_ = await LiveSession(base_url).login("max")
        script = httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
        try:
            redis.stop()

            listed = await script.get("/api/projects")
            assert listed.status_code == 200, listed.text
            assert "set-cookie" not in listed.headers, "a token call gets no session"
            moved = await script.post(f"/api/tasks/{card}/move", json={"column_id": cols["Review"], "version": 1})
            assert moved.status_code == 200, moved.text
            assert (await task_row(card))["column"] == cols["Review"]

            htmx = {"x-csrftoken": max_.csrf, "hx-request": "true"}  # as the card dialog sends them
            logged = await max_.http.post(
                f"/tasks/{card}/time", data={"date": yesterday, "duration": "25m"}, headers=htmx
            )
            assert logged.status_code == 200, logged.text
            commented = await max_.http.post(
                f"/tasks/{card}/comments", data={"body": "Copy is final.", "visibility": "internal"}, headers=htmx
            )
            assert commented.status_code == 200, commented.text
        finally:
            redis.start()
            await script.aclose()
            await max_.aclose()
    assert [e["minutes"] for e in await TimeEntry.select().where(TimeEntry.task == card)] == [25]
    assert [c["body"] for c in await Comment.select().where(Comment.task == card)] == ["Copy is final."]


async def test_a_web_process_started_while_redis_is_away_serves_pages(agency: Agency) -> None:
    redis = RedisServer()  # its port, and nobody listening on it yet
    with running_server(redis.url) as base_url:
        ada = await LiveSession(base_url).login("ada")
        try:
            health = await ada.http.get("/health")
            assert health.status_code == 503 and health.json()["realtime"] == "down"
            assert (await ada.http.get("/health/live")).status_code == 200  # it serves pages
            assert (await ada.http.get("/projects")).status_code == 200
        finally:
            await ada.aclose()


@get("/test-only/needs-redis")
async def needs_redis(request: Request[Any, Any, Any]) -> str:
    redis: Redis = request.app.state.redis
    return str(await redis.get("anything"))


async def test_a_request_that_needs_redis_answers_a_friendly_503_while_it_is_down(agency: Agency, as_user: Any) -> None:
    with own_redis() as redis:
        async with running_app(dataclasses.replace(Settings.from_env(), redis_url=redis.url)) as app:
            app.register(needs_redis)  # a route of this test's own, on the real app and its handlers
            ada = Browser(app)
            try:
                await ada.login("ada@agency.test")
                redis.stop()
                page = await ada.get("/test-only/needs-redis")
                assert page.status_code == 503
                assert RECONNECTING in page.text and "Traceback" not in page.text
                assert page.headers["retry-after"]
                api = await ada.get("/test-only/needs-redis", headers={"accept": "application/json"})
                assert api.status_code == 503 and api.json()["detail"] == RECONNECTING + "."
            finally:
                await ada.aclose()
                redis.start()
