"""/health and /health/live of a web process: what a load balancer or an orchestrator asks. Each part
is checked with a short timeout; nothing about the request makes a session or a CSRF cookie."""

from __future__ import annotations

import dataclasses
import time

import httpx

from server.kernel.config import Settings
from tests.conftest import Browser, running_app
from tests.realtime.servers import free_port


async def test_health_answers_200_naming_each_part_up(browser: Browser) -> None:
    response = await browser.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "redis": "up", "realtime": "up"}


async def test_health_sets_no_cookie_and_makes_no_session(browser: Browser) -> None:
    for path in ("/health", "/health/live"):
        response = await browser.get(path)
        assert response.status_code == 200
        assert "set-cookie" not in response.headers, path
    assert not browser.http.cookies


async def test_health_with_redis_away_answers_503_naming_redis_and_realtime() -> None:
    away = dataclasses.replace(Settings.from_env(), redis_url=f"redis://127.0.0.1:{free_port()}/0")
    async with running_app(away) as app:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            began = time.monotonic()
            full = await http.get("/health")
            took = time.monotonic() - began
            live = await http.get("/health/live")
    assert full.status_code == 503
    assert full.json() == {
        "status": "down",
        "database": "up",
        "redis": "down",
        "realtime": "down",
        "down": ["redis", "realtime"],
    }
    assert took < 3, f"/health took {took:.1f} s with Redis away"
    # Pages still serve with Redis away: the probe a load balancer routes by stays 200.
    assert live.status_code == 200 and live.json() == {"status": "ok", "database": "up"}
