"""Who is signed in: loading the user behind a session, and throttling login attempts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.stores.base import Store

from server.accounts.sessions import password_stamp
from server.accounts.store import active_user
from server.rules.policy import Actor, Role

# Five wrong passwords for one address from one place, then a 15-minute pause: enough to stop
# guessing, short enough that the real user is never locked out for long.
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
# And per account, from anywhere: the client's address is only as true as the proxy that reports it,
# so an attacker who spreads guesses over many addresses (or forges X-Forwarded-For) still meets this
# one. Higher, since a whole office shares it; each failure past it doubles the pause, up to an hour.
ACCOUNT_MAX_FAILURES = 20
ACCOUNT_FIRST_PAUSE_SECONDS = 60
ACCOUNT_LONGEST_PAUSE_SECONDS = 60 * 60
ACCOUNT_MEMORY_SECONDS = 24 * 3600  # failures are forgotten a day after the last one


def actor_from_row(row: dict[str, Any]) -> Actor:
    return Actor(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        client_id=row["client"],
        locale=row["locale"],
    )


async def retrieve_user(session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    user_id = session.get("uid")
    if not isinstance(user_id, int):
        return None
    row = await active_user(user_id)
    if row is None or session.get("pw") != password_stamp(row["password_hash"], row["session_epoch"]):
        return None
    return actor_from_row(row)


def account_pause(failures: int) -> int:
    """Seconds an account waits after `failures` failed attempts in a row: none below the
    threshold, then 1, 2, 4 … minutes, at most an hour."""
    if failures < ACCOUNT_MAX_FAILURES:
        return 0
    doublings = min(failures - ACCOUNT_MAX_FAILURES, 6)
    return min(ACCOUNT_FIRST_PAUSE_SECONDS * 2**doublings, ACCOUNT_LONGEST_PAUSE_SECONDS)


@dataclass(frozen=True)
class LoginThrottle:
    """Counts failed logins per (address, client IP) and per address alone, in a store shared by all
    web processes: the app's "limits" store, in the database, so that signing in keeps working (and
    keeps counting) while Redis is down. `who` is an email address, or any other secret's name
    (a share link's), counted the same way."""

    store: Store

    @staticmethod
    def _key(who: str, ip: str) -> str:
        return f"login:{who.lower()}:{ip}"

    @staticmethod
    def _account_key(who: str) -> str:
        return f"login-account:{who.lower()}"

    @staticmethod
    def _pause_key(who: str) -> str:
        return f"login-pause:{who.lower()}"

    async def retry_after(self, who: str, ip: str) -> int:
        """Seconds until another attempt is allowed; 0 when one is allowed now."""
        waits = [0]
        key = self._key(who, ip)
        raw = await self.store.get(key)
        if raw is not None and int(raw) >= MAX_FAILURES:
            waits.append(max(await self.store.expires_in(key) or 0, 1))
        if await self.store.get(self._pause_key(who)) is not None:
            waits.append(max(await self.store.expires_in(self._pause_key(who)) or 0, 1))
        return max(waits)

    async def failed(self, who: str, ip: str) -> None:
        key = self._key(who, ip)
        raw = await self.store.get(key)
        count = int(raw) + 1 if raw is not None else 1
        remaining = await self.store.expires_in(key) if raw is not None else None
        await self.store.set(key, str(count), expires_in=remaining or WINDOW_SECONDS)
        await self._account_failed(who)

    async def _account_failed(self, who: str) -> None:
        raw = await self.store.get(self._account_key(who))
        failures = int(raw) + 1 if raw is not None else 1
        await self.store.set(self._account_key(who), str(failures), expires_in=ACCOUNT_MEMORY_SECONDS)
        if pause := account_pause(failures):
            await self.store.set(self._pause_key(who), str(failures), expires_in=pause)

    async def succeeded(self, who: str, ip: str) -> None:
        await self.store.delete(self._key(who, ip))
        await self.store.delete(self._account_key(who))
        await self.store.delete(self._pause_key(who))
