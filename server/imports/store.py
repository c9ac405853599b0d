"""Reads for imports: a run (the admin's loader), what earlier imports made in a project, the people a
Trello member or a tracker's person may be."""

from __future__ import annotations

import json
from typing import Any

from server.kernel.access import not_found, project_for, row_or_404
from server.rules.policy import Actor, Role, can_manage_agency
from server.tables import ImportedObject, ImportRun, User

Row = dict[str, Any]


def _decoded(row: Row) -> Row:
    for key in ("mapping", "report"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key] or "{}")
    return row


async def run_for(actor: Actor, run_id: int) -> tuple[Row, Row]:
    """An import run and its project, for an admin; to anyone else it does not exist."""
    if not can_manage_agency(actor):
        raise not_found()
    run = _decoded(await row_or_404(ImportRun, run_id))
    return run, await project_for(actor, run["project"])


async def run_row(run_id: int) -> Row | None:
    row = await ImportRun.select().where(ImportRun.id == run_id).first()
    return _decoded(row) if row else None


async def runs_of(project_id: int) -> list[Row]:
    return await (
        ImportRun.select(
            ImportRun.id,
            ImportRun.kind,
            ImportRun.status,
            ImportRun.filename,
            ImportRun.created_at,
            ImportRun.requested_by.name.as_alias("requested_by_name"),
        )
        .where(ImportRun.project == project_id)
        .order_by(ImportRun.id, ascending=False)
        .limit(20)
    )


async def imported(project_id: int, source: str) -> dict[tuple[str, str], Row]:
    """What earlier imports of `source` made in the project, by (kind, source id)."""
    rows = await ImportedObject.select().where(
        (ImportedObject.project == project_id) & (ImportedObject.source == source)
    )
    return {(r["kind"], r["source_id"]): r for r in rows}


async def people() -> list[Row]:
    """The agency's people a Trello member or a tracker's person can be: active, not clients' users."""
    return await (
        User.select(User.id, User.name, User.email, User.role)
        .where(User.active.eq(True) & (User.role != Role.CLIENT.value))
        .order_by(User.name)
    )
