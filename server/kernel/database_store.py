"""A Litestar store kept in the database (the `stored_value` table): sessions and login throttle counts.

They live beside the data they guard, so a Redis outage cannot sign anyone out or turn a signed-in
request into a 500; every web process shares them, as they shared Redis. A read is one lookup by a
unique key; expired rows are skipped when read and deleted by a sweep that a write runs at most
every few minutes per process (one DELETE over the `expires_at` index).
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta

from litestar.stores.base import NamespacedStore

from server.tables import StoredValue

KEY_LENGTH = 255  # the column's length; longer keys (a forged cookie, say) are stored by their hash
SWEEP_EVERY_SECONDS = 5 * 60


def _seconds(expires_in: int | timedelta | None) -> float | None:
    if isinstance(expires_in, timedelta):
        return expires_in.total_seconds()
    return expires_in


def _now() -> datetime:
    return datetime.now(UTC)


class DatabaseStore(NamespacedStore):
    """Litestar's Store interface over one table; `namespace` keeps each store's keys apart."""

    __slots__ = ("_last_sweep",)

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self._last_sweep: float | None = None

    def with_namespace(self, namespace: str) -> DatabaseStore:
        return type(self)(f"{self.namespace}:{namespace}")

    def _key(self, key: str) -> str:
        full = f"{self.namespace}:{key}"
        if len(full) <= KEY_LENGTH:
            return full
        return f"{self.namespace}:#{hashlib.sha256(key.encode()).hexdigest()}"

    async def entry(self, key: str) -> tuple[bytes, datetime | None] | None:
        """The value and when it expires (None: never), in one read; None if absent or expired."""
        row = (
            await StoredValue.select(StoredValue.value, StoredValue.expires_at)
            .where(StoredValue.key == self._key(key))
            .first()
        )
        if row is None or (row["expires_at"] is not None and row["expires_at"] <= _now()):
            return None
        return bytes(row["value"]), row["expires_at"]

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        found = await self.entry(key)
        if found is None:
            return None
        value, expires_at = found
        if renew_for is not None and expires_at is not None:
            await self._expire(key, _seconds(renew_for))
        return value

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        data = value.encode() if isinstance(value, str) else value
        seconds = _seconds(expires_in)
        expires_at = _now() + timedelta(seconds=seconds) if seconds else None
        await StoredValue.insert(StoredValue(key=self._key(key), value=data, expires_at=expires_at)).on_conflict(
            target=StoredValue.key,
            action="DO UPDATE",
            values=[StoredValue.value, StoredValue.expires_at],
        )
        await self._sweep_now_and_then()

    async def replace(self, key: str, value: bytes, expires_in: int | timedelta | None = None) -> None:
        """Like `set`, but only if the key is still there: a session ended meanwhile (a logout in
        another tab) stays ended, whatever a request that read it before writes back."""
        seconds = _seconds(expires_in)
        expires_at = _now() + timedelta(seconds=seconds) if seconds else None
        await StoredValue.update({StoredValue.value: value, StoredValue.expires_at: expires_at}).where(
            StoredValue.key == self._key(key)
        )

    async def delete(self, key: str) -> None:
        await StoredValue.delete().where(StoredValue.key == self._key(key))

    async def delete_all(self) -> None:
        await StoredValue.delete().where(StoredValue.key.like(f"{self.namespace}:%"))

    async def exists(self, key: str) -> bool:
        return await self.entry(key) is not None

    async def expires_in(self, key: str) -> int | None:
        found = await self.entry(key)
        if found is None or found[1] is None:
            return None
        return int((found[1] - _now()).total_seconds())

    async def delete_expired(self) -> None:
        """Delete every expired entry, of every namespace: they are dead whoever wrote them."""
        await StoredValue.delete().where(StoredValue.expires_at <= _now())

    async def _expire(self, key: str, seconds: float | None) -> None:
        expires_at = _now() + timedelta(seconds=seconds) if seconds else None
        await StoredValue.update({StoredValue.expires_at: expires_at}).where(StoredValue.key == self._key(key))

    async def _sweep_now_and_then(self) -> None:
        # On writes only (a sign-in, a changed session): reads stay reads.
        if self._last_sweep is not None and time.monotonic() - self._last_sweep < SWEEP_EVERY_SECONDS:
            return
        self._last_sweep = time.monotonic()
        await self.delete_expired()
