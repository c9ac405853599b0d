"""What a process's health check asks, each part with a short timeout: the database (a `SELECT 1`
through the pool), Redis (a PING) and whatever else the caller adds (a web process: its realtime
subscriber). Shared by the web's `/health` (server/app.py) and the worker's `python -m tasks --check`
(tasks/health.py), so both answer in the same words: `{"status": "ok", "database": "up", ...}`, or
`"status": "down"` with `"down"` naming the parts that are."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from piccolo.engine import engine_finder

CHECK_SECONDS = 1.0  # each part; a load balancer asks every few seconds and must get an answer
UP, DOWN = "up", "down"

Check = Callable[[], Awaitable[bool]]


async def database_up() -> bool:
    engine = engine_finder()
    if engine is None:
        return False
    await engine.run_ddl("SELECT 1")
    return True


def redis_up(redis: Any) -> Check:
    """A PING on this client (one whose own socket timeouts are short: an unreachable Redis must fail
    the check, not hang it)."""

    async def ping() -> bool:
        return bool(await redis.ping())

    return ping


def constant(value: bool) -> Check:
    async def known() -> bool:
        return value

    return known


async def _part(check: Check, seconds: float) -> str:
    try:
        async with asyncio.timeout(seconds):
            return UP if await check() else DOWN
    except Exception:  # any failure of a part is "down"; the body says which part, the log need not
        return DOWN


async def report(checks: Mapping[str, Check], seconds: float = CHECK_SECONDS) -> dict[str, Any]:
    """Every part checked at once (so the whole answer takes at most `seconds`), in the order given."""
    states = await asyncio.gather(*(_part(check, seconds) for check in checks.values()))
    body: dict[str, Any] = {"status": "ok", **dict(zip(checks, states, strict=True))}
    down = [name for name, state in zip(checks, states, strict=True) if state == DOWN]
    if down:
        body["status"] = DOWN
        body["down"] = down
    return body


def is_up(body: Mapping[str, Any]) -> bool:
    return bool(body.get("status") == "ok")
