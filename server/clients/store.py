"""Reading clients, projects and teams: the admin's client list, a client's users, who is on a
project's team and who may join it, and whether a project key is in use."""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import Where
from piccolo.query.functions.aggregate import Count

from server.rules.policy import Role
from server.tables import Client, Membership, Project, User

Row = dict[str, Any]


async def all_clients() -> list[Row]:
    """Open clients first, then by name."""
    return await Client.select().order_by(Client.archived).order_by(Client.name)


async def open_project_counts() -> dict[int, int]:
    """How many open projects each client has (a client with none is missing)."""
    rows = await (
        Project.select(Project.client, Count(Project.id, alias="count"))
        .where(Project.archived.eq(False))
        .group_by(Project.client)
    )
    return {row["client"]: row["count"] for row in rows}


async def client_currency(client_id: int) -> str:
    """The currency a client is billed in: every rate on its projects is in it."""
    row = await Client.select(Client.currency).where(Client.id == client_id).first()
    return str(row["currency"]) if row else ""


async def client_users(client_id: int) -> list[Row]:
    return await User.select(User.id, User.name, User.email).where(User.client == client_id)


async def member_counts(project_ids: list[int]) -> dict[int, int]:
    """How many people are on each of these projects' teams (a project with none is missing)."""
    rows = await (
        Membership.select(Membership.project, Count(Membership.id, alias="count"))
        .where(Membership.project.is_in(project_ids or [0]))
        .group_by(Membership.project)
    )
    return {row["project"]: row["count"] for row in rows}


async def key_in_use(key: str, *, except_project: int | None = None) -> bool:
    taken = Project.select(Project.id).where(Project.key == key)
    if except_project is not None:
        taken = taken.where(Project.id != except_project)
    return await taken.first() is not None


async def team_of(project_id: int) -> list[Row]:
    """The project's memberships, by member name, with the member's id, name and address."""
    return await (
        Membership.select(
            Membership.id,
            Membership.hourly_rate,
            Membership.member.id.as_alias("user_id"),
            Membership.member.name.as_alias("name"),
            Membership.member.email.as_alias("email"),
        )
        .where(Membership.project == project_id)
        .order_by(Membership.member.name)
    )


def _may_join_teams() -> Where:
    """The agency's own active people: clients' users never join a team."""
    return User.role.is_in([Role.ADMIN, Role.MEMBER]) & User.active.eq(True)  # type: ignore[return-value]


async def team_candidates(team: list[Row]) -> list[Row]:
    """Who may still join a team: the agency's active people not on it, by name."""
    taken = [m["user_id"] for m in team] or [0]
    return await (
        User.select(User.id, User.name, User.email).where(_may_join_teams() & User.id.not_in(taken)).order_by(User.name)
    )


async def may_join_teams(user_id: int) -> bool:
    return await User.exists().where((User.id == user_id) & _may_join_teams())


async def on_team(project_id: int, user_id: int) -> bool:
    return await Membership.exists().where((Membership.project == project_id) & (Membership.member == user_id))
