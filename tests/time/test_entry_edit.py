from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from server.tables import Client, Membership, TimeEntry
from tests.conftest import Agency
from tests.factories import add_card, add_entry


async def test_max_edits_his_entry_and_the_times_are_saved(as_user: Any, agency: Agency) -> None:
    task = await add_card(agency.acme_project, "Hero copy")
    day = datetime.now(UTC).date() - timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    entry = await add_entry(task, agency.max, start, 60)
    max_ = await as_user("max")
    page = await max_.get(f"/entries/{entry}/edit")
    assert page.status_code == 200 and 'value="09:00"' in page.text and 'value="10:00"' in page.text
    response = await max_.post(
        f"/entries/{entry}",
        {"date": day.isoformat(), "start": "09:00", "end": "11:30", "note": "longer", "billable": "on"},
    )
    assert response.status_code == 303
    row = await TimeEntry.select().where(TimeEntry.id == entry).first()
    assert row is not None and row["minutes"] == 150 and row["note"] == "longer"


async def test_an_edit_that_would_overlap_is_refused_and_changes_nothing(as_user: Any, agency: Agency) -> None:
    task = await add_card(agency.acme_project, "Hero copy")
    day = datetime.now(UTC).date() - timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    first = await add_entry(task, agency.max, start, 60)
    second = await add_entry(task, agency.max, start + timedelta(hours=2), 60)
    max_ = await as_user("max")
    response = await max_.post(f"/entries/{first}", {"date": day.isoformat(), "start": "09:00", "end": "11:30"})
    assert response.status_code == 422
    assert f"#{second}" in response.text
    row = await TimeEntry.select(TimeEntry.minutes).where(TimeEntry.id == first).first()
    assert row is not None and row["minutes"] == 60


async def test_mia_cannot_open_or_edit_maxs_entry(as_user: Any, agency: Agency) -> None:
    task = await add_card(agency.acme_project, "Hero copy")
    start = datetime.now(UTC) - timedelta(hours=3)
    entry = await add_entry(task, agency.max, start, 60)
    mia = await as_user("mia")
    assert (await mia.get(f"/entries/{entry}/edit")).status_code == 404
    assert (
        await mia.post(f"/entries/{entry}", {"date": "2026-01-01", "start": "09:00", "end": "10:00"})
    ).status_code == 404


async def test_admins_see_what_an_entry_bills_members_do_not(as_user: Any, agency: Agency) -> None:
    await Client.update({Client.hourly_rate: Decimal("95.00"), Client.rounding_increment: 15}).where(
        Client.id == agency.acme
    )
    await Membership.update({Membership.hourly_rate: Decimal("120.00")}).where(Membership.id == agency.max_on_acme)
    task = await add_card(agency.acme_project, "Hero copy")
    start = datetime.now(UTC) - timedelta(hours=2)
    await add_entry(task, agency.max, start, 50)
    ada = await as_user("ada")
    page = await ada.get(
        f"/timesheet?person={agency.max}&week={(start.date() - timedelta(days=start.weekday())).isoformat()}"
    )
    # 50 minutes round up to 60 at max's membership rate of 120.00
    assert "€120.00" in page.text
    max_ = await as_user("max")
    assert (
        "€120.00"
        not in (await max_.get(f"/timesheet?week={(start.date() - timedelta(days=start.weekday())).isoformat()}")).text
    )
