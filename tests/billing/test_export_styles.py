"""CSV exports in the reader's spreadsheet style: semicolons and decimal commas for Russian and
Vietnamese, commas and points for English and Chinese, or the style chosen on the export; the
same figures whichever style; decimal hours beside the minutes."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from server.billing.exports import entries_csv, totals_csv
from server.rules.spreadsheets import COMMA, SEMICOLON, CsvStyle
from server.tables import Client, User
from tests.billing.helpers import at, computed_summary
from tests.conftest import Agency
from tests.factories import add_card, add_entry

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
NUMBERS = {"minutes", "hours", "rounded minutes", "rounded hours", "rate", "amount"}


def rows_of(data: bytes, style: CsvStyle) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # the BOM stays, whatever the style
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=style.separator))


def figures(rows: list[list[str]], style: CsvStyle, numeric: set[str]) -> list[list[Any]]:
    """Each row's cells, numbers read as Decimal with the style's decimal mark."""
    header = rows[0]
    read: list[list[Any]] = [header]
    for row in rows[1:]:
        assert len(row) == len(header)
        read.append(
            [
                Decimal(cell.replace(style.decimal, ".")) if name in numeric and cell else cell
                for name, cell in zip(header, row, strict=True)
            ]
        )
    return read


async def hours_of_two_clients(agency: Agency) -> int:
    await Client.update({Client.currency: "VND", Client.hourly_rate: Decimal("250000.50")}).where(
        Client.id == agency.globex
    )
    acme = await add_card(agency.acme_project, "Copy; with semicolons, and commas")
    globex = await add_card(agency.globex_project, 'App, "quoted"')
    await add_entry(acme, agency.max, at("2026-11-02 09:00"), 50, note="call; then notes, 1,5 h")
    await add_entry(acme, agency.max, at("2026-11-02 23:30"), 7, billable=False)
    await add_entry(globex, agency.mia, at("2026-11-03 10:00"), 13, note="line one\nline two; ü")
    return await computed_summary(None, *NOVEMBER)


async def test_the_entries_csv_in_semicolons_reads_back_to_the_same_figures_as_the_english_one(agency: Agency) -> None:
    summary_id = await hours_of_two_clients(agency)
    english = figures(rows_of(await entries_csv(summary_id, COMMA), COMMA), COMMA, NUMBERS)
    semicolons = rows_of(await entries_csv(summary_id, SEMICOLON), SEMICOLON)
    assert figures(semicolons, SEMICOLON, NUMBERS) == english
    column = {name: i for i, name in enumerate(semicolons[0])}
    first = semicolons[1]
    assert (first[column["minutes"]], first[column["hours"]]) == ("50", "0,83")
    assert (first[column["rounded minutes"]], first[column["rounded hours"]]) == ("60", "1,00")  # Acme rounds up to 15
    assert first[column["amount"]] == "95,00" and first[column["rate"]] == "95,00"
    assert first[column["note"]] == "call; then notes, 1,5 h"  # text keeps its own commas and semicolons
    assert semicolons[3][column["task title"]] == 'App, "quoted"'
    assert semicolons[3][column["currency"]] == "VND" and semicolons[3][column["amount"]] == "54167"


async def test_the_totals_csv_in_semicolons_reads_back_to_the_same_figures_as_the_english_one(agency: Agency) -> None:
    summary_id = await hours_of_two_clients(agency)
    header = rows_of(await totals_csv(summary_id, COMMA), COMMA)[0]
    numeric = {name for name in header if name.endswith(("minutes", "hours"))} | {"amount"}
    english = figures(rows_of(await totals_csv(summary_id, COMMA), COMMA), COMMA, numeric)
    assert figures(rows_of(await totals_csv(summary_id, SEMICOLON), SEMICOLON), SEMICOLON, numeric) == english
    assert header[5:13] == [
        "total minutes",
        "billable minutes",
        "rounded minutes",
        "non billable minutes",
        "total hours",
        "billable hours",
        "rounded hours",
        "non billable hours",
    ]
    euro = next(r for r in english[1:] if r[0] == "total" and r[4] == "EUR")
    assert euro[5] == 57 and euro[9] == Decimal("0.95") and euro[-1] == Decimal("95.00")


def separator_of(response: Any) -> str:
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf")
    return response.content.decode("utf-8-sig").split("\r\n")[0][4]  # the character after "date"


@pytest.mark.parametrize(("locale", "separator"), [("en", ","), ("zh", ","), ("ru", ";"), ("vi", ";")])
async def test_the_download_takes_the_readers_language_style(
    agency: Agency, as_user: Any, locale: str, separator: str
) -> None:
    summary_id = await hours_of_two_clients(agency)
    await User.update({User.locale: locale}).where(User.id == agency.ada)
    ada = await as_user("ada")
    for name in ("entries.csv", "totals.csv"):
        assert separator_of(await ada.get(f"/billing/summaries/{summary_id}/{name}")) == separator
    page = await ada.get(f"/billing/summaries/{summary_id}")
    choice = "comma" if separator == "," else "semicolon"
    assert f'entries.csv?separator={choice}"' in page.text
    assert f'<option value="{choice}" selected>' in page.text


async def test_a_choice_on_the_export_wins_over_the_language(agency: Agency, as_user: Any) -> None:
    summary_id = await hours_of_two_clients(agency)
    await User.update({User.locale: "ru"}).where(User.id == agency.ada)
    ada = await as_user("ada")
    url = f"/billing/summaries/{summary_id}/entries.csv"
    assert separator_of(await ada.get(url + "?separator=comma")) == ","
    assert separator_of(await ada.get(url.replace("/billing", "/api/billing") + "?separator=semicolon")) == ";"
    # the select on the page redraws the download links for the style picked
    picked = await ada.get(f"/billing/summaries/{summary_id}?separator=comma", headers={"hx-request": "true"})
    assert f'id="summary-{summary_id}-downloads"' in picked.text
    assert 'entries.csv?separator=comma"' in picked.text and '<option value="comma" selected>' in picked.text


async def test_the_api_follows_accept_language(agency: Agency, as_user: Any) -> None:
    summary_id = await hours_of_two_clients(agency)
    ada = await as_user("ada")
    url = f"/api/billing/summaries/{summary_id}/totals.csv"
    assert separator_of(await ada.get(url)) == ","
    await User.update({User.locale: "vi"}).where(User.id == agency.ada)
    assert separator_of(await ada.get(url)) == ";"


@pytest.mark.parametrize("prefix", ["", "/api"])
async def test_an_unknown_separator_is_refused_with_a_message(agency: Agency, as_user: Any, prefix: str) -> None:
    summary_id = await hours_of_two_clients(agency)
    ada = await as_user("ada")
    response = await ada.get(f"{prefix}/billing/summaries/{summary_id}/entries.csv?separator=tab")
    assert response.status_code == 400
    assert "The separator must be one of: comma, semicolon." in response.text
