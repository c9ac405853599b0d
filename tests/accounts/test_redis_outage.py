"""Signed-in people keep working while Redis is down: their sessions and the login throttle live in the
database. A real web process, on a redis-server of this test's own that the test stops and starts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.billing.jobs_support import summary as summary_row
from tests.conftest import EMAILS, Agency
from tests.factories import add_card, columns_of, task_row
from tests.live import CSRF_INPUT, LiveSession, running_server
from tests.realtime.servers import RedisServer, own_redis

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="needs a redis-server binary")


async def wrong_password(base_url: str, persona: str) -> int:
    visitor = LiveSession(base_url)
    try:
        page = await visitor.http.get("/login")
        match = CSRF_INPUT.search(page.text)
        assert match
        data = {"email": EMAILS[persona], "password": "nope", "_csrf_token": match.group(1)}
        return (await visitor.http.post("/login", data=data)).status_code
    finally:
        await visitor.aclose()


@contextmanager
def web_process_on_own_redis() -> Iterator[tuple[RedisServer, str]]:
    with own_redis() as redis, running_server(redis.url) as base_url:
        yield redis, base_url


async def test_signed_in_pages_and_sign_ins_keep_working_while_redis_is_down(agency: Agency) -> None:
    with web_process_on_own_redis() as (redis, base_url):
        max_, mia = await LiveSession(base_url).login("max"), LiveSession(base_url)
        try:
            redis.stop()

            assert (await max_.http.get("/projects")).status_code == 200
            assert (await max_.http.get("/profile")).status_code == 200
            await mia.login("mia")  # the throttle and a new session: both in the database
            assert (await mia.http.get("/projects")).status_code == 200
            assert await wrong_password(base_url, "cole") == 422, "a wrong password is counted, not a crash"
            assert (await max_.post("/logout", {})).status_code == 303

            redis.start()
            assert (await mia.http.get("/projects")).status_code == 200
            assert (await max_.http.get("/projects")).status_code == 303, "signed out stays signed out"
        finally:
            await max_.aclose()
            await mia.aclose()


async def test_the_board_and_a_move_keep_working_while_redis_is_down(agency: Agency) -> None:
    """The issue's promise: a move that committed answers success, never 500. Live updates are the hub's
    business (it must shrug off the outage); the person's session must not be what fails."""
    cols = await columns_of(agency.acme_project)
    card = await add_card(agency.acme_project, "Hero copy", column="Backlog")
    with web_process_on_own_redis() as (redis, base_url):
        max_ = await LiveSession(base_url).login("max")
        try:
            redis.stop()

            moved = await max_.post(f"/tasks/{card}/move", {"column_id": cols["In progress"], "version": 1})
            assert (await task_row(card))["column"] == cols["In progress"]
            assert moved.status_code == 200, moved.text
            page = await max_.http.get(f"/projects/{agency.acme_project}")
            assert page.status_code == 200, page.text

            redis.start()
            assert (await max_.http.get(f"/projects/{agency.acme_project}")).status_code == 200
        finally:
            await max_.aclose()


async def test_a_summary_asked_for_while_redis_is_down_waits_queued_for_the_sweep(agency: Agency) -> None:
    """The summary's row is the record: the request is taken and shown as queued; the worker's sweep
    queues its job once Redis is back."""
    period = {"preset": "custom", "start": "2026-11-01", "end": "2026-11-30", "client": ""}
    with web_process_on_own_redis() as (redis, base_url):
        ada = await LiveSession(base_url).login("ada")
        try:
            redis.stop()
            asked = await ada.post("/billing/summaries", period)
            assert asked.status_code == 303, asked.text
            page = await ada.http.get(asked.headers["location"])
            assert page.status_code == 200 and "queued" in page.text.lower()
            assert (await summary_row(int(asked.headers["location"].rsplit("/", 1)[1])))["status"] == "queued"
        finally:
            redis.start()
            await ada.aclose()
