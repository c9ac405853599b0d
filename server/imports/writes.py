"""An import run's life in the database: uploaded (preview), confirmed with the admin's mapping (queued),
applied by a worker (running, then done with its report, or failed with its error)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from server.imports import store, timecsv, trello
from server.imports.time_writes import apply_rows
from server.imports.trello_writes import Report, apply_plan
from server.rules.imports import ImportKind, ImportStatus
from server.rules.policy import Actor, Role
from server.tables import ImportRun, Project, User

ERROR_LENGTH = 2000
Progress = Callable[[int], Awaitable[None]]


class ImportGone(Exception):
    """The run was deleted (its project with it) before its job ran."""


async def new_run(project_id: int, kind: ImportKind, filename: str, source: str, requested_by: int) -> int:
    rows = await ImportRun.insert(
        ImportRun(
            project=project_id, kind=kind.value, filename=filename[:200], source=source, requested_by=requested_by
        )
    ).returning(ImportRun.id)
    return int(rows[0]["id"])


async def save_mapping(run_id: int, mapping: dict[str, Any]) -> None:
    """The admin's choices so far (a time CSV's columns), while the run is still a preview."""
    await ImportRun.update({ImportRun.mapping: mapping}).where(
        (ImportRun.id == run_id) & (ImportRun.status == ImportStatus.PREVIEW.value)
    )


async def confirm(run_id: int, mapping: dict[str, Any]) -> int | None:
    """Save the admin's mapping and queue the run; its new attempt number (None: not in preview any more)."""
    rows = (
        await ImportRun.update(
            {
                ImportRun.mapping: mapping,
                ImportRun.status: ImportStatus.QUEUED.value,
                ImportRun.attempts: ImportRun.attempts + 1,
            }
        )
        .where((ImportRun.id == run_id) & (ImportRun.status == ImportStatus.PREVIEW.value))
        .returning(ImportRun.attempts)
    )
    return int(rows[0]["attempts"]) if rows else None


async def _set(run_id: int, **values: Any) -> None:
    changes: dict[Any, Any] = values
    await ImportRun.update(changes).where(ImportRun.id == run_id)


async def mark_failed(run_id: int, error: str) -> None:
    await _set(run_id, status=ImportStatus.FAILED.value, error=error[:ERROR_LENGTH], finished_at=datetime.now(UTC))


async def _actor(user_id: int | None) -> Actor:
    row = await User.select().where(User.id == user_id).first() if user_id else None
    if row is None:
        raise ImportGone("the person who asked for this import no longer exists")
    return Actor(id=row["id"], email=row["email"], name=row["name"], role=Role(row["role"]))


async def run_import(run_id: int, progress: Progress, tz: str = "UTC") -> Report:
    """Apply a confirmed run (the job's work): all of it in one transaction, then the report."""
    run = await store.run_row(run_id)
    if run is None:
        raise ImportGone(f"import {run_id} no longer exists")
    if run["status"] == ImportStatus.DONE:
        return Report()
    await _set(run_id, status=ImportStatus.RUNNING.value, error="")
    actor = await _actor(run["requested_by"])
    project = await Project.select().where(Project.id == run["project"]).first()
    if project is None:
        raise ImportGone(f"import {run_id}'s project no longer exists")
    if run["kind"] == ImportKind.TRELLO:
        report = await _trello(run, project, actor, progress)
    else:
        report = await _time(run, project, actor, progress, tz)
    await _set(
        run_id, status=ImportStatus.DONE.value, progress=100, report=report.as_json(), finished_at=datetime.now(UTC)
    )
    await progress(100)
    return report


async def _trello(run: dict[str, Any], project: dict[str, Any], actor: Actor, progress: Progress) -> Report:
    plan = trello.read(run["source"].encode())
    chosen = run["mapping"].get("people", {})
    people = {m.source_id: chosen.get(m.source_id) for m in plan.members}
    known = await store.imported(project["id"], "trello")
    return await apply_plan(project, actor, plan, people, run_id=run["id"], progress=progress, known=known)


async def _time(run: dict[str, Any], project: dict[str, Any], actor: Actor, progress: Progress, tz: str) -> Report:
    sheet = timecsv.read_text(run["source"])
    mapping = timecsv.Mapping.from_json(run["mapping"])
    return await apply_rows(project, actor, sheet, mapping, run_id=run["id"], tz=tz, progress=progress)
