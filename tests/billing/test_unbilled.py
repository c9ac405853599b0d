"""Hours in no finalised summary, per client and project."""

from __future__ import annotations

from datetime import date

from server.billing.store import unbilled
from server.billing.writes import finalise
from tests.billing.helpers import TZ, at, computed_summary
from tests.conftest import Agency
from tests.factories import actor, add_card, add_entry


async def test_unbilled_hours_are_listed_per_client_and_project_until_finalised(agency: Agency) -> None:
    acme = await add_card(agency.acme_project, "Site")
    globex = await add_card(agency.globex_project, "App")
    await add_entry(acme, agency.max, at("2026-10-31 23:30"), 50)  # 1 November in Berlin
    await add_entry(acme, agency.max, at("2026-12-02 09:00"), 10, billable=False)
    await add_entry(globex, agency.mia, at("2026-11-03 09:00"), 60)
    await add_entry(globex, agency.mia, at("2026-11-04 09:00"), None)  # running: not yet
    rows = await unbilled(TZ)
    assert [(r["client_name"], r["project_key"]) for r in rows] == [("Acme", "ACME"), ("Globex", "GLOBEX")]
    acme_row = rows[0]
    assert (acme_row["total_minutes"], acme_row["billable_minutes"], acme_row["rounded_minutes"]) == (60, 50, 60)
    assert (acme_row["first_day"], acme_row["last_day"]) == ("2026-11-01", "2026-12-02")
    assert (acme_row["amount"], acme_row["currency"]) == ("95.00", "EUR")
    summary_id = await computed_summary(agency.globex, date(2026, 11, 1), date(2026, 11, 30))
    await finalise(summary_id, actor(agency, "ada"))
    assert [r["project_key"] for r in await unbilled(TZ)] == ["ACME"]


async def test_nothing_logged_means_nothing_unbilled(agency: Agency) -> None:
    assert await unbilled(TZ) == []
