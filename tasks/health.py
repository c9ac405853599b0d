"""The worker's readiness, asked as a web process's `/health` is and answered in the same words:
`python -m tasks --check` prints `{"status": "ok", "redis": "up", "worker": "up", "database": "up"}`
and exits 0, or names what is down and exits 1 (a container's HEALTHCHECK, a systemd watchdog, a
platform's readiness command).

arq's own `arq --check` reads one key per queue, which any one of several workers keeps alive: it
says nothing about this worker. So each host's workers write a key of their own (`key()`, arq's
health-check key plus the host name; in a container, one per container) every EVERY_SECONDS, with the
database's state as the worker itself last saw it (PatientWorker.record_health). The key expires a
second after it is due: a stopped, hung or Redis-less worker is reported down within seconds."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sys
from typing import Any

from arq.constants import default_queue_name, health_check_key_suffix
from redis.asyncio import Redis

from server.kernel.health import DOWN, UP

EVERY_SECONDS = 5
ASK_SECONDS = 2.0


def key(host: str | None = None) -> str:
    return f"{default_queue_name}{health_check_key_suffix}:{host or socket.gethostname()}"


def record(*, database: str, running: int, done: int) -> str:
    return json.dumps({"database": database, "running": running, "done": done})


def body_of(raw: bytes | str | None, redis: str) -> dict[str, Any]:
    """The answer, from this host's key as read (None: absent) and whether Redis answered."""
    parts = {"redis": redis, "worker": DOWN, "database": DOWN}
    if raw is not None:
        parts["worker"] = UP
        # A record not of ours (arq's plain text): the worker is alive, its view of the database unknown.
        with contextlib.suppress(ValueError, AttributeError):
            parts["database"] = UP if json.loads(raw).get("database") == UP else DOWN
    down = [name for name, state in parts.items() if state == DOWN]
    return {"status": DOWN if down else "ok", **parts, **({"down": down} if down else {})}


async def check(redis_url: str, host: str | None = None) -> dict[str, Any]:
    client = Redis.from_url(redis_url, socket_connect_timeout=ASK_SECONDS, socket_timeout=ASK_SECONDS)
    try:
        async with asyncio.timeout(ASK_SECONDS * 2):
            raw = await client.get(key(host))
    except Exception:  # Redis out of reach: nothing else can be known
        return body_of(None, DOWN)
    finally:
        await client.aclose()
    return body_of(raw, UP)


def main() -> int:
    from server.kernel.config import redis_url

    url = redis_url()
    if not url:
        print(json.dumps({"status": DOWN, "redis": DOWN, "down": ["redis"], "error": "REDIS_URL is not set"}))
        return 1
    body = asyncio.run(check(url))
    print(json.dumps(body))
    return 0 if body["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
