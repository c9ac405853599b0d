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


@dataclass(frozen=True)
class LoginThrottle:
    """Counts failed logins per (address, client IP) in a store shared by all web processes: the
    app's "limits" store, in the database, so that signing in keeps working (and keeps counting)
    while Redis is down."""

    store: Store

    @staticmethod
    def _key(email: str, ip: str) -> str:
        return f"login:{email.lower()}:{ip}"

    async def retry_after(self, email: str, ip: str) -> int:
        """Seconds until another attempt is allowed; 0 when one is allowed now."""
        key = self._key(email, ip)
        raw = await self.store.get(key)
        if raw is None or int(raw) < MAX_FAILURES:
            return 0
        return max(await self.store.expires_in(key) or 0, 1)

    async def failed(self, email: str, ip: str) -> None:
        key = self._key(email, ip)
        raw = await self.store.get(key)
        count = int(raw) + 1 if raw is not None else 1
        remaining = await self.store.expires_in(key) if raw is not None else None
        await self.store.set(key, str(count), expires_in=remaining or WINDOW_SECONDS)

    async def succeeded(self, email: str, ip: str) -> None:
        await self.store.delete(self._key(email, ip))
