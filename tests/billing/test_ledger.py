"""Finalising, unlocking and sharing summaries: entries billed once, locked, and released with a
reason the activity log keeps."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import pytest

from server.billing.writes import BillingError, SummaryFinalised, compute_summary, finalise, share, unlock
from server.rules.entries import EntryRefused
from server.tables import Activity, BillingSummary, Client, TimeEntry
from server.time.writes import refuse_if_locked
from tests.billing.helpers import TZ, at, computed_summary
from tests.conftest import Agency
from tests.factories import actor, add_card, add_entry

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


async def summary_row(summary_id: int) -> dict:
    row = await BillingSummary.select().where(BillingSummary.id == summary_id).output(load_json=True).first()
    assert row is not None
    return row


async def acme_hours(agency: Agency) -> list[int]:
    card = await add_card(agency.acme_project, "Homepage")
    return [
        await add_entry(card, agency.max, at("2026-11-02 09:00"), 60),
        await add_entry(card, agency.max, at("2026-11-03 09:00"), 30),
    ]


async def test_finalising_locks_the_entries_and_keeps_the_rates_it_used(agency: Agency) -> None:
    entries = await acme_hours(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    await finalise(summary_id, actor(agency, "ada"))
    rows = await TimeEntry.select(TimeEntry.summary, TimeEntry.locked).where(TimeEntry.id.is_in(entries))
    assert rows == [{"summary": summary_id, "locked": True}] * 2
    await Client.update({Client.hourly_rate: Decimal("200.00")}).where(Client.id == agency.acme)
    row = await summary_row(summary_id)
    assert row["finalised_by"] == agency.ada and row["finalised_at"] is not None
    assert row["amounts"] == {"EUR": "142.50"}
    assert row["result"]["rates"][0]["rate"] == "95.00"
    with pytest.raises(SummaryFinalised):
        await compute_summary(summary_id, timezone=TZ)


async def test_finalising_logs_the_change_on_each_project_board(agency: Agency) -> None:
    await acme_hours(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    await finalise(summary_id, actor(agency, "ada"))
    logged = await Activity.select(Activity.project, Activity.verb, Activity.data).output(load_json=True)
    assert [(a["project"], a["verb"], a["data"]) for a in logged if a["verb"].startswith("billing")] == [
        (agency.acme_project, "billing_finalised", {"summary_id": summary_id})
    ]


async def test_a_finalised_entry_cannot_be_edited_and_says_it_is_billed(agency: Agency) -> None:
    (entry_id, _) = await acme_hours(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    await finalise(summary_id, actor(agency, "ada"))
    entry = await TimeEntry.select().where(TimeEntry.id == entry_id).first()
    with pytest.raises(EntryRefused) as refused:
        await refuse_if_locked(entry, agency.max, agency.acme_project, entry["started_at"], TZ)
    assert f"#{summary_id}" in str(refused.value.args) + str(vars(refused.value))


async def test_a_summary_still_queued_cannot_be_finalised(agency: Agency) -> None:
    rows = await BillingSummary.insert(
        BillingSummary(client=agency.acme, period_start=NOVEMBER[0], period_end=NOVEMBER[1])
    ).returning(BillingSummary.id)
    with pytest.raises(BillingError, match="computed"):
        await finalise(rows[0]["id"], actor(agency, "ada"))


async def test_a_summary_cannot_be_finalised_twice(agency: Agency) -> None:
    await acme_hours(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    await finalise(summary_id, actor(agency, "ada"))
    with pytest.raises(BillingError, match="already finalised"):
        await finalise(summary_id, actor(agency, "ada"))


async def test_an_overlapping_summary_is_refused_and_names_the_one_that_billed(agency: Agency) -> None:
    await acme_hours(agency)
    november = await computed_summary(agency.acme, *NOVEMBER)
    all_clients_week = await computed_summary(None, date(2026, 11, 2), date(2026, 11, 8))
    await finalise(november, actor(agency, "ada"))
    with pytest.raises(BillingError, match=f"#{november}"):
        await finalise(all_clients_week, actor(agency, "ada"))
    assert (await summary_row(all_clients_week))["finalised_at"] is None


async def test_overlapping_summaries_finalised_at_once_bill_each_entry_once(agency: Agency) -> None:
    entries = await acme_hours(agency)
    first = await computed_summary(agency.acme, *NOVEMBER)
    second = await computed_summary(None, date(2026, 10, 26), date(2026, 11, 8))
    outcomes = await asyncio.gather(
        finalise(first, actor(agency, "ada")), finalise(second, actor(agency, "ada")), return_exceptions=True
    )
    assert sum(o is None for o in outcomes) == 1
    assert sum(isinstance(o, BillingError) for o in outcomes) == 1
    winner = first if outcomes[0] is None else second
    rows = await TimeEntry.select(TimeEntry.summary).where(TimeEntry.id.is_in(entries))
    assert {r["summary"] for r in rows} == {winner}
    loser = await summary_row(second if winner == first else first)
    assert loser["finalised_at"] is None


async def test_unlocking_releases_the_entries_and_logs_the_reason(agency: Agency) -> None:
    entries = await acme_hours(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    await finalise(summary_id, actor(agency, "ada"))
    await share(summary_id, actor(agency, "ada"), shared=True, show_amounts=True)
    await unlock(summary_id, actor(agency, "ada"), "Wrong rate for Max")
    rows = await TimeEntry.select(TimeEntry.summary, TimeEntry.locked).where(TimeEntry.id.is_in(entries))
    assert rows == [{"summary": None, "locked": False}] * 2
    row = await summary_row(summary_id)
    assert row["finalised_at"] is None and row["shared_with_client"] is False
    logged = (
        await Activity.select(Activity.verb, Activity.data)
        .where(Activity.verb == "billing_unlocked")
        .output(load_json=True)
    )
    assert logged == [{"verb": "billing_unlocked", "data": {"summary_id": summary_id, "reason": "Wrong rate for Max"}}]
    await compute_summary(summary_id, timezone=TZ)  # may be computed again
    assert (await summary_row(summary_id))["status"] == "done"


async def test_unlocking_needs_a_reason_and_a_finalised_summary(agency: Agency) -> None:
    await acme_hours(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    with pytest.raises(BillingError, match="finalised"):
        await unlock(summary_id, actor(agency, "ada"), "because")
    await finalise(summary_id, actor(agency, "ada"))
    with pytest.raises(BillingError, match="why"):
        await unlock(summary_id, actor(agency, "ada"), "   ")
    assert (await summary_row(summary_id))["finalised_at"] is not None


async def test_new_entries_in_the_period_after_finalising_are_not_in_the_summary(agency: Agency) -> None:
    await acme_hours(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    await finalise(summary_id, actor(agency, "ada"))
    card = await add_card(agency.acme_project, "Late")
    late = await add_entry(card, agency.max, at("2026-11-04 09:00"), 60)
    assert (await summary_row(summary_id))["rounded_minutes"] == 90
    assert (await TimeEntry.select(TimeEntry.summary).where(TimeEntry.id == late).first())["summary"] is None


async def test_only_a_finalised_summary_of_one_client_can_be_shared(agency: Agency) -> None:
    await acme_hours(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    with pytest.raises(BillingError, match="finalised"):
        await share(summary_id, actor(agency, "ada"), shared=True, show_amounts=False)
    everyone = await computed_summary(None, NOVEMBER[0] - timedelta(days=60), NOVEMBER[0] - timedelta(days=31))
    await finalise(everyone, actor(agency, "ada"))
    with pytest.raises(BillingError, match="all clients"):
        await share(everyone, actor(agency, "ada"), shared=True, show_amounts=False)
    await finalise(summary_id, actor(agency, "ada"))
    await share(summary_id, actor(agency, "ada"), shared=True, show_amounts=False)
    row = await summary_row(summary_id)
    assert (row["shared_with_client"], row["share_amounts"]) == (True, False)
    await share(summary_id, actor(agency, "ada"), shared=False, show_amounts=True)
    row = await summary_row(summary_id)
    assert (row["shared_with_client"], row["share_amounts"]) == (False, False)
