"""Hours not yet billed: per client and project, the stopped entries in no finalised summary, so
nothing logged is forgotten at month end."""

from __future__ import annotations

from typing import Any

from server.billing.sql import unbilled_groups
from server.rules.money import digits, money_text
from server.tables import Client, Project


async def unbilled(timezone: str) -> list[dict[str, Any]]:
    """Rows sorted by client name, then project name; amounts at today's rates."""
    groups = await unbilled_groups(timezone)
    if not groups:
        return []
    projects = {
        p["id"]: p
        for p in await Project.select(Project.id, Project.key, Project.name).where(
            Project.id.is_in(sorted({g["project_id"] for g in groups}))
        )
    }
    clients = {
        c["id"]: c
        for c in await Client.select(Client.id, Client.name, Client.currency).where(
            Client.id.is_in(sorted({g["client_id"] for g in groups}))
        )
    }
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
