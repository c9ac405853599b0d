"""Cost and margin in billing summaries (issue 16): worked out when a summary is computed and kept
with it, shown to the agency's admins beside the amounts, never in the client's copy."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from typing import Any

from server.billing.writes import compute_summary, finalise, share
from server.tables import BillingSummary, Project, User
from tests.billing.helpers import TZ, at, computed_summary
from tests.conftest import Agency, Browser
from tests.factories import actor, add_card, add_entry

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


async def cost_rate(person_id: int, amount: str, currency: str = "EUR") -> None:
    await User.update({User.cost_rate: Decimal(amount), User.cost_currency: currency}).where(User.id == person_id)


async def costs_of(summary_id: int) -> dict[str, Any]:
    row = await result_row(summary_id)
    return dict(row["result"]["costs"])


async def result_row(summary_id: int) -> dict[str, Any]:
    query = BillingSummary.select(BillingSummary.result).where(BillingSummary.id == summary_id)
    row = await query.output(load_json=True).first()
    assert row is not None
    return row


async def acme_november(agency: Agency) -> None:
    """Max 2 h and Mia 1 h on the Acme website (€95 an hour, whole quarter hours)."""
    card = await add_card(agency.acme_project, "Homepage")
    await add_entry(card, agency.max, at("2026-11-02 09:00"), 120)
    await add_entry(card, agency.mia, at("2026-11-03 09:00"), 60)


async def test_a_summary_keeps_each_lines_revenue_and_cost(agency: Agency) -> None:
    await cost_rate(agency.max, "45")
    await acme_november(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    lines = {line["person_id"]: line for line in (await costs_of(summary_id))["lines"]}
    assert lines[agency.max] | {"project_id": 0} == {
        "project_id": 0,
        "person_id": agency.max,
        "currency": "EUR",
        "minutes": 120,
        "revenue": "190.00",
        "cost": "90.00",
        "cost_rate": "45.00",
        "cost_currency": "EUR",
        "unknown": None,
    }
    assert (lines[agency.mia]["cost"], lines[agency.mia]["unknown"]) == (None, "no_rate")


async def test_ada_sees_cost_and_margin_per_project_and_per_person(ada: Browser, agency: Agency) -> None:
    await cost_rate(agency.max, "45")
    await cost_rate(agency.mia, "30")
    await acme_november(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    page = await ada.get(f"/billing/summaries/{summary_id}")
    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    assert "ACME Acme website 3h" in text
    assert "€285.00 €120.00 €165.00 57.9 % · €95.00 / h" in text  # amount, cost, margin, its share, per hour
    assert "Max Member 2h" in text and "€190.00 €90.00 €100.00 52.6 % · €95.00 / h" in text
    assert "Mia Member 1h" in text and "€95.00 €30.00 €65.00 68.4 % · €95.00 / h" in text


async def test_a_finalised_summary_keeps_its_cost_after_the_cost_rate_changes(ada: Browser, agency: Agency) -> None:
    await cost_rate(agency.max, "45")
    await cost_rate(agency.mia, "30")
    await acme_november(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    await finalise(summary_id, actor(agency, "ada"))
    before = await costs_of(summary_id)
    await cost_rate(agency.max, "90")
    await Project.update({Project.fixed_fee: Decimal("10")}).where(Project.id == agency.acme_project)
    assert await costs_of(summary_id) == before
    page = await ada.get(f"/billing/summaries/{summary_id}")
    assert "€120.00" in page.text and "€165.00" in page.text  # cost and margin as finalised
    assert "€180.00" not in page.text  # Max's 2 h at the new €90


async def test_a_fixed_fee_project_earns_its_fee_in_a_summary(agency: Agency) -> None:
    await Project.update({Project.fixed_fee: Decimal("3000"), Project.budget_period: "monthly"}).where(
        Project.id == agency.acme_project
    )
    await cost_rate(agency.max, "45")
    await cost_rate(agency.mia, "45")
    await acme_november(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    costs = await costs_of(summary_id)
    assert costs["fixed_fees"] == [
        {"project_id": agency.acme_project, "fee": "3000.00", "period": "monthly", "revenue": "3000.00"}
    ]
    revenue = {line["person_id"]: line["revenue"] for line in costs["lines"]}
    assert revenue == {agency.max: "2000.00", agency.mia: "1000.00"}  # shared by their hours


async def test_a_cost_rate_in_another_currency_leaves_the_cost_unknown(agency: Agency) -> None:
    await cost_rate(agency.mia, "40", "EUR")
    card = await add_card(agency.globex_project, "App")
    await add_entry(card, agency.mia, at("2026-11-02 09:00"), 60)
    summary_id = await computed_summary(agency.globex, *NOVEMBER)
    (line,) = (await costs_of(summary_id))["lines"]
    assert (line["currency"], line["cost"], line["unknown"]) == ("USD", None, "other_currency")


async def test_the_clients_copy_shows_no_cost(as_user: Any, agency: Agency) -> None:
    await cost_rate(agency.max, "47.31")
    await acme_november(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    ada = actor(agency, "ada")
    await finalise(summary_id, ada)
    await share(summary_id, ada, shared=True, show_amounts=True)
    cleo = await as_user("cleo")
    for path in ("/portal/summaries", f"/portal/summaries/{summary_id}"):
        page = await cleo.get(path)
        assert page.status_code == 200
        text = html.unescape(page.text)
        assert "47.31" not in text and "€94.62" not in text  # the rate, Max's 2 h at it
        assert "Margin" not in text and "Cost" not in text


async def test_a_summary_computed_before_costs_were_kept_says_so(ada: Browser, agency: Agency) -> None:
    await acme_november(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    result = (await result_row(summary_id))["result"]
    result.pop("costs")
    await BillingSummary.update({BillingSummary.result: result}).where(BillingSummary.id == summary_id)
    page = await ada.get(f"/billing/summaries/{summary_id}")
    assert page.status_code == 200
    assert "computed before costs were kept" in page.text


async def test_computing_again_takes_todays_cost_rates(agency: Agency) -> None:
    await cost_rate(agency.max, "45")
    await acme_november(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    await cost_rate(agency.max, "60")
    await compute_summary(summary_id, timezone=TZ)
    lines = {line["person_id"]: line for line in (await costs_of(summary_id))["lines"]}
    assert lines[agency.max]["cost"] == "120.00"
