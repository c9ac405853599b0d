"""One loader per kind of object: `<kind>_for(actor, id)` returns the object, or raises 404 when the
user may not see it (403 when they may see it but not change it). Handlers call one on their first
line. The project always comes from the object itself, never from an id sent beside it.

The visibility rule itself is `rules.policy`; `visible_projects` is the same rule as one query.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from server.kernel.forms import MAX_ID
from server.kernel.i18n import _
from server.rules.policy import (
    Actor,
    ProjectFacts,
    Role,
    can_manage_agency,
    can_view_project,
    can_work_on_project,
)
from server.rules.visibility import may_see_card
from server.tables import BoardColumn, ChecklistItem, Client, Membership, Project, Sprint, Task, TimeEntry, User

Row = dict[str, Any]


def not_found() -> NotFoundException:
    return NotFoundException(_("Not found. It may have been removed, or you may not have access to it."))


async def row_or_404(table: type[Any], row_id: int) -> Row:
    """The row with this id, or 404. An id no row can have (0, negative, past the 32-bit keys) is
    not found too, rather than a driver error."""
    row = await table.select().where(table.id == row_id).first() if 0 < row_id <= MAX_ID else None
    if row is None:
        raise not_found()
    return row


async def is_member(actor: Actor, project_id: int) -> bool:
    if actor.role is not Role.MEMBER:
        return False
    return await Membership.exists().where((Membership.project == project_id) & (Membership.member == actor.id))


async def project_facts(actor: Actor, project: Row) -> ProjectFacts:
    return ProjectFacts(
        client_id=project["client"],
        shared_with_client=project["shared_with_client"],
        archived=project["archived"],
        actor_is_member=await is_member(actor, project["id"]),
    )


async def project_for(actor: Actor, project_id: int, *, write: bool = False) -> Row:
    project = await row_or_404(Project, project_id)
    facts = await project_facts(actor, project)
    if not can_view_project(actor, facts):
        raise not_found()
    if write and not can_work_on_project(actor, facts):
        raise PermissionDeniedException(_("You can look at this project but not change it."))
    return project


async def task_for(actor: Actor, task_id: int, *, write: bool = False) -> tuple[Row, Row]:
    """The card and its project. An internal card does not exist for the client's people."""
    task = await row_or_404(Task, task_id)
    if not may_see_card(actor, task["internal"]):
        raise not_found()
    return task, await project_for(actor, task["project"], write=write)


async def column_for(actor: Actor, column_id: int, *, write: bool = False) -> tuple[Row, Row]:
    """The column and its project."""
    column = await row_or_404(BoardColumn, column_id)
    return column, await project_for(actor, column["project"], write=write)


async def checklist_item_for(actor: Actor, item_id: int) -> tuple[Row, Row]:
    """A checklist item (with its card's project id) for a user who may change the card."""
    item = await row_or_404(ChecklistItem, item_id)
    task, project = await task_for(actor, item["task"], write=True)
    return {**item, "project": task["project"]}, project


async def sprint_for(actor: Actor, sprint_id: int, *, write: bool = False) -> tuple[Row, Row]:
    """The sprint and its project."""
    sprint = await row_or_404(Sprint, sprint_id)
    return sprint, await project_for(actor, sprint["project"], write=write)


async def entry_for(actor: Actor, entry_id: int) -> Row:
    """A time entry its person or an admin may change; to anyone else it does not exist."""
    entry = await row_or_404(TimeEntry, entry_id)
    if entry["person"] != actor.id and not can_manage_agency(actor):
        raise not_found()
    await project_for(actor, entry["project"])
    return entry


async def client_for(actor: Actor, client_id: int) -> Row:
    """A client of the agency, for its administrators."""
    if not can_manage_agency(actor):
        raise not_found()
    return await row_or_404(Client, client_id)


async def user_for(actor: Actor, user_id: int) -> Row:
    """A user account, for the agency's administrators."""
    if not can_manage_agency(actor):
        raise not_found()
    return await row_or_404(User, user_id)


async def visible_projects(actor: Actor) -> list[Row]:
    """The open projects this user may see, with their client's name: `can_view_project` as a query."""
    query = Project.select(
        Project.id,
        Project.name,
        Project.key,
        Project.budget_hours,
        Project.shared_with_client,
        Project.client_sees_hours,
        Project.archived,
        Project.client,
        Project.client.name.as_alias("client_name"),
    ).where(Project.archived.eq(False))
    if actor.role is Role.MEMBER:
        mine = Membership.select(Membership.project).where(Membership.member == actor.id)
        query = query.where(Project.id.is_in(mine))
    elif actor.role is Role.CLIENT:
        query = query.where((Project.client == actor.client_id) & Project.shared_with_client.eq(True))
    return await query.order_by(Project.client.name).order_by(Project.name)


def admin_only(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    """Guard for agency administration: to everyone else these pages do not exist."""
    user = connection.scope.get("user")
    if not isinstance(user, Actor) or not can_manage_agency(user):
        raise not_found()


def agency_only(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    """Guard for the agency's own pages (time tracking): clients' users do not log time, and to
    them these pages do not exist."""
    user = connection.scope.get("user")
    if isinstance(user, Actor) and user.is_client:
        raise not_found()
