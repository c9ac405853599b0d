"""The worker as a real process on a redis-server of the test's own, which the test stops and starts:
the worker waits for Redis and carries on with the next job (it used to exit at the first
ConnectionError), and a worker asked to stop while Redis is away still stops at once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from arq import create_pool
from arq.connections import RedisSettings

from server.kernel.config import ROOT
from tests.realtime.servers import RedisServer, own_redis
from tests.settings import TMP

pytestmark = pytest.mark.slow

OUTAGE_SECONDS = 3  # longer than arq's poll delay (0.5 s): the worker meets the closed port many times
JOB_SECONDS = 45  # a probe job's answer, Redis just back and the machine shared


class WorkerProcess:
    def __init__(self, process: subprocess.Popen[bytes], log: str) -> None:
        self.process = process
        self.log = log

    def output(self) -> str:
        return open(self.log, errors="replace").read()


@contextmanager
def worker_process(redis_url: str, *command: str) -> Iterator[WorkerProcess]:
    log = TMP / f"worker-{time.monotonic_ns()}.log"
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, *command], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield WorkerProcess(process, str(log))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def probe(redis_url: str) -> dict[str, Any]:
    """check_database through the queue: proves a worker takes jobs from this Redis."""
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        job = await pool.enqueue_job("check_database")
        assert job is not None
        result: dict[str, Any] = await job.result(timeout=JOB_SECONDS)
        return result
    finally:
        await pool.aclose()


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    with own_redis() as server:
        yield server


@pytest.mark.parametrize("command", [("-m", "tasks"), ("-m", "arq", "tasks.worker.WorkerSettings")])
async def test_the_worker_waits_out_a_redis_restart_and_takes_the_next_job(
    redis_server: RedisServer, command: tuple[str, ...]
) -> None:
    with worker_process(redis_server.url, *command) as worker:
        assert (await probe(redis_server.url))["ok"] is True
        redis_server.stop()
        await asyncio.sleep(OUTAGE_SECONDS)
        assert worker.process.poll() is None, f"the worker exited while Redis was away:\n{worker.output()}"
        redis_server.start()
        assert (await probe(redis_server.url))["ok"] is True, worker.output()
        assert worker.process.poll() is None
        assert "Redis is out of reach" in worker.output() and "Redis is back" in worker.output()


async def test_a_worker_stopped_while_redis_is_away_stops_at_once(redis_server: RedisServer) -> None:
    with worker_process(redis_server.url, "-m", "tasks") as worker:
        assert (await probe(redis_server.url))["ok"] is True
        redis_server.stop()
        await asyncio.sleep(OUTAGE_SECONDS)
        began = time.monotonic()
        worker.process.send_signal(signal.SIGTERM)
        try:
            worker.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the worker kept waiting for Redis after SIGTERM:\n{worker.output()}")
        assert time.monotonic() - began < 10
