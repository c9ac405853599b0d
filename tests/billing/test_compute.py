"""summarise(): what a period's entries bill, checked by hand on small cases (the randomised
comparison with a plain-Python computation is test_reference.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from server.billing.summary_store import summarise
from server.tables import Client, Membership, Project, User
from tests.billing.helpers import TZ, at
from tests.conftest import Agency
from tests.factories import add_card, add_entry


async def test_acme_entries_are_rounded_up_to_a_quarter_and_priced_at_the_client_rate(agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Homepage")
    await add_entry(card, agency.max, at("2026-11-02 09:00"), 50)  # rounds to 60
    await add_entry(card, agency.max, at("2026-11-02 11:00"), 7)  # rounds to 15
    await add_entry(card, agency.max, at("2026-11-02 13:00"), 30, billable=False)
    result = await summarise(agency.acme, date(2026, 11, 1), date(2026, 11, 30), timezone=TZ)
    totals = result["totals"]
    assert (totals["total_minutes"], totals["billable_minutes"], totals["rounded_minutes"]) == (87, 57, 75)
    assert totals["non_billable_minutes"] == 30
    assert totals["amounts"] == {"EUR": "118.75"}  # 95.00 * 60/60 + 95.00 * 15/60 = 95.00 + 23.75
    assert result["entry_count"] == 3
    assert result["rates"] == [
        {
            "project_id": agency.acme_project,
            "person_id": agency.max,
            "person_name": "Max Member",
            "rate": "95.00",
            "source": "client",
            "currency": "EUR",
            "entry_count": 3,
            "total_minutes": 87,
            "billable_minutes": 57,
            "rounded_minutes": 75,
            "non_billable_minutes": 30,
            "amount": "118.75",
        }
    ]
    assert [t["key"] for t in result["tasks"]] == ["ACME-1"]
    assert result["days"][0]["day"] == "2026-11-02"


async def test_each_entry_is_rounded_half_up_to_the_cent_before_it_is_summed(agency: Agency) -> None:
    await Membership.update({Membership.hourly_rate: Decimal("100.01")}).where(Membership.id == agency.max_on_acme)
    await Client.update({Client.rounding_increment: 0}).where(Client.id == agency.acme)
    card = await add_card(agency.acme_project, "Homepage")
    for hour in (8, 9, 10):
        await add_entry(card, agency.max, at(f"2026-11-03 {hour:02}:00"), 1)  # 1.666833... each: 1.67
    result = await summarise(agency.acme, date(2026, 11, 1), date(2026, 11, 30), timezone=TZ)
    assert result["totals"]["amounts"] == {"EUR": "5.01"}  # not 5.00 (the total of 3 minutes)
    assert result["rates"][0]["source"] == "membership"
    assert result["rates"][0]["rate"] == "100.01"


async def test_yen_amounts_have_no_decimals(agency: Agency) -> None:
    await Client.update({Client.currency: "JPY", Client.hourly_rate: Decimal("9999.00")}).where(
        Client.id == agency.globex
    )
    card = await add_card(agency.globex_project, "App")
    await add_entry(card, agency.mia, at("2026-11-04 10:00"), 10)  # 1666.5 yen: 1667
    result = await summarise(agency.globex, date(2026, 11, 1), date(2026, 11, 30), timezone=TZ)
    assert result["totals"]["amounts"] == {"JPY": "1667"}
    assert result["clients"][0]["amount"] == "1667"


async def test_rates_fall_back_from_project_to_client_to_the_person(agency: Agency) -> None:
    await Project.update({Project.hourly_rate: Decimal("80.00")}).where(Project.id == agency.brand_project)
    await Client.update({Client.hourly_rate: None}).where(Client.id == agency.globex)
    await User.update({User.hourly_rate: Decimal("50.00")}).where(User.id == agency.mia)
    brand, acme = await add_card(agency.brand_project, "Logo"), await add_card(agency.acme_project, "Site")
    globex = await add_card(agency.globex_project, "App")
    await add_entry(brand, agency.max, at("2026-11-05 10:00"), 60)
    await add_entry(acme, agency.max, at("2026-11-05 12:00"), 60)
    await add_entry(globex, agency.mia, at("2026-11-05 10:00"), 60)
    await add_entry(globex, agency.max, at("2026-11-05 12:00"), 60)
    result = await summarise(None, date(2026, 11, 1), date(2026, 11, 30), timezone=TZ)
    sources = {(r["project_id"], r["person_id"]): (r["source"], r["rate"], r["amount"]) for r in result["rates"]}
    assert sources == {
        (agency.brand_project, agency.max): ("project", "80.00", "80.00"),
        (agency.acme_project, agency.max): ("client", "95.00", "95.00"),
        (agency.globex_project, agency.mia): ("user", "50.00", "50.00"),
        (agency.globex_project, agency.max): ("none", None, "0.00"),
    }
    assert result["totals"]["amounts"] == {"EUR": "175.00", "USD": "50.00"}
    assert [c["name"] for c in result["clients"]] == ["Acme", "Globex"]
    assert [p["name"] for p in result["projects"]] == ["Acme brand book", "Acme website", "Globex app"]
    max_row = next(p for p in result["people"] if p["id"] == agency.max)
    assert max_row["amounts"] == {"EUR": "175.00", "USD": "0.00"}


async def test_entries_count_on_their_day_in_the_agency_time_zone(agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Homepage")
    await add_entry(card, agency.max, at("2026-10-31 22:59"), 15)  # 23:59 in Berlin: 31 October
    await add_entry(card, agency.max, at("2026-10-31 23:00"), 15)  # midnight in Berlin: 1 November
    await add_entry(card, agency.max, at("2026-11-30 22:59"), 15)  # 23:59 on 30 November
    await add_entry(card, agency.max, at("2026-11-30 23:00"), 15)  # 1 December: outside
    result = await summarise(agency.acme, date(2026, 11, 1), date(2026, 11, 30), timezone=TZ)
    assert [d["day"] for d in result["days"]] == ["2026-11-01", "2026-11-30"]
    assert result["entry_count"] == 2


async def test_days_follow_the_summer_time_change(agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Homepage")
    await add_entry(card, agency.max, at("2026-03-28 23:30"), 15)  # 00:30 CET on 29 March
    await add_entry(card, agency.max, at("2026-03-29 21:30"), 15)  # 23:30 CEST on 29 March
    await add_entry(card, agency.max, at("2026-03-29 22:00"), 15)  # 00:00 CEST on 30 March
    await add_entry(card, agency.max, at("2026-10-24 22:30"), 15)  # 00:30 CEST on 25 October
    await add_entry(card, agency.max, at("2026-10-25 22:30"), 15)  # 23:30 CET on 25 October
    await add_entry(card, agency.max, at("2026-10-25 23:00"), 15)  # 00:00 CET on 26 October
    result = await summarise(None, date(2026, 3, 1), date(2026, 10, 31), timezone=TZ)
    days = [(d["day"], d["total_minutes"]) for d in result["days"]]
    assert days == [("2026-03-29", 30), ("2026-03-30", 15), ("2026-10-25", 30), ("2026-10-26", 15)]


async def test_running_timers_and_other_clients_do_not_count(agency: Agency) -> None:
    acme = await add_card(agency.acme_project, "Homepage")
    globex = await add_card(agency.globex_project, "App")
    await add_entry(acme, agency.max, at("2026-11-02 09:00"), None)
    await add_entry(globex, agency.mia, at("2026-11-02 09:00"), 60)
    result = await summarise(agency.acme, date(2026, 11, 1), date(2026, 11, 30), timezone=TZ)
    assert result["entry_count"] == 0
    assert result["totals"]["amounts"] == {"EUR": "0.00"}
    assert [c["name"] for c in result["clients"]] == ["Acme"]
