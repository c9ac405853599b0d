"""One helper per kind of object: load it for a user, or answer 404 if they may not see it.

The project is always derived from the object itself, never from an id the browser sends beside it.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from server.kernel.forms import MAX_ID
from server.kernel.i18n import _
from server.rules.policy import Actor, ProjectFacts, Role, can_manage_agency, can_view_project, can_work_on_project
from server.tables import Membership, Project


def not_found() -> NotFoundException:
    return NotFoundException(_("Not found. It may have been removed, or you may not have access to it."))


async def is_member(actor: Actor, project_id: int) -> bool:
    if actor.role is not Role.MEMBER:
        return False
    return await Membership.exists().where((Membership.project == project_id) & (Membership.member == actor.id))


async def project_facts(actor: Actor, project: dict[str, Any]) -> ProjectFacts:
    return ProjectFacts(
        client_id=project["client"],
        shared_with_client=project["shared_with_client"],
        archived=project["archived"],
        actor_is_member=await is_member(actor, project["id"]),
    )


async def project_for(actor: Actor, project_id: int, *, write: bool = False) -> dict[str, Any]:
    # An id beyond the serial's range cannot exist: not found, rather than a driver error.
    project = await Project.select().where(Project.id == project_id).first() if 0 < project_id <= MAX_ID else None
    if project is None:
        raise not_found()
    facts = await project_facts(actor, project)
    if not can_view_project(actor, facts):
        raise not_found()
    if write and not can_work_on_project(actor, facts):
        raise PermissionDeniedException(_("You can look at this project but not change it."))
    return project


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
