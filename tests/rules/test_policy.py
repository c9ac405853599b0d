"""server/rules/policy.py: who may do what, for every role against every kind of project."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from server.rules.policy import (
    Actor,
    ProjectFacts,
    Role,
    can_comment,
    can_manage_agency,
    can_see_internal,
    can_see_rates,
    can_view_project,
    can_work_on_project,
)

ACME, GLOBEX = 1, 2


def actor(role: Role, client_id: int | None = None, name: str = "Ada Admin", email: str = "ada@agency.test") -> Actor:
    return Actor(id=7, email=email, name=name, role=role, client_id=client_id)


ADA = actor(Role.ADMIN)
MAX = actor(Role.MEMBER, name="Max Member")
CLEO = actor(Role.CLIENT, client_id=ACME, name="Cleo Client")

facts = st.builds(
    ProjectFacts,
    client_id=st.sampled_from([ACME, GLOBEX]),
    shared_with_client=st.booleans(),
    archived=st.booleans(),
    actor_is_member=st.booleans(),
)
actors = st.builds(
    Actor,
    id=st.integers(1, 10**6),
    email=st.emails(),
    name=st.text(max_size=30),
    role=st.sampled_from(Role),
    client_id=st.one_of(st.none(), st.sampled_from([ACME, GLOBEX])),
)


@given(facts)
def test_an_admin_views_and_works_on_every_project(project: ProjectFacts) -> None:
    assert can_view_project(ADA, project)
    assert can_work_on_project(ADA, project)


@given(facts)
def test_a_member_views_exactly_the_projects_they_belong_to(project: ProjectFacts) -> None:
    assert can_view_project(MAX, project) is project.actor_is_member


@given(facts)
def test_a_member_works_only_on_their_live_projects(project: ProjectFacts) -> None:
    assert can_work_on_project(MAX, project) is (project.actor_is_member and not project.archived)


@given(facts)
def test_a_client_views_only_their_clients_live_shared_projects(project: ProjectFacts) -> None:
    expected = project.client_id == ACME and project.shared_with_client and not project.archived
    assert can_view_project(CLEO, project) is expected


@given(facts)
def test_a_client_never_works_on_a_project(project: ProjectFacts) -> None:
    assert not can_work_on_project(CLEO, project)


@given(facts)
def test_a_client_user_without_a_client_sees_nothing(project: ProjectFacts) -> None:
    assert not can_view_project(actor(Role.CLIENT, client_id=None), project)


@given(actors, facts)
def test_whoever_may_work_on_a_project_may_view_it(someone: Actor, project: ProjectFacts) -> None:
    if can_work_on_project(someone, project):
        assert can_view_project(someone, project)


@given(actors, facts)
def test_membership_gives_a_client_nothing(someone: Actor, project: ProjectFacts) -> None:
    if someone.role is Role.CLIENT:
        as_member = ProjectFacts(project.client_id, project.shared_with_client, project.archived, True)
        as_outsider = ProjectFacts(project.client_id, project.shared_with_client, project.archived, False)
        assert can_view_project(someone, as_member) == can_view_project(someone, as_outsider)
        assert not can_work_on_project(someone, as_member)


def test_cleo_cannot_see_an_unshared_acme_project() -> None:
    assert not can_view_project(
        CLEO, ProjectFacts(ACME, shared_with_client=False, archived=False, actor_is_member=False)
    )


def test_cleo_cannot_see_a_shared_globex_project() -> None:
    assert not can_view_project(
        CLEO, ProjectFacts(GLOBEX, shared_with_client=True, archived=False, actor_is_member=False)
    )


def test_max_still_views_an_archived_project_of_his() -> None:
    archived = ProjectFacts(ACME, shared_with_client=False, archived=True, actor_is_member=True)
    assert can_view_project(MAX, archived)
    assert not can_work_on_project(MAX, archived)


def test_only_admins_manage_the_agency_and_see_rates() -> None:
    assert [can_manage_agency(a) for a in (ADA, MAX, CLEO)] == [True, False, False]
    assert [can_see_rates(a) for a in (ADA, MAX, CLEO)] == [True, False, False]


def test_everyone_at_the_agency_sees_internal_things_and_clients_do_not() -> None:
    assert [can_see_internal(a) for a in (ADA, MAX, CLEO)] == [True, True, False]


def test_role_flags() -> None:
    assert ADA.is_admin and not ADA.is_client
    assert CLEO.is_client and not CLEO.is_admin
    assert not MAX.is_admin and not MAX.is_client


def test_a_role_read_from_the_database_is_the_same_role() -> None:
    assert can_manage_agency(actor(Role("admin")))


def test_initials_come_from_the_first_two_names() -> None:
    assert actor(Role.ADMIN, name="ada mary lovelace").initials == "AM"
    assert actor(Role.ADMIN, name="  Max  ").initials == "M"


def test_initials_fall_back_to_the_email_for_an_empty_name() -> None:
    assert actor(Role.ADMIN, name="   ", email="zoe@agency.test").initials == "Z"


@given(actors)
def test_initials_are_never_empty(someone: Actor) -> None:
    assert someone.initials


@given(actors, facts)
def test_whoever_sees_a_project_comments_on_it_unless_they_are_an_agency_viewer_only(
    who: Actor, project: ProjectFacts
) -> None:
    expected = can_work_on_project(who, project) or (who.role is Role.CLIENT and can_view_project(who, project))
    assert can_comment(who, project) is expected
    if can_comment(who, project):
        assert can_view_project(who, project)


def test_cleo_comments_on_a_shared_acme_project_but_not_on_globex_or_an_unshared_one() -> None:
    shared = ProjectFacts(client_id=ACME, shared_with_client=True, archived=False, actor_is_member=False)
    assert can_comment(CLEO, shared)
    assert not can_comment(CLEO, ProjectFacts(ACME, False, False, False))
    assert not can_comment(CLEO, ProjectFacts(GLOBEX, True, False, False))
    assert not can_comment(CLEO, ProjectFacts(ACME, True, True, False))  # archived
