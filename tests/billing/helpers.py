"""Summaries put straight into the database for the core billing tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from server.billing.writes import compute_summary
from server.rules.policy import Actor, Role
from server.tables import BillingSummary

TZ = "Europe/Berlin"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def admin(agency_ada: int) -> Actor:
    return Actor(id=agency_ada, email="ada@agency.test", name="Ada Admin", role=Role.ADMIN)


async def computed_summary(client_id: int | None, start: date, end: date, requested_by: int | None = None) -> int:
    rows = await BillingSummary.insert(
        BillingSummary(client=client_id, period_start=start, period_end=end, requested_by=requested_by)
    ).returning(BillingSummary.id)
    summary_id = int(rows[0]["id"])
    await compute_summary(summary_id, timezone=TZ)
    return summary_id
