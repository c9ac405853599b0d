"""`boardroom run` keeps its worker: a worker killed outright is started again while the web goes on
serving (honcho alone stopped everything), and a Redis restart leaves the same worker taking jobs.
Runs on a redis-server of the test's own (REDIS_URL), which it kills and starts again."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Iterator

import psutil
import pytest

from tests.cli.conftest import Machine, free_port
from tests.cli.test_run import STOP_SECONDS, Running, health_of
from tests.realtime.servers import RedisServer, own_redis
from tests.tasks.test_redis_restart import OUTAGE_SECONDS, probe

pytestmark = pytest.mark.slow

RESTART_SECONDS = 30


def workers(running: Running) -> list[psutil.Process]:
    """The worker itself (`python -m tasks`), not the supervisor that keeps it running."""
    found = []
    for child in running.process.children(recursive=True):
        try:
            line = child.cmdline()
        except psutil.NoSuchProcess:
            continue
        if line[-2:] == ["-m", "tasks"] and "tasks.supervise" not in line:
            found.append(child)
    return found


async def a_worker_other_than(running: Running, old_pid: int | None) -> psutil.Process:
    deadline = time.monotonic() + RESTART_SECONDS
    while time.monotonic() < deadline:
        assert running.process.poll() is None, f"`boardroom run` stopped:\n{running.output}"
        alive = [w for w in workers(running) if w.pid != old_pid and w.status() != psutil.STATUS_ZOMBIE]
        if alive:
            return alive[0]
        await asyncio.sleep(0.2)
    raise AssertionError(f"no worker (re)started within {RESTART_SECONDS} s:\n{running.output}")


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    with own_redis() as server:
        yield server


@pytest.fixture
def running(machine: Machine, redis_server: RedisServer) -> Iterator[Running]:
    machine.env["REDIS_URL"] = redis_server.url
    port = free_port()
    run = Running(machine.popen(["run", "--host", "127.0.0.1", "--port", str(port), "--no-demo-logins"]), port)
    yield run
    if run.process.poll() is None:
        for child in run.process.children(recursive=True):
            child.kill()
        run.process.kill()
        run.process.wait(timeout=STOP_SECONDS)


async def test_a_killed_worker_is_started_again_and_the_web_keeps_serving(
    running: Running, redis_server: RedisServer
) -> None:
    await running.wait_for(r"Boardroom is at ")
    assert await health_of(running.base_url) == 200
    first = await a_worker_other_than(running, None)
    assert (await probe(redis_server.url))["ok"] is True

    first.send_signal(signal.SIGKILL)  # as the OOM killer would
    second = await a_worker_other_than(running, first.pid)
    assert await health_of(running.base_url) == 200
    assert (await probe(redis_server.url))["ok"] is True
    assert "starting it again" in running.output

    redis_server.stop()
    await asyncio.sleep(OUTAGE_SECONDS)
    redis_server.start()
    assert (await probe(redis_server.url))["ok"] is True
    assert [w.pid for w in workers(running)] == [second.pid], "the same worker outlives the Redis restart"
    assert await health_of(running.base_url) == 200

    started = [running.process, *running.process.children(recursive=True)]
    running.process.send_signal(signal.SIGINT)
    await asyncio.to_thread(running.process.wait, STOP_SECONDS)
    _, alive = await asyncio.to_thread(psutil.wait_procs, started, 3)
    leftovers = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert leftovers == [], f"still running after Ctrl-C: {[p.cmdline() for p in leftovers]}"
