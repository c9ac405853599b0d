"""Real servers for tests that need real HTTP and websockets: uvicorn in a subprocess on the suite's
own database and Redis, and a signed-in HTTP session against it. Test data goes in through the usual
fixtures (`agency`); the server sees it because it shares the database.

Conftests re-export `live_server`; every re-export shares one server per run."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from server.kernel.config import ROOT
from tests.conftest import EMAILS, PASSWORD
from tests.settings import TMP

STARTUP_SECONDS = 30
UVICORN_OPTIONS = ["--host", "127.0.0.1", "--ws", "websockets-sansio", "--log-level", "warning"]
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_health(base_url: str, server: subprocess.Popen[bytes], log: Any) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the test server exited with {server.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/health/live", timeout=1).status_code == 200:  # serving pages
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the test server did not answer /health/live within {STARTUP_SECONDS} s:\n{log.read_text()}")


@contextmanager
def running_server(redis_url: str) -> Iterator[str]:
    """A web process serving server.asgi:app on a free port, on the test DATABASE_URL and this Redis;
    yields its base URL. Call it twice for two processes sharing one Redis."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"}
    log = TMP / f"live-server-{port}.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "server.asgi:app", "--port", str(port), *UVICORN_OPTIONS],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_health(base_url, server, log)
        yield base_url
    finally:
        stop(server)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask a process to end; kill it if it has not within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class _Shared:
    """One server for the run, however many conftests re-export the fixture (pytest keeps a
    fixture's value per conftest that defines it): started by the first user, stopped by the last."""

    users = 0
    url = ""
    stack: Any = None


@pytest.fixture(scope="session")
def live_server(schema: None, redis_url: str) -> Iterator[str]:
    """The base URL of a web process on the test database and Redis, shared by the whole run."""
    if _Shared.users == 0:
        _Shared.stack = running_server(redis_url)
        _Shared.url = _Shared.stack.__enter__()
    _Shared.users += 1
    try:
        yield _Shared.url
    finally:
        _Shared.users -= 1
        if _Shared.users == 0:
            _Shared.stack.__exit__(None, None, None)


class LiveSession:
    """A person's HTTP session against a live server: cookies, the CSRF token, and the Cookie
    header a websocket needs to be that person too."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.AsyncClient(base_url=base_url, timeout=10)
        self.csrf = ""

    async def login(self, persona: str) -> LiveSession:
        page = await self.http.get("/login")
        match = CSRF_INPUT.search(page.text)
        assert match, "the login page carries a CSRF token"
        self.csrf = match.group(1)
        response = await self.http.post(
            "/login", data={"email": EMAILS[persona], "password": PASSWORD, "_csrf_token": self.csrf}
        )
        assert response.status_code == 303, response.text
        return self

    async def post(self, path: str, data: dict[str, Any]) -> httpx.Response:
        return await self.http.post(path, data=data, headers={"x-csrftoken": self.csrf})

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.http.cookies.jar)

    async def aclose(self) -> None:
        await self.http.aclose()
