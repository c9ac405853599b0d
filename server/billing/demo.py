"""The demo's billing: last month's summary of one client, computed, finalised and shared with the
client (amounts shown), so the billing pages and the client's portal have something real to show."""

from __future__ import annotations

from datetime import date

from server.billing.writes import compute_summary, finalise, new_summary, share
from server.rules.periods import preset
from server.rules.policy import Actor


async def seed_billing(client_id: int, admin: Actor, today: date, timezone: str) -> int:
    summary_id = await new_summary(client_id, preset("last_month", today), requested_by=admin.id)
    await compute_summary(summary_id, timezone=timezone)
    await finalise(summary_id, admin)
    await share(summary_id, admin, shared=True, show_amounts=True)
    return summary_id
