"""Changing clients, projects and teams. A new project starts with the board's default columns."""

from __future__ import annotations

from server.boards.writes import create_default_columns
from server.clients.schemas import ClientInput, MembershipInput, ProjectInput
from server.kernel.db import unless_duplicate, values_of
from server.kernel.forms import MAX_ID
from server.tables import Client, Membership, Project


async def create_client(data: ClientInput) -> None:
    await Client.insert(Client(**values_of(data)))


async def update_client(client_id: int, data: ClientInput) -> None:
    await Client.update(values_of(data)).where(Client.id == client_id)


async def set_client_archived(client_id: int, archived: bool) -> None:
    await Client.update({Client.archived: archived}).where(Client.id == client_id)


async def create_project(data: ProjectInput) -> int | None:
    """The new project's id; None when another project took the key."""
    rows = await unless_duplicate(Project.insert(Project(**values_of(data))).returning(Project.id))
    if rows is None:
        return None
    await create_default_columns(rows[0]["id"])
    return int(rows[0]["id"])


async def update_project(project_id: int, data: ProjectInput) -> bool:
    """False when another project has the key."""
    query = Project.update(values_of(data)).where(Project.id == project_id)
    return await unless_duplicate(query) is not None


async def set_project_archived(project_id: int, archived: bool) -> None:
    await Project.update({Project.archived: archived}).where(Project.id == project_id)


async def add_to_team(project_id: int, data: MembershipInput) -> bool:
    """False when the person is on the team already (added twice at once)."""
    membership = Membership(project=project_id, member=data.user, hourly_rate=data.hourly_rate)
    return await unless_duplicate(Membership.insert(membership)) is not None


async def remove_from_team(project_id: int, membership_id: int) -> bool:
    """Both ids must match: a membership id under another project's URL is not found (False)."""
    if not (0 < membership_id <= MAX_ID and 0 < project_id <= MAX_ID):
        return False
    deleted = (
        await Membership.delete()
        .where((Membership.id == membership_id) & (Membership.project == project_id))
        .returning(Membership.id)
    )
    return bool(deleted)
