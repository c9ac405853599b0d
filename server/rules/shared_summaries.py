"""A billing summary as its client reads it when it is shared with them: only the lines of projects
shared with that client, and no line of an internal card. The agency's copy is never changed; the
client's is drawn from it, and its totals are the sums of the lines it keeps (minutes and, per
currency, amounts), so nothing the client cannot see is hidden inside a total either. Rates, costs
and margins are never in the client's copy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from decimal import Decimal
from typing import Any

MINUTES = ("total_minutes", "billable_minutes", "rounded_minutes", "non_billable_minutes")
# What the agency keeps in a result for itself alone: its costs and margins (issue 16).
AGENCY_ONLY = frozenset({"costs"})


def left_out(result: dict[str, Any], shared_projects: Collection[int]) -> list[dict[str, Any]]:
    """The result's project lines the client's copy leaves out (their projects are not shared with it)."""
    return [p for p in result.get("projects", []) if p["id"] not in shared_projects]


def _sum_minutes(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(int(row.get(key, 0)) for row in rows) for key in MINUTES}


def _sum_amounts(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Amounts per currency: each line's amount (a decimal string, already rounded) added up."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row.get("amount") is not None:
            totals[row["currency"]] += Decimal(str(row["amount"]))
    return {currency: str(amount) for currency, amount in sorted(totals.items())}


def client_copy(
    result: dict[str, Any], shared_projects: Collection[int], internal_tasks: Collection[int] = ()
) -> dict[str, Any]:
    """The client's copy of a stored summary result (see summary_store.result_for)."""
    if not result:
        return result
    keep = set(shared_projects)
    projects = [p for p in result.get("projects", []) if p["id"] in keep]
    rates = [r for r in result.get("rates", []) if r["project_id"] in keep]
    people: dict[int, dict[str, Any]] = {}
    for person in result.get("people", []):
        people[person["id"]] = {"id": person["id"], "name": person["name"], **dict.fromkeys(MINUTES, 0), "lines": []}
    for rate in rates:
        if rate["person_id"] in people:
            people[rate["person_id"]]["lines"].append(rate)
    people_list = []
    for person in people.values():
        lines = person.pop("lines")
        if lines:
            people_list.append({**person, **_sum_minutes(lines), "amounts": _sum_amounts(lines)})
    clients = []
    for client in result.get("clients", []):
        own = [p for p in projects if p.get("client_id") == client["id"]]
        amounts = _sum_amounts(own)
        clients.append({**client, **_sum_minutes(own), "amount": amounts.get(client["currency"], "0")})
    return {
        **{key: value for key, value in result.items() if key not in AGENCY_ONLY},
        "entry_count": sum(int(r.get("entry_count", 0)) for r in rates),
        "totals": {**_sum_minutes(projects), "amounts": _sum_amounts(projects)},
        "clients": clients,
        "projects": projects,
        "people": people_list,
        "tasks": [t for t in result.get("tasks", []) if t["project_id"] in keep and t["id"] not in internal_tasks],
        "days": [d for d in result.get("days", []) if d["project_id"] in keep],
        "rates": [],
    }
