"""Reading what the notifications feature wrote, for the tests' assertions."""

from __future__ import annotations

from typing import Any

from server.tables import Notification, OutboxMail


async def kinds_for(user_id: int) -> list[str]:
    """The kinds of the person's notifications, oldest first."""
    rows = (
        await Notification.select(Notification.kind).where(Notification.recipient == user_id).order_by(Notification.id)
    )
    return [r["kind"] for r in rows]


async def everyone_told() -> dict[int, list[str]]:
    rows = await Notification.select(Notification.recipient, Notification.kind).order_by(Notification.id)
    told: dict[int, list[str]] = {}
    for row in rows:
        told.setdefault(row["recipient"], []).append(row["kind"])
    return told


async def mails() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await OutboxMail.select().order_by(OutboxMail.id)
    return rows
