"""server/rules/visibility.py: what a client's people see of a project's cards, hours and people."""

from __future__ import annotations

from server.rules.policy import Actor, Role
from server.rules.visibility import EVERYTHING, Seen, client_sees, may_see_card, new_card_internal, seen_by

ADA = Actor(id=1, email="ada@agency.test", name="Ada", role=Role.ADMIN)
MAX = Actor(id=2, email="max@agency.test", name="Max", role=Role.MEMBER)
CLEO = Actor(id=3, email="cleo@acme.test", name="Cleo", role=Role.CLIENT, client_id=1)


def test_an_internal_card_is_hidden_from_the_client_only() -> None:
    assert may_see_card(ADA, internal=True)
    assert may_see_card(MAX, internal=True)
    assert not may_see_card(CLEO, internal=True)
    assert may_see_card(CLEO, internal=False)


def test_the_client_sees_hours_and_people_unless_the_project_says_not() -> None:
    assert client_sees({}) == Seen(hours=True, people=True)
    project = {"client_sees_hours": False, "client_sees_people": True}
    assert client_sees(project) == Seen(hours=False, people=True)
    assert seen_by(CLEO, project) == Seen(hours=False, people=True)


def test_the_agency_sees_everything_whatever_the_settings() -> None:
    project = {"client_sees_hours": False, "client_sees_people": False}
    assert seen_by(ADA, project) == EVERYTHING
    assert seen_by(MAX, project) == EVERYTHING


def test_new_cards_take_the_projects_default() -> None:
    assert new_card_internal({"new_cards_internal": True})
    assert not new_card_internal({"new_cards_internal": False})
    assert not new_card_internal({})
