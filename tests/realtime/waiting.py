"""Waiting for something another process does: Redis noticed gone, a subscriber back, an entry
expired. Polls until the check holds; fails, saying what never happened, after `seconds`."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable

import pytest

Check = Callable[[], bool] | Callable[[], Awaitable[bool]]


async def eventually(check: Check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"{what}: not within {seconds:.0f} s")
