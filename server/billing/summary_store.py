"""A summary's result, read from the entry rollup or the entries: `summarise` aggregates a period's entries in SQL
(priced_store) into the result dict the pages, exports and API read (writes.compute_summary stores
it on the row). Money stays in integer minor units until it becomes a Decimal string here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from server.billing.cost_store import costs_for
from server.billing.errors import BillingError
from server.billing.priced_store import Scope, grouped
from server.kernel.i18n import _
from server.rules.days import period_bounds
from server.rules.money import digits, money_text, rate_text
from server.rules.shared_summaries import client_copy, left_out
from server.tables import Client, Project, Task, User

VERSION = 1
MINUTES = ("total_minutes", "billable_minutes", "rounded_minutes", "non_billable_minutes")
Progress = Callable[[int], Awaitable[None]]


def _minutes(row: dict[str, Any]) -> dict[str, int]:
    return {
        "total_minutes": row["total"],
        "billable_minutes": row["billable"],
        "rounded_minutes": row["rounded"],
        "non_billable_minutes": row["total"] - row["billable"],
    }


def _zero() -> dict[str, int]:
    return dict.fromkeys(MINUTES, 0)


def _add(into: dict[str, int], row: dict[str, int]) -> None:
    for key in MINUTES:
        into[key] += row[key]


async def rows_by_id(table: Any, ids: set[int], *columns: Any) -> dict[int, dict[str, Any]]:
    """The rows of `table` with these ids, by id (the names beside a result's numbers)."""
    found: dict[int, dict[str, Any]] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):  # SQLite's limit on bound values, with room to spare
        for row in await table.select(table.id, *columns).where(table.id.is_in(ordered[i : i + 500])):
            found[row["id"]] = row
    return found


async def result_for(
    scope: Scope,
    start: date,
    end: date,
    timezone: str,
    progress: Progress | None = None,
    *,
    from_rollup: bool = True,
) -> dict[str, Any]:
    """The result dict (see the billing contract) of the entries in `scope`, whose days lie in
    [start, end]: read from the entry rollup when it can answer (`from_rollup=False`: from every
    entry, as the rollup's tests compare)."""
    days = (start, end) if from_rollup else None
    rows = await grouped(scope, timezone, period_bounds(start, end, timezone), days=days)
    if progress is not None:
        await progress(60)
    rate_rows = [r for r in rows if r["kind"] == "rate"]
    projects = await rows_by_id(Project, {r["project_id"] for r in rows}, Project.client, Project.key, Project.name)
    client_ids = {p["client"] for p in projects.values()} | ({scope.client_id} if scope.client_id else set())
    clients = await rows_by_id(Client, client_ids, Client.name, Client.currency)
    people = await rows_by_id(User, {r["person_id"] for r in rate_rows}, User.name)
    tasks = await rows_by_id(Task, {r["task_id"] for r in rows if r["kind"] == "task"}, Task.number, Task.title)
    currency_of = {pid: clients[p["client"]]["currency"] for pid, p in projects.items()}
    places = {c: digits(c) for c in {c["currency"] for c in clients.values()}}

    def money(minor: int, currency: str) -> str:
        return money_text(minor, places[currency])

    project_sums: dict[int, dict[str, int]] = defaultdict(lambda: {**_zero(), "amount": 0})
    person_sums: dict[int, dict[str, Any]] = defaultdict(lambda: {**_zero(), "amounts": defaultdict(int)})
    rates = []
    for r in rate_rows:
        currency = currency_of[r["project_id"]]
        minutes = _minutes(r)
        _add(project_sums[r["project_id"]], minutes)
        project_sums[r["project_id"]]["amount"] += r["amount"]
        _add(person_sums[r["person_id"]], minutes)
        person_sums[r["person_id"]]["amounts"][currency] += r["amount"]
        rates.append(
            {
                "project_id": r["project_id"],
                "person_id": r["person_id"],
                "person_name": people[r["person_id"]]["name"],
                "rate": rate_text(r["rate_cents"]),
                "source": r["source"],
                "currency": currency,
                "entry_count": r["entries"],
                **minutes,
                "amount": money(r["amount"], currency),
            }
        )
    client_sums: dict[int, dict[str, int]] = defaultdict(lambda: {**_zero(), "amount": 0})
    for project_id, sums in project_sums.items():
        client_sums[projects[project_id]["client"]]["amount"] += sums["amount"]
        _add(client_sums[projects[project_id]["client"]], sums)
    if scope.client_id is not None and scope.client_id in clients:
        client_sums[scope.client_id]["amount"] += 0  # the requested client shows, even without hours

    totals: dict[str, Any] = {**_zero(), "amounts": {}}
    minor_totals: dict[str, int] = defaultdict(int)
    client_list = []
    for client_id, sums in client_sums.items():
        client = clients[client_id]
        _add(totals, sums)
        minor_totals[client["currency"]] += sums["amount"]
        client_list.append(
            {
                "id": client_id,
                "name": client["name"],
                "currency": client["currency"],
                **{k: sums[k] for k in MINUTES},
                "amount": money(sums["amount"], client["currency"]),
            }
        )
    totals["amounts"] = {c: money(minor, c) for c, minor in sorted(minor_totals.items())}

    def project_name(project_id: int) -> tuple[str, int]:
        return (projects[project_id]["name"].casefold(), project_id)

    project_list = [
        {
            "id": project_id,
            "client_id": projects[project_id]["client"],
            "key": projects[project_id]["key"],
            "name": projects[project_id]["name"],
            "currency": currency_of[project_id],
            **{k: sums[k] for k in MINUTES},
            "amount": money(sums["amount"], currency_of[project_id]),
        }
        for project_id, sums in project_sums.items()
    ]
    people_list = [
        {
            "id": person_id,
            "name": people[person_id]["name"],
            **{k: sums[k] for k in MINUTES},
            "amounts": {c: money(minor, c) for c, minor in sorted(sums["amounts"].items())},
        }
        for person_id, sums in person_sums.items()
    ]
    task_list = [
        {
            "id": r["task_id"],
            "project_id": r["project_id"],
            "key": f"{projects[r['project_id']]['key']}-{tasks[r['task_id']]['number']}",
            "number": tasks[r["task_id"]]["number"],
            "title": tasks[r["task_id"]]["title"],
            **_minutes(r),
            "amount": money(r["amount"], currency_of[r["project_id"]]),
            "currency": currency_of[r["project_id"]],
        }
        for r in rows
        if r["kind"] == "task"
    ]
    day_list = [
        {
            "day": r["day"],
            "project_id": r["project_id"],
            **_minutes(r),
            "amount": money(r["amount"], currency_of[r["project_id"]]),
            "currency": currency_of[r["project_id"]],
        }
        for r in rows
        if r["kind"] == "day"
    ]
    client_list.sort(key=lambda c: (c["name"].casefold(), c["id"]))
    project_list.sort(key=lambda p: project_name(p["id"]))
    people_list.sort(key=lambda p: (p["name"].casefold(), p["id"]))
    task_list.sort(key=lambda t: (projects[t["project_id"]]["key"], t["number"], t["id"]))
    day_list.sort(key=lambda d: (d["day"], *project_name(d["project_id"])))
    rates.sort(key=lambda r: (*project_name(r["project_id"]), r["person_name"].casefold(), r["person_id"]))
    # The agency's cost and margin, kept with the result (never in the client's copy): issue 16.
    costs = await costs_for(rate_rows, currency_of, start, end)
    return {
        "version": VERSION,
        "timezone": timezone,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "client_id": scope.client_id,
        "entry_count": sum(r["entries"] for r in rate_rows),
        "totals": totals,
        "clients": client_list,
        "projects": project_list,
        "people": people_list,
        "tasks": task_list,
        "days": day_list,
        "rates": rates,
        "costs": costs,
    }


async def summarise(
    client_id: int | None, start: date, end: date, *, timezone: str, from_rollup: bool = True
) -> dict[str, Any]:
    """The summary of one client's (or all clients') stopped entries whose agency day lies in
    [start, end], without storing it."""
    if end < start:
        raise BillingError(_("The period ends before it starts."))
    begin, finish = period_bounds(start, end, timezone)
    scope = Scope(start=begin, end=finish, client_id=client_id)
    return await result_for(scope, start, end, timezone, from_rollup=from_rollup)


# ---- the client's copy of a shared summary (rules.shared_summaries): what the client may see


async def shared_projects_of(client_id: int | None) -> set[int]:
    """The client's projects shared with their people: the only ones their copy of a summary lists."""
    if client_id is None:
        return set()
    rows = await Project.select(Project.id).where((Project.client == client_id) & Project.shared_with_client.eq(True))
    return {int(r["id"]) for r in rows}


async def internal_tasks_of(result: dict[str, Any]) -> set[int]:
    """The result's cards that are internal now: no line of theirs reaches the client."""
    ids = {int(t["id"]) for t in result.get("tasks", [])}
    return set(await _internal(ids)) if ids else set()


async def _internal(ids: set[int]) -> list[int]:
    found: list[int] = []
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        rows = await Task.select(Task.id).where(Task.id.is_in(ordered[i : i + 500]) & Task.internal.eq(True))
        found += [int(r["id"]) for r in rows]
    return found


async def client_copy_of(summary: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """The stored result as the summary's client reads it."""
    shared = await shared_projects_of(summary["client"])
    return client_copy(result, shared, await internal_tasks_of(result))


async def left_out_of_client_copy(summary: dict[str, Any], result: dict[str, Any]) -> list[dict[str, Any]]:
    """The project lines sharing this summary would leave out of the client's copy (said before sharing)."""
    if summary["client"] is None or not result:
        return []
    return left_out(result, await shared_projects_of(summary["client"]))
