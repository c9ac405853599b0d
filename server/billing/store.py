"""Reading summaries: their rows as the billing pages, the API and the client's portal list them;
who may read which (`summary_for`, `shared_summaries`: the one visibility rule for summaries); a
summary's stored result; the clients a summary may be asked for; what the worker's crons look for;
and the hours not yet billed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from server.billing.priced_store import unbilled_groups
from server.billing.summary_store import rows_by_id
from server.kernel.access import not_found
from server.kernel.forms import MAX_ID
from server.rules import weeks
from server.rules.money import digits, money_text
from server.rules.periods import Period
from server.rules.policy import Actor, can_manage_agency
from server.rules.summaries import ACTIVE, SummaryStatus
from server.tables import BillingSummary, Client, Project, TimeEntry

Row = dict[str, Any]
COLUMNS = (
    BillingSummary.id,
    BillingSummary.client,
    BillingSummary.client.name.as_alias("client_name"),
    BillingSummary.client.currency.as_alias("currency"),
    BillingSummary.period_start,
    BillingSummary.period_end,
    BillingSummary.status,
    BillingSummary.progress,
    BillingSummary.attempts,
    BillingSummary.requested_by,
    BillingSummary.requested_by.name.as_alias("requested_by_name"),
    BillingSummary.source,
    BillingSummary.total_minutes,
    BillingSummary.billable_minutes,
    BillingSummary.rounded_minutes,
    BillingSummary.amounts,
    BillingSummary.error,
    BillingSummary.created_at,
    BillingSummary.started_at,
    BillingSummary.finished_at,
    BillingSummary.finalised_at,
    BillingSummary.finalised_by.name.as_alias("finalised_by_name"),
    BillingSummary.shared_with_client,
    BillingSummary.share_amounts,
)


def as_money(amounts: dict[str, str] | None) -> list[tuple[Decimal, str]]:
    """{currency: "123.45"} as (Decimal, currency) pairs for `money()`, by currency."""
    return [(Decimal(str(value)), currency) for currency, value in sorted((amounts or {}).items())]


async def summaries(where: Any = None, *, limit: int = 200) -> list[Row]:
    """Summaries as pages list them (without their result), newest first."""
    query = BillingSummary.select(*COLUMNS).output(load_json=True)
    if where is not None:
        query = query.where(where)
    rows = await query.order_by(BillingSummary.id, ascending=False).limit(limit)
    return [{**row, "money": as_money(row["amounts"])} for row in rows]


async def summary_row(summary_id: int) -> Row | None:
    """The summary's row as pages show it (without its result), or None."""
    rows = await summaries(BillingSummary.id == summary_id, limit=1)
    return rows[0] if rows else None


async def active_summaries(user_id: int) -> list[Row]:
    """The summaries this person asked for that are still queued or running, oldest first."""
    rows = await summaries((BillingSummary.requested_by == user_id) & BillingSummary.status.is_in(list(ACTIVE)))
    return rows[::-1]


# ---- who may read which --------------------------------------------------------------------------


def visible_to(actor: Actor, *, shared: bool) -> Any:
    """The visibility rule for summaries, as a condition on BillingSummary (None: every one).

    The agency's administrators read every summary, on the billing pages and in the API. A client's
    users read, in their portal (`shared`), their own client's summaries that are finalised and
    shared with them. To anyone else, and to the administrators in the portal (the billing pages are
    theirs), no summary exists: 404."""
    if shared:
        if not actor.is_client or actor.client_id is None:
            raise not_found()
        return (
            (BillingSummary.client == actor.client_id)
            & BillingSummary.shared_with_client.eq(True)
            & BillingSummary.finalised_at.is_not_null()
        )
    if not can_manage_agency(actor):
        raise not_found()
    return None


async def summary_for(actor: Actor, summary_id: int, *, shared: bool = False, done: bool = False) -> Row:
    """The summary as `actor` may read it (see `visible_to`; `shared`: the client's portal view), or
    404. `done`: only once computed; before that it has no result to show or download."""
    rule = visible_to(actor, shared=shared)
    this = BillingSummary.id == summary_id
    rows = await summaries(this if rule is None else this & rule, limit=1) if 0 < summary_id <= MAX_ID else []
    if not rows or (done and rows[0]["status"] != SummaryStatus.DONE):
        raise not_found()
    return rows[0]


async def shared_summaries(actor: Actor) -> list[Row]:
    """The summaries a client's user reads in their portal, newest first (404 to anyone else)."""
    return await summaries(visible_to(actor, shared=True))


# ---- a summary's result --------------------------------------------------------------------------


async def result_of(summary: Row) -> dict[str, Any]:
    """The stored result of a computed summary; {} before it is done."""
    if summary["status"] != SummaryStatus.DONE:
        return {}
    stored = (
        await BillingSummary.select(BillingSummary.result)
        .where(BillingSummary.id == summary["id"])
        .output(load_json=True)
        .first()
    )
    result = (stored or {}).get("result")
    return result if isinstance(result, dict) else {}


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def decimalised(result: dict[str, Any]) -> dict[str, Any]:
    """The stored result with its money strings as Decimals, for `money()` in templates."""
    out = dict(result)
    for key in ("clients", "projects", "tasks"):
        out[key] = [{**row, "amount": _decimal(row.get("amount"))} for row in result.get(key, [])]
    out["people"] = [{**row, "money": as_money(row.get("amounts"))} for row in result.get("people", [])]
    out["rates"] = [
        {**row, "rate": _decimal(row.get("rate")), "amount": _decimal(row.get("amount"))}
        for row in result.get("rates", [])
    ]
    return out


# ---- clients and the crons' questions ------------------------------------------------------------


async def open_clients() -> list[Row]:
    """The clients a summary may be asked for (not archived), by name."""
    return await Client.select(Client.id, Client.name).where(Client.archived.eq(False)).order_by(Client.name)


async def is_open_client(client_id: int) -> bool:
    return await Client.exists().where((Client.id == client_id) & Client.archived.eq(False))


async def unfinished_since(cutoff: datetime) -> list[Row]:
    """Summaries still queued or running, not finalised, asked for before `cutoff`."""
    return await BillingSummary.select(
        BillingSummary.id, BillingSummary.status, BillingSummary.attempts, BillingSummary.started_at
    ).where(
        (BillingSummary.status.is_in(list(ACTIVE)))
        & BillingSummary.finalised_at.is_null()
        & (BillingSummary.created_at < cutoff)
    )


async def clients_with_hours(start: date, end: date, timezone: str) -> list[int]:
    """Clients with stopped entries started in [start, end] (local days)."""
    since, until = weeks.day_bounds(start, timezone)[0], weeks.day_bounds(end, timezone)[1]
    rows = (
        await TimeEntry.select(TimeEntry.project.client.as_alias("client"))
        .where(TimeEntry.ended_at.is_not_null() & (TimeEntry.started_at >= since) & (TimeEntry.started_at < until))
        .distinct()
    )
    return sorted({r["client"] for r in rows if r["client"] is not None})


async def has_summary(client_id: int, period: Period) -> bool:
    """Whether this client's summary of exactly this period exists (asked for or made by a cron)."""
    return await BillingSummary.exists().where(
        (BillingSummary.client == client_id)
        & (BillingSummary.period_start == period.start)
        & (BillingSummary.period_end == period.end)
    )


# ---- not yet billed ------------------------------------------------------------------------------


async def unbilled(timezone: str) -> list[Row]:
    """Per client and project, the stopped entries in no finalised summary, so nothing logged is
    forgotten at month end. Sorted by client name, then project name; amounts at today's rates."""
    groups = await unbilled_groups(timezone)
    if not groups:
        return []
    projects = await rows_by_id(Project, {g["project_id"] for g in groups}, Project.key, Project.name)
    clients = await rows_by_id(Client, {g["client_id"] for g in groups}, Client.name, Client.currency)
    rows = []
    for g in groups:
        client, project = clients[g["client_id"]], projects[g["project_id"]]
        rows.append(
            {
                "client_id": client["id"],
                "client_name": client["name"],
                "project_id": project["id"],
                "project_key": project["key"],
                "project_name": project["name"],
                "currency": client["currency"],
                "entry_count": g["entries"],
                "total_minutes": g["total"],
                "billable_minutes": g["billable"],
                "rounded_minutes": g["rounded"],
                "non_billable_minutes": g["total"] - g["billable"],
                "amount": money_text(g["amount"], digits(client["currency"])),
                "first_day": g["first_day"],
                "last_day": g["last_day"],
            }
        )
    rows.sort(
        key=lambda r: (r["client_name"].casefold(), r["client_id"], r["project_name"].casefold(), r["project_id"])
    )
    return rows


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


async def unbilled_by_client(timezone: str) -> list[Row]:
    """`unbilled` grouped as its page shows it: per client, its projects, minutes, amounts per
    currency (Decimal) and the first and last day with hours (what a summary of them would cover)."""
    by_client: dict[int, Row] = {}
    for found in await unbilled(timezone):
        row = {
            **found,
            "amount_d": Decimal(str(found["amount"])),
            "oldest_day": _day(found["first_day"]),
            "newest_day": _day(found["last_day"]),
        }
        group = by_client.setdefault(
            row["client_id"],
            {"id": row["client_id"], "name": row["client_name"], "projects": [], "amounts": {}, "minutes": 0},
        )
        group["projects"].append(row)
        group["minutes"] += row["total_minutes"]
        group["amounts"][row["currency"]] = group["amounts"].get(row["currency"], Decimal(0)) + row["amount_d"]
        group["oldest"] = min(group.get("oldest", row["oldest_day"]), row["oldest_day"])
        group["newest"] = max(group.get("newest", row["newest_day"]), row["newest_day"])
    return list(by_client.values())
