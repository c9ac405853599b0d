"""What entries bill: the rate that applies (rates.py), the client's rounding (rounding.py), money
quantised per currency. `price` is pure; `price_entries` loads the rates for a list of entries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from server.rules.rates import Rate, line_amount, resolve_rate
from server.rules.rounding import round_minutes
from server.tables import Client, Membership, Project, User


@dataclass(frozen=True)
class Priced:
    minutes: int
    billed_minutes: int  # after the client's rounding; 0 when not billable
    rate: Rate
    amount: Decimal
    currency: str


def price(minutes: int, billable: bool, rate: Rate, currency: str, increment: int, mode: str) -> Priced:
    billed = round_minutes(minutes, increment, mode) if billable else 0
    return Priced(minutes, billed, rate, line_amount(billed, rate.amount, currency), currency)


async def price_entries(entries: list[dict[str, Any]]) -> dict[int, Priced]:
    """Prices of stopped entries (each needs id, project, person, minutes, billable), in four queries."""
    stopped = [e for e in entries if e.get("ended_at") is not None]
    if not stopped:
        return {}
    project_ids = sorted({e["project"] for e in stopped})
    person_ids = sorted({e["person"] for e in stopped})
    projects = {
        p["id"]: p
        for p in await Project.select(Project.id, Project.hourly_rate, Project.client).where(
            Project.id.is_in(project_ids)
        )
    }
    clients = {
        c["id"]: c
        for c in await Client.select().where(Client.id.is_in(sorted({p["client"] for p in projects.values()})))
    }
    people = {
        u["id"]: u["hourly_rate"] for u in await User.select(User.id, User.hourly_rate).where(User.id.is_in(person_ids))
    }
    memberships = {
        (m["project"], m["member"]): m["hourly_rate"]
        for m in await Membership.select(Membership.project, Membership.member, Membership.hourly_rate).where(
            Membership.project.is_in(project_ids) & Membership.member.is_in(person_ids)
        )
    }
    priced = {}
    for entry in stopped:
        project = projects[entry["project"]]
        client = clients[project["client"]]
        rate = resolve_rate(
            memberships.get((entry["project"], entry["person"])),
            project["hourly_rate"],
            client["hourly_rate"],
            people.get(entry["person"]),
        )
        priced[entry["id"]] = price(
            entry["minutes"],
            entry["billable"],
            rate,
            client["currency"],
            client["rounding_increment"],
            client["rounding_mode"],
        )
    return priced
