"""What a client's people may see of a project they share: its cards marked *shared with the client*
(never an internal one), and its logged hours and its people only where the project's settings say so.
The agency sees everything. Pure functions over a project's settings; every client-facing read asks here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from server.rules.policy import Actor, can_see_internal


@dataclass(frozen=True)
class Seen:
    """What one viewer sees of a project's cards: hours logged, and who works on what (assignees,
    timers, names in histories)."""

    hours: bool = True
    people: bool = True


EVERYTHING = Seen()


def client_sees(project: Mapping[str, Any]) -> Seen:
    """What the project's settings show its client's people (both on unless switched off)."""
    return Seen(
        hours=bool(project.get("client_sees_hours", True)), people=bool(project.get("client_sees_people", True))
    )


def seen_by(actor: Actor, project: Mapping[str, Any]) -> Seen:
    return EVERYTHING if can_see_internal(actor) else client_sees(project)


def seen_by_audience(client_audience: bool, project: Mapping[str, Any]) -> Seen:
    """The same, for an audience of a board's live events rather than one person."""
    return client_sees(project) if client_audience else EVERYTHING


def may_see_card(actor: Actor, internal: bool) -> bool:
    """An internal card is the agency's alone: to a client it does not exist."""
    return can_see_internal(actor) or not internal


def new_card_internal(project: Mapping[str, Any]) -> bool:
    """A new card's visibility: the project's default (shared unless the admin chose internal)."""
    return bool(project.get("new_cards_internal", False))


def shows_client_budget(project: Mapping[str, Any]) -> bool:
    """Whether the client's people see the project's hours against its hours budget (issue 16): only
    when the agency switched it on, on a project shared with them that has an hours budget. Never
    the money budget, whatever the switch says."""
    return (
        bool(project.get("client_sees_budget", False))
        and bool(project.get("shared_with_client", False))
        and project.get("budget_hours") is not None
    )
