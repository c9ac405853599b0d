"""`python -m tasks --check`: the worker's readiness in /health's words, for a container's health check."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import pytest

from server.kernel.config import ROOT
from tests.scale import procfile

pytestmark = pytest.mark.slow


def check(redis_url: str) -> tuple[int, dict[str, object]]:
    env = {**os.environ, "REDIS_URL": redis_url}
    done = subprocess.run(
        [sys.executable, "-m", "tasks", "--check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    return done.returncode, json.loads(done.stdout)


async def until_checked(redis_url: str, status: str, seconds: float = procfile.STARTUP_SECONDS) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while True:
        code, body = await asyncio.to_thread(check, redis_url)
        if body["status"] == status:
            assert code == (0 if status == "ok" else 1)
            return body
        assert time.monotonic() < deadline, f"the check never said {status}: {body}"
        await asyncio.sleep(0.5)


async def test_the_check_says_ok_while_the_worker_runs_and_names_it_down_once_stopped(redis_url: str) -> None:
    assert await until_checked(redis_url, "down", 1) == {
        "status": "down",
        "redis": "up",
        "worker": "down",
        "database": "down",
        "down": ["worker", "database"],
    }
    worker = procfile.start("worker", redis_url)
    with procfile.running([worker]):
        body = await until_checked(redis_url, "ok")
        assert body == {"status": "ok", "redis": "up", "worker": "up", "database": "up"}
        assert worker.stop() == 0
    assert (await until_checked(redis_url, "down", 5))["down"] == ["worker", "database"]


async def test_the_check_names_redis_when_it_is_out_of_reach() -> None:
    from tests.realtime.servers import free_port

    code, body = await asyncio.to_thread(check, f"redis://127.0.0.1:{free_port()}/0")
    assert code == 1 and body["status"] == "down" and "redis" in body["down"]  # type: ignore[operator]
