"""Who may do what: pure functions over the acting user and the facts of a project.

Every handler asks here; nothing else decides permissions. A user who may not see a thing gets
404 from the access helpers, so a client never learns that another client's board exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"
    CLIENT = "client"


@dataclass(frozen=True)
class Actor:
    """The signed-in user, as the policy needs them."""

    id: int
    email: str
    name: str
    role: Role
    client_id: int | None = None
    locale: str = "en"

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_client(self) -> bool:
        return self.role is Role.CLIENT

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or self.email[:1].upper()


@dataclass(frozen=True)
class ProjectFacts:
    """What the policy needs to know of a project, seen from one actor."""

    client_id: int
    shared_with_client: bool
    archived: bool
    actor_is_member: bool


def can_manage_agency(actor: Actor) -> bool:
    """Users, clients, projects, rates, rounding, locks and billing."""
    return actor.role is Role.ADMIN


def can_view_project(actor: Actor, project: ProjectFacts) -> bool:
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.MEMBER:
        return project.actor_is_member
    return actor.client_id == project.client_id and project.shared_with_client and not project.archived


def can_work_on_project(actor: Actor, project: ProjectFacts) -> bool:
    """Move and edit cards, plan sprints, log time."""
    if actor.role is Role.ADMIN:
        return True
    return actor.role is Role.MEMBER and project.actor_is_member and not project.archived


def can_comment(actor: Actor, project: ProjectFacts) -> bool:
    """Comments on cards and plans: whoever works on the project, and its client's people (their
    comments are always visible to the client)."""
    if can_work_on_project(actor, project):
        return True
    return actor.role is Role.CLIENT and can_view_project(actor, project)


def can_see_rates(actor: Actor) -> bool:
    """Rates and amounts are the agency's business: admins only."""
    return actor.role is Role.ADMIN


def can_see_internal(actor: Actor) -> bool:
    """Internal comments, non-shared details: everyone at the agency, never a client."""
    return actor.role is not Role.CLIENT
