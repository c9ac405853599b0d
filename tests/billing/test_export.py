"""Exports: CSV that opens right in a spreadsheet and adds up to the stored total, and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from server.billing.exports import as_json, entries_csv, text_cell, totals_csv
from server.billing.writes import BillingError, finalise
from server.tables import BillingSummary, Client, Task, User
from tests.billing.helpers import at, computed_summary
from tests.conftest import Agency
from tests.factories import actor, add_card, add_entry

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\n" not in text.split("\r\n")[0]  # records end in CRLF
    return list(csv.reader(io.StringIO(text, newline="")))


async def two_clients_of_hours(agency: Agency) -> None:
    await Client.update({Client.rounding_increment: 6, Client.rounding_mode: "nearest"}).where(
        Client.id == agency.globex
    )
    acme = await add_card(agency.acme_project, '=HYPERLINK("http://evil")')
    globex = await add_card(agency.globex_project, 'App, "quoted"')
    await add_entry(acme, agency.max, at("2026-11-02 09:00"), 50, note="+call with Cleo")
    await add_entry(acme, agency.max, at("2026-11-02 23:30"), 7, billable=False)
    await add_entry(globex, agency.mia, at("2026-11-03 10:00"), 13, note="line one\nline two, ü")
    await add_entry(globex, agency.mia, at("2026-11-04 10:00"), 89)


async def test_the_entries_csv_parses_back_and_its_amounts_add_up_to_the_stored_total(agency: Agency) -> None:
    await two_clients_of_hours(agency)
    summary_id = await computed_summary(None, *NOVEMBER)
    rows = parse(await entries_csv(summary_id))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["date", "client", "project"] and header[-2:] == ["amount", "note"]
    assert len(body) == 4
    column = {name: i for i, name in enumerate(header)}
    totals: dict[str, Decimal] = {}
    for line in body:
        totals[line[column["currency"]]] = totals.get(line[column["currency"]], Decimal(0)) + Decimal(
            line[column["amount"]]
        )
    stored = (
        await BillingSummary.select(BillingSummary.amounts)
        .where(BillingSummary.id == summary_id)
        .output(load_json=True)
        .first()
    )["amounts"]
    assert {c: str(a) for c, a in totals.items()} == stored
    assert stored == {"EUR": "95.00", "USD": "204.00"}  # 60 min at 95; (12 + 90) min at 120 USD
    first = body[0]
    assert first[column["date"]] == "2026-11-02"
    assert first[column["started"]] == "2026-11-02 10:00"  # Berlin time
    assert first[column["task title"]] == '\'=HYPERLINK("http://evil")'
    assert first[column["note"]] == "'+call with Cleo"
    assert first[column["rate"]] == "95.00" and first[column["rate source"]] == "client"
    late = body[1]
    assert (late[column["date"]], late[column["billable"]], late[column["amount"]]) == ("2026-11-03", "no", "0.00")
    assert body[2][column["note"]] == "line one\nline two, ü"


async def test_the_totals_csv_has_a_line_per_currency_client_project_and_person(agency: Agency) -> None:
    await two_clients_of_hours(agency)
    summary_id = await computed_summary(None, *NOVEMBER)
    rows = parse(await totals_csv(summary_id))
    kinds = [(r[0], r[3], r[4], r[-1]) for r in rows[1:]]
    assert ("total", "", "EUR", "95.00") in kinds and ("total", "", "USD", "204.00") in kinds
    assert ("client", "Acme", "EUR", "95.00") in kinds
    assert ("project", "Globex app", "USD", "204.00") in kinds
    assert ("person", "Mia Member", "USD", "204.00") in kinds
    assert rows[0][5:9] == ["total minutes", "billable minutes", "rounded minutes", "non billable minutes"]


async def test_the_json_export_has_money_as_strings_and_the_summary_facts(agency: Agency) -> None:
    await two_clients_of_hours(agency)
    summary_id = await computed_summary(agency.globex, *NOVEMBER)
    data = await as_json(summary_id)
    json.dumps(data)  # nothing a JSON encoder refuses
    assert data["summary"]["client_name"] == "Globex" and data["summary"]["period_start"] == "2026-11-01"
    assert data["totals"]["amounts"] == {"USD": "204.00"}
    assert data["projects"][0]["amount"] == "204.00"


async def test_a_finalised_summary_exports_the_entries_it_billed_even_after_rates_change(agency: Agency) -> None:
    await two_clients_of_hours(agency)
    summary_id = await computed_summary(agency.acme, *NOVEMBER)
    await finalise(summary_id, actor(agency, "ada"))
    await User.update({User.name: "Max Renamed"}).where(User.id == agency.max)
    card = await add_card(agency.acme_project, "Later")
    await add_entry(card, agency.max, at("2026-11-05 09:00"), 30)
    body = parse(await entries_csv(summary_id))[1:]
    assert len(body) == 2
    assert await Task.count() == 3


async def test_an_uncomputed_summary_has_nothing_to_export(agency: Agency) -> None:
    rows = await BillingSummary.insert(
        BillingSummary(client=agency.acme, period_start=NOVEMBER[0], period_end=NOVEMBER[1])
    ).returning(BillingSummary.id)
    with pytest.raises(BillingError):
        await entries_csv(rows[0]["id"])


def test_text_that_looks_like_a_formula_is_quoted() -> None:
    assert [text_cell(v) for v in ("=1+1", "+33 1", "-x", "@SUM", "plain", "")] == [
        "'=1+1",
        "'+33 1",
        "'-x",
        "'@SUM",
        "plain",
        "",
    ]
