"""The Procfile's lines as processes: parsed (`${VAR:-default}` filled from an environment), the
program made this virtualenv's, and started with the suite's database and a given Redis, as a platform
(or `honcho start -c web=3,worker=2`) starts them. The port and host are the only things a test
changes: a free port, and 127.0.0.1 instead of every interface."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from server.kernel.config import ROOT
from tests.settings import TMP

PROCFILE = ROOT / "Procfile"
STARTUP_SECONDS = 90  # a limit, not a wait: several processes importing at once on two shared cores
STOP_SECONDS = 30  # the stop timeout docker-compose.yml gives every process
VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)")


def lines(path: Path = PROCFILE) -> dict[str, str]:
    """`name: command` per process type, comments and blank lines skipped."""
    found = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            name, _, command = line.partition(":")
            found[name.strip()] = command.strip()
    return found


def expand(command: str, env: Mapping[str, str]) -> str:
    """`${PORT:-8000}` and `$PORT` as a POSIX shell fills them in."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        return env.get(name) or (match.group(2) or "")

    return VARIABLE.sub(value, command)


def argv(command: str, env: Mapping[str, str]) -> list[str]:
    """The command as arguments, run by this interpreter (`uvicorn` and `python` are the venv's)."""
    words = shlex.split(expand(command, env))
    if words[0] == "uvicorn":
        words = [sys.executable, "-m", "uvicorn", *words[1:]]
    elif words[0] in {"python", "python3"}:
        words = [sys.executable, *words[1:]]
    if "--host" in words:
        words[words.index("--host") + 1] = "127.0.0.1"
    return words


@dataclass
class Process:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    url: str = ""

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, seconds: float = STOP_SECONDS) -> int:
        """Send `sig` and wait for the exit; its code (killed after `seconds`: a failure)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"{self.name} did not stop within {seconds} s of signal {sig}:\n{self.output()[-3000:]}")


def start(name: str, redis_url: str, *, port: int = 0, extra_env: Mapping[str, str] | None = None) -> Process:
    """The Procfile's `name` line (`web`, `worker`) as a process on the suite's database and this Redis."""
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1", "WEB_CONCURRENCY": "1", **(extra_env or {})}
    if port:
        env["PORT"] = str(port)
    log = TMP / f"procfile-{name}-{port or 'w'}-{time.monotonic_ns()}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(argv(lines()[name], env), cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    return Process(name, process, log, f"http://127.0.0.1:{port}" if port else "")


def wait_until_serving(*processes: Process) -> None:
    """Every web process answers /health with 200: database, Redis and its realtime subscriber up."""
    deadline = time.monotonic() + STARTUP_SECONDS
    waiting = list(processes)
    while waiting:
        web = waiting[0]
        if web.process.poll() is not None:
            pytest.fail(f"{web.name} exited with {web.process.returncode}:\n{web.output()[-3000:]}")
        try:
            if httpx.get(f"{web.url}/health", timeout=2).status_code == 200:
                waiting.pop(0)
                continue
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{web.name} did not answer /health within {STARTUP_SECONDS} s:\n{web.output()[-3000:]}")
        time.sleep(0.1)


@contextmanager
def running(processes: list[Process]) -> Iterator[list[Process]]:
    """Stops (SIGTERM, then SIGKILL) whatever of these is still running on the way out."""
    try:
        yield processes
    finally:
        for each in processes:
            if each.process.poll() is None:
                each.process.send_signal(signal.SIGTERM)
        for each in processes:
            try:
                each.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                each.process.kill()
                each.process.wait()
