"""The demo's billing: last month's summary of one client, computed, finalised and shared with the
client (amounts shown), so the billing pages and the client's portal have something real to show."""

from __future__ import annotations

from datetime import date

from server.billing.compute import compute_summary
from server.billing.writes import finalise, share
from server.rules.periods import preset
from server.rules.policy import Actor
from server.tables import BillingSummary


async def seed_billing(client_id: int, admin: Actor, today: date, timezone: str) -> int:
    period = preset("last_month", today)
    rows = await BillingSummary.insert(
        BillingSummary(client=client_id, period_start=period.start, period_end=period.end, requested_by=admin.id)
    ).returning(BillingSummary.id)
    summary_id = int(rows[0]["id"])
    await compute_summary(summary_id, timezone=timezone)
    await finalise(summary_id, admin)
    await share(summary_id, admin, shared=True, show_amounts=True)
    return summary_id
