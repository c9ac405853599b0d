"""Issue 15's "Done when", end to end through the pages and a real worker: a quarter of hours exported
from Harvest is uploaded, previewed, confirmed and imported by the worker, and the billing summary for
that quarter (computed by the worker too) shows exactly those hours and their amount."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

from server.tables import BillingSummary, TimeEntry
from tests.billing.jobs_support import run_worker
from tests.conftest import Agency, Browser
from tests.factories import add_cards

QUARTER = (date(2026, 7, 1), date(2026, 9, 30))
HARVEST = (
    "Date,Client,Project,Project Code,Task,Notes,Hours,Hours Rounded,Billable?,Invoiced?,Approved?,"
    "First Name,Last Name,Roles,Employee?,Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,"
    "External Reference URL"
)


def quarter_csv() -> tuple[bytes, int, int]:
    """Every weekday of the quarter: max 1.75 h billable on the hero card, mia 0.5 h of project
    management that is not billable. The CSV, its minutes and its billable minutes."""
    out = io.StringIO()
    out.write(HARVEST + "\n")
    writer = csv.writer(out, lineterminator="\n")
    minutes = billable = 0
    day = QUARTER[0]
    while day <= QUARTER[1]:
        if day.weekday() < 5:
            writer.writerow([day.isoformat(), "Acme", "Acme website", "", "Homepage hero copy", "Hero copy",
                             "1.75", "1.75", "Yes", "No", "No", "Max", "Member", "", "Yes", "95", "166.25",
                             "0", "0", "Euro - EUR", ""])  # fmt: skip
            writer.writerow([day.isoformat(), "Acme", "Acme website", "", "Project management", "Weekly call",
                             "0.5", "0.5", "No", "No", "No", "Mia", "Member", "", "Yes", "0", "0",
                             "0", "0", "Euro - EUR", ""])  # fmt: skip
            minutes += 105 + 30
            billable += 105
        day += timedelta(days=1)
    return out.getvalue().encode(), minutes, billable


async def test_a_quarter_of_harvest_hours_shows_in_that_quarters_billing_summary(
    agency: Agency, ada: Browser, redis_url: str
) -> None:
    await add_cards(agency.acme_project, "Homepage hero copy")
    raw, minutes, billable = quarter_csv()
    weekdays = billable // 105  # July 23, August 21, September 22
    assert weekdays == 66

    upload = await ada.post(f"/projects/{agency.acme_project}/import/time", files={"file": ("harvest-q3.csv", raw)})
    assert upload.status_code == 303
    run_page = upload.headers["location"]
    preview = await ada.get(run_page)
    assert "Recognised as a Harvest export" in preview.text
    assert await TimeEntry.count() == 0  # the preview writes nothing
    assert (await ada.post(f"{run_page}/confirm", {})).status_code == 303

    imported = await run_worker(redis_url)
    assert imported.jobs_complete == 1 and imported.jobs_failed == 0
    assert await TimeEntry.count().where(TimeEntry.project == agency.acme_project) == 2 * weekdays

    asked = await ada.post(
        "/billing/summaries",
        {
            "client": str(agency.acme),
            "preset": "custom",
            "start": QUARTER[0].isoformat(),
            "end": QUARTER[1].isoformat(),
        },
    )
    assert asked.status_code == 303
    summary_url = asked.headers["location"]
    computed = await run_worker(redis_url)
    assert computed.jobs_complete == 1 and computed.jobs_failed == 0

    row = await BillingSummary.select().where(BillingSummary.id == int(summary_url.rsplit("/", 1)[1])).first()
    assert row is not None and row["status"] == "done"
    assert (row["total_minutes"], row["billable_minutes"]) == (minutes, billable)
    page = await ada.get(summary_url)
    assert "Acme website" in page.text
    entries = await ada.get(f"{summary_url}/entries.csv")
    assert entries.status_code == 200
    lines = [line for line in entries.text.splitlines()[1:] if line.strip()]
    assert len(lines) == 2 * weekdays and sum("Hero copy" in line for line in lines) == weekdays
    amount = Decimal(billable) / 60 * Decimal("95.00")  # 1.75 h is already whole quarters of an hour
    amounts = json.loads(row["amounts"]) if isinstance(row["amounts"], str) else row["amounts"]
    assert Decimal(amounts["EUR"]) == amount.quantize(Decimal("0.01"))
