"""The demo's billing: last month's summary of Acme, computed, finalised and shared with amounts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from server.billing.demo import seed_billing
from server.rules.periods import Period, preset
from server.tables import BillingSummary, TimeEntry
from server.time.demo import seed_time
from tests.conftest import Agency
from tests.factories import actor, add_card

TODAY = date(2026, 11, 23)


def test_last_month_is_the_whole_calendar_month_before_today() -> None:
    assert preset("last_month", TODAY) == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert preset("last_month", date(2026, 1, 5)) == Period(date(2025, 12, 1), date(2025, 12, 31))


async def test_the_demo_bills_acme_s_october_and_shows_it_to_cleo(agency: Agency, as_user: Any) -> None:
    await add_card(agency.acme_project, "Hero copy")
    await seed_time(TODAY)
    summary_id = await seed_billing(agency.acme, actor(agency, "ada"), TODAY, "UTC")

    row = await BillingSummary.select().where(BillingSummary.id == summary_id).first()
    assert row is not None and row["status"] == "done" and row["finalised_at"] is not None
    assert row["shared_with_client"] and row["share_amounts"]
    october = await TimeEntry.select(TimeEntry.summary, TimeEntry.locked, TimeEntry.minutes).where(
        (TimeEntry.project == agency.acme_project) & (TimeEntry.started_at < datetime(2026, 11, 1, tzinfo=UTC))
    )
    assert october and all(e["summary"] == summary_id and e["locked"] for e in october)
    assert row["total_minutes"] == sum(e["minutes"] for e in october)
    november = await TimeEntry.select(TimeEntry.summary).where(
        TimeEntry.started_at >= datetime(2026, 11, 1, tzinfo=UTC)
    )
    assert november and all(e["summary"] is None for e in november)

    cleo = await as_user("cleo")
    assert (await cleo.get(f"/portal/summaries/{summary_id}")).status_code == 200
