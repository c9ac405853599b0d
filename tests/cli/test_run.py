"""`boardroom run` end to end, as on a fresh machine: no DATABASE_URL, no REDIS_URL, an empty data
directory. It must seed and print the demo logins, serve HTTP, run the worker, and leave nothing
behind on Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import threading
import time
from collections.abc import Iterator

import httpx
import psutil
import pytest
from arq import create_pool
from arq.connections import RedisSettings

from tests.cli.conftest import Machine, free_port

pytestmark = pytest.mark.slow

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')
STARTUP_SECONDS = 60
STOP_SECONDS = 10


class Running:
    """A `boardroom run` process and everything it has printed so far."""

    def __init__(self, process: psutil.Popen, port: int) -> None:
        self.process = process
        self.base_url = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    async def wait_for(self, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if match := re.search(pattern, self.output):
                return match
            if self.process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        raise AssertionError(f"`boardroom run` never printed {pattern!r}; it printed:\n{self.output}")

    def redis_server(self, socket_path: str) -> psutil.Process:
        """redis-server daemonizes, so it is no child of ours: find it by its socket."""
        for process in psutil.process_iter(["name", "cmdline"]):
            if "redis-server" in (process.info["name"] or "") and socket_path in " ".join(
                process.info["cmdline"] or []
            ):
                return process
        raise AssertionError(f"no redis-server listens on {socket_path}")


@pytest.fixture
def running(machine: Machine) -> Iterator[Running]:
    machine.env.pop("DATABASE_URL")  # a newcomer's default: SQLite under the data directory
    port = free_port()
    run = Running(machine.popen(["run", "--host", "127.0.0.1", "--port", str(port)]), port)
    yield run
    if run.process.poll() is None:  # the test failed half-way: nothing it started may outlive it
        for child in run.process.children(recursive=True):
            child.kill()
        run.process.kill()
        run.process.wait(timeout=STOP_SECONDS)


async def sign_in(http: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    page = await http.get("/login")
    assert page.status_code == 200
    match = CSRF_FIELD.search(page.text)
    assert match, "the login form carries a CSRF token"
    return await http.post("/login", data={"email": email, "password": password, "_csrf_token": match.group(1)})


async def health_of(base_url: str) -> int:
    """/health's status once it is 200, or the last one it gave before the start-up time ran out: right after
    start or after Redis came back, the realtime subscriber takes a moment to (re)connect."""
    deadline = time.monotonic() + STARTUP_SECONDS
    status = 0
    async with httpx.AsyncClient(base_url=base_url) as http:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                status = (await http.get("/health")).status_code
            if status == 200:
                return status
            await asyncio.sleep(0.2)
    if status:
        return status
    raise AssertionError(f"{base_url}/health never answered")


async def test_run_serves_the_demo_runs_the_worker_and_stops_cleanly_on_ctrl_c(running: Running, machine: Machine):
    redis_url = (await running.wait_for(r"Embedded Redis at (unix://\S+)")).group(1)
    password = (await running.wait_for(r"password for each: (\S+)\)")).group(1)
    admin = (await running.wait_for(r"admin\s+(\S+@\S+)")).group(1)
    await running.wait_for(r"Boardroom is at " + re.escape(running.base_url))
    assert re.search(r"member\s+\S+@\S+", running.output) and re.search(r"client.*\s\S+@\S+", running.output)
    assert (machine.data_dir / "boardroom.sqlite3").exists()

    assert await health_of(running.base_url) == 200

    async with httpx.AsyncClient(base_url=running.base_url) as http:
        response = await sign_in(http, admin, password)
        assert response.status_code == 303, response.text
        projects = await http.get("/projects")
        assert projects.status_code == 200
        assert "Website relaunch" in projects.text and "Mobile app" in projects.text

    # create-user against the running instance: the new person signs in over HTTP at once.
    created = machine.run("create-user", "newbie@agency.example", "--name", "New Bie", "--password", "welcome aboard")
    assert created.returncode == 0, created.stderr
    async with httpx.AsyncClient(base_url=running.base_url) as http:
        assert (await sign_in(http, "newbie@agency.example", "welcome aboard")).status_code == 303
        assert (await http.get("/profile")).status_code == 200

    redis = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        job = await redis.enqueue_job("check_database")
        assert job is not None
        result = await job.result(timeout=30)
    finally:
        await redis.aclose()
    assert result["ok"] is True
    assert result["engine"] == "sqlite"

    started = [running.process, *running.process.children(recursive=True)]
    started.append(running.redis_server(redis_url.removeprefix("unix://")))
    names = " ".join(" ".join(p.cmdline()) for p in started)
    assert "uvicorn" in names and "-m tasks" in names and "redis-server" in names

    began = time.monotonic()
    running.process.send_signal(signal.SIGINT)
    await asyncio.to_thread(running.process.wait, STOP_SECONDS)
    assert time.monotonic() - began < STOP_SECONDS
    _, alive = await asyncio.to_thread(psutil.wait_procs, started, 3)
    leftovers = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert leftovers == [], f"still running after Ctrl-C: {[p.cmdline() for p in leftovers]}"
