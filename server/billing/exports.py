"""Summaries as files: CSV that opens right in Excel and LibreOffice (UTF-8 with a BOM, CRLF,
ISO dates, the separator and decimal mark of the reader's spreadsheet, decimal hours beside minutes,
text that cannot run as a formula) and JSON (money as strings), and each of them as the download
the billing pages and the API answer with."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Response

from server.billing.errors import BillingError
from server.billing.priced_store import SOURCES, Scope, Sql, currencies, priced_entries, utc_instant
from server.billing.summary_store import MINUTES
from server.kernel.i18n import _
from server.rules.days import period_bounds
from server.rules.money import digits, money_text, rate_text
from server.rules.spreadsheets import COMMA, CsvStyle, decimal_cell, decimal_hours
from server.rules.summaries import SummaryStatus
from server.tables import BillingSummary, Client, TimeEntry

SLUG = re.compile(r"[^a-z0-9]+")
CSV = "text/csv"  # Litestar adds "; charset=utf-8" to every text/* answer
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ENTRY_HEADER = [
    "date",
    "client",
    "project",
    "task key",
    "task title",
    "person",
    "started",
    "ended",
    "minutes",
    "hours",
    "rounded minutes",
    "rounded hours",
    "billable",
    "rate",
    "rate source",
    "currency",
    "amount",
    "note",
]
TOTALS_HEADER = [
    "kind",
    "id",
    "key",
    "name",
    "currency",
    *(m.replace("_", " ") for m in MINUTES),
    *(m.replace("_", " ").replace("minutes", "hours") for m in MINUTES),
    "amount",
]

ENTRY_ROWS = """SELECT pr.*, e.started_at, e.ended_at, e.note, t.number, t.title, p.key, p.name AS project_name,
  c.name AS client_name, c.currency, u.name AS person_name
FROM priced pr JOIN time_entry e ON e.id = pr.entry_id JOIN task t ON t.id = pr.task_id
JOIN project p ON p.id = pr.project_id JOIN client c ON c.id = pr.client_id JOIN users u ON u.id = pr.person_id
ORDER BY pr.day, e.started_at, e.id"""


def text_cell(value: str) -> str:
    """Text a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv(rows: list[list[Any]], style: CsvStyle) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=style.separator, lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


async def _row(summary_id: int) -> dict[str, Any]:
    row = await BillingSummary.select().where(BillingSummary.id == summary_id).output(load_json=True).first()
    if row is None:
        raise BillingError(_("This summary no longer exists."))
    if row["status"] != SummaryStatus.DONE or not row["result"]:
        raise BillingError(_("This summary has no result yet."))
    return row


def _local(value: Any, zone: ZoneInfo) -> str:
    return utc_instant(value).astimezone(zone).strftime("%Y-%m-%d %H:%M")


async def entry_rows(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The summary's entries, priced as the summary prices them: those it billed once finalised,
    else those of its period as they stand."""
    timezone = row["result"]["timezone"]
    start, end = period_bounds(row["period_start"], row["period_end"], timezone)
    if row["finalised_at"] is not None:
        scope = Scope(summary_id=row["id"])
    else:
        scope = Scope(start=start, end=end, client_id=row["client"])
    sql = Sql()
    priced_entries(sql, scope, timezone, await currencies(), (start, end))
    sql.add(ENTRY_ROWS)
    return list(await TimeEntry.raw(sql.text(), *sql.args))


async def entries_csv(summary_id: int, style: CsvStyle = COMMA) -> bytes:
    """One row per entry: rounded minutes, rate and amount beside the raw minutes, and each count
    of minutes as decimal hours beside it; numbers with the style's decimal mark."""
    row = await _row(summary_id)
    zone = ZoneInfo(row["result"]["timezone"])
    lines: list[list[Any]] = [ENTRY_HEADER]
    for e in await entry_rows(row):
        places = digits(e["currency"])
        day = e["day"].isoformat() if hasattr(e["day"], "isoformat") else str(e["day"])
        lines.append(
            [
                day,
                text_cell(e["client_name"]),
                text_cell(e["project_name"]),
                f"{e['key']}-{e['number']}",
                text_cell(e["title"]),
                text_cell(e["person_name"]),
                _local(e["started_at"], zone),
                _local(e["ended_at"], zone),
                int(e["minutes"]),
                decimal_cell(decimal_hours(int(e["minutes"])), style),
                int(e["rounded"]),
                decimal_cell(decimal_hours(int(e["rounded"])), style),
                "yes" if int(e["is_billable"]) else "no",
                decimal_cell(rate_text(None if e["rate_cents"] is None else int(e["rate_cents"])) or "", style),
                SOURCES[int(e["source"])],
                e["currency"],
                decimal_cell(money_text(int(e["amount"]), places), style),
                text_cell(e["note"] or ""),
            ]
        )
    return _csv(lines, style)


async def totals_csv(summary_id: int, style: CsvStyle = COMMA) -> bytes:
    """The summary's totals: per currency, per client, per project and per person and currency;
    the minutes again as decimal hours."""
    row = await _row(summary_id)
    result = row["result"]
    lines: list[list[Any]] = [TOTALS_HEADER]
    per_currency: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MINUTES, 0))
    for client in result["clients"]:
        for key in MINUTES:
            per_currency[client["currency"]][key] += client[key]
    for currency, amount in sorted(result["totals"]["amounts"].items()):
        total = {"id": "", "name": "", **per_currency[currency]}
        lines.append(_totals_line("total", total, "", currency, amount, style))
    for client in result["clients"]:
        lines.append(_totals_line("client", client, "", client["currency"], client["amount"], style))
    for project in result["projects"]:
        lines.append(_totals_line("project", project, project["key"], project["currency"], project["amount"], style))
    per_person: dict[tuple[int, str], dict[str, Any]] = {}
    places: dict[str, int] = {}
    for rate in result["rates"]:
        places[rate["currency"]] = digits(rate["currency"])
        sums = per_person.setdefault(
            (rate["person_id"], rate["currency"]),
            {"name": rate["person_name"], **dict.fromkeys(MINUTES, 0), "minor": 0},
        )
        for minute_key in MINUTES:
            sums[minute_key] += rate[minute_key]
        sums["minor"] += int(Decimal(rate["amount"]).scaleb(places[rate["currency"]]))
    for (person_id, currency), sums in sorted(per_person.items(), key=lambda i: (i[1]["name"].casefold(), i[0])):
        amount = money_text(sums["minor"], places[currency])
        lines.append(_totals_line("person", {"id": person_id, **sums}, "", currency, amount, style))
    return _csv(lines, style)


def _totals_line(kind: str, item: dict[str, Any], key: str, currency: str, amount: str, style: CsvStyle) -> list[Any]:
    minutes = [item[k] for k in MINUTES]
    hours = [decimal_cell(decimal_hours(m), style) for m in minutes]
    return [kind, item["id"], key, text_cell(item["name"]), currency, *minutes, *hours, decimal_cell(amount, style)]


async def as_json(summary_id: int) -> dict[str, Any]:
    """The stored result with the summary's own facts beside it; money as strings."""
    row = await _row(summary_id)
    client = None
    if row["client"] is not None:
        client = await Client.select(Client.name).where(Client.id == row["client"]).first()

    def when(value: datetime | None) -> str | None:
        return None if value is None else value.astimezone(UTC).isoformat()

    return {
        **row["result"],
        "summary": {
            "id": row["id"],
            "client_id": row["client"],
            "client_name": client["name"] if client else None,
            "period_start": row["period_start"].isoformat(),
            "period_end": row["period_end"].isoformat(),
            "status": row["status"],
            "source": row["source"],
            "total_minutes": row["total_minutes"],
            "billable_minutes": row["billable_minutes"],
            "rounded_minutes": row["rounded_minutes"],
            "amounts": row["amounts"],
            "created_at": when(row["created_at"]),
            "finished_at": when(row["finished_at"]),
            "finalised_at": when(row["finalised_at"]),
            "finalised_by": row["finalised_by"],
            "shared_with_client": row["shared_with_client"],
            "share_amounts": row["share_amounts"],
        },
    }


async def json_file(summary_id: int, _style: CsvStyle = COMMA) -> bytes:
    return json.dumps(await as_json(summary_id), ensure_ascii=False, indent=2, default=str).encode()


FILES: dict[str, tuple[Callable[[int, CsvStyle], Awaitable[bytes]], str]] = {
    "entries.csv": (entries_csv, CSV),
    "totals.csv": (totals_csv, CSV),
    "summary.json": (json_file, "application/json"),
}


def download_name(summary: dict[str, Any], suffix: str) -> str:
    """boardroom-acme-2026-11-01-2026-11-30-entries.csv"""
    who = SLUG.sub("-", (summary["client_name"] or "all clients").lower()).strip("-") or "client"
    return f"boardroom-{who}-{summary['period_start'].isoformat()}-{summary['period_end'].isoformat()}-{suffix}"


async def download(summary: dict[str, Any], name: str, style: CsvStyle = COMMA) -> Response[bytes]:
    """The summary's file `name` (a key of FILES) as an attachment; `summary` is its row as
    store.summary_for(..., done=True) reads it; a CSV in `style` (schemas.read_csv_style)."""
    make, media_type = FILES[name]
    return Response(
        await make(summary["id"], style),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{download_name(summary, name)}"',
            "Cache-Control": "no-store",
        },
    )
