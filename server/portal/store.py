"""What the client's portal reads of its own: each project's latest weeks and where their review stands.

(Hours per week and the plans awaiting review are the sprints feature's reads: sprints.hours_store,
sprints.review_store.)"""

from __future__ import annotations

from typing import Any

from server.rules.review import week_label
from server.tables import Sprint

RECENT_SPRINTS = 6


async def recent_sprints(project_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each project's latest weeks (newest first) with their review state, labelled for the client."""
    rows = (
        await Sprint.select(
            Sprint.id,
            Sprint.project,
            Sprint.name,
            Sprint.starts_on,
            Sprint.state,
            Sprint.review_state,
            Sprint.reviewed_at,
        )
        .where(Sprint.project.is_in(project_ids or [0]))
        .order_by(Sprint.starts_on, ascending=False)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        weeks = found.setdefault(row["project"], [])
        if len(weeks) < RECENT_SPRINTS:
            weeks.append({**row, "label": week_label(row["state"], row["review_state"])})
    return found
