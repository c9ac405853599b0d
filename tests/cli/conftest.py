"""Running the real `boardroom` console command as a newcomer would, each test with its own
SQLite file and data directory (never the suite's shared database)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

# The suite's own settings (tests/settings.py, conftest) that must not leak into a command under test.
SUITE_ENV = (
    "DATABASE_URL",
    "REDIS_URL",
    "BOARDROOM_DATA_DIR",
    "SECRET_KEY",
    "BOARDROOM_CHANNEL_NAMESPACE",
    "PORT",
    "HOST",
)


def boardroom_command() -> list[str]:
    """The installed console script when there is one (proves the entry point), else the module."""
    script = Path(sys.executable).parent / "boardroom"
    if script.exists():
        return [str(script)]
    found = shutil.which("boardroom")
    return [found] if found else [sys.executable, "-m", "server.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Machine:
    """A fresh machine's worth of environment: no DATABASE_URL pointing at the suite, no REDIS_URL."""

    data_dir: Path
    env: dict[str, str]

    @property
    def database(self) -> Path:
        return self.data_dir / "boardroom.sqlite3"

    def run(self, *args: str, input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*boardroom_command(), *args],
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def popen(self, args: Sequence[str]) -> psutil.Popen:
        """Started in the background; psutil's Popen also knows the process's children."""
        return psutil.Popen(
            [*boardroom_command(), *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    data_dir = tmp_path / "data"
    env = {key: value for key, value in os.environ.items() if key not in SUITE_ENV}
    env.update(
        DATABASE_URL=f"sqlite:///{data_dir / 'boardroom.sqlite3'}",
        BOARDROOM_DATA_DIR=str(data_dir),
        PYTHONUNBUFFERED="1",
    )
    return Machine(data_dir=data_dir, env=env)
