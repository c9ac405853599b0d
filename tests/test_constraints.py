"""What the database itself refuses, on SQLite and PostgreSQL alike, whatever the handlers check first."""

from __future__ import annotations

from decimal import Decimal

import pytest
from piccolo.engine import engine_finder

from server.kernel.db import is_sqlite, is_unique_violation
from server.tables import Client, Membership, Project, User
from tests.conftest import Agency


async def test_it_enforces_unique_email_whatever_its_case() -> None:
    await User.insert(User(email="ada@x.test", name="Ada", role="admin"))
    with pytest.raises(Exception) as raised:
        await User.insert(User(email="Ada@X.test", name="Other Ada", role="admin"))
    assert is_unique_violation(raised.value)
    assert await User.count() == 1


async def test_it_enforces_unique_email_in_the_same_case() -> None:
    await User.insert(User(email="ada@x.test", name="Ada", role="admin"))
    with pytest.raises(Exception) as raised:
        await User.insert(User(email="ada@x.test", name="Other Ada", role="admin"))
    assert is_unique_violation(raised.value)


async def test_it_allows_one_membership_per_project_and_member(agency: Agency) -> None:
    with pytest.raises(Exception) as raised:
        await Membership.insert(Membership(project=agency.acme_project, member=agency.max, hourly_rate=Decimal("80")))
    assert is_unique_violation(raised.value)
    assert await Membership.count().where(Membership.project == agency.acme_project) == 1


async def test_the_same_person_may_join_other_projects(agency: Agency) -> None:
    await Membership.insert(Membership(project=agency.globex_project, member=agency.max))
    assert await Membership.count().where(Membership.member == agency.max) == 3


async def test_it_refuses_to_delete_a_client_with_projects(agency: Agency) -> None:
    with pytest.raises(Exception) as raised:
        await Client.delete().where(Client.id == agency.globex)
    assert type(raised.value).__name__ in {"IntegrityError", "ForeignKeyViolationError"}
    assert await Client.exists().where(Client.id == agency.globex)
    assert await Project.exists().where(Project.client == agency.globex)


async def test_it_refuses_to_delete_a_client_with_users() -> None:
    acme = (await Client.insert(Client(name="Acme")).returning(Client.id))[0]["id"]
    await User.insert(User(email="cleo@acme.test", name="Cleo", role="client", client=acme))
    with pytest.raises(Exception) as raised:
        await Client.delete().where(Client.id == acme)
    assert type(raised.value).__name__ in {"IntegrityError", "ForeignKeyViolationError"}
    assert await Client.exists().where(Client.id == acme)


async def test_it_deletes_a_client_without_projects_or_users() -> None:
    initech = (await Client.insert(Client(name="Initech")).returning(Client.id))[0]["id"]
    await Client.delete().where(Client.id == initech)
    assert not await Client.exists().where(Client.id == initech)


async def test_it_refuses_a_project_of_an_unknown_client() -> None:
    with pytest.raises(Exception) as raised:
        await Project.insert(Project(client=987654, name="Ghost", key="GHOST"))
    assert type(raised.value).__name__ in {"IntegrityError", "ForeignKeyViolationError"}
    assert await Project.count() == 0


async def test_deleting_a_project_takes_its_memberships_with_it(agency: Agency) -> None:
    await Project.delete().where(Project.id == agency.brand_project)
    assert not await Membership.exists().where(Membership.project == agency.brand_project)
    assert await Membership.exists().where(Membership.project == agency.acme_project)


async def test_it_enforces_unique_project_keys(agency: Agency) -> None:
    with pytest.raises(Exception) as raised:
        await Project.insert(Project(client=agency.acme, name="Another", key="ACME"))
    assert is_unique_violation(raised.value)


async def test_sqlite_connections_enforce_foreign_keys() -> None:
    engine = engine_finder()
    assert engine is not None
    if not is_sqlite(engine):
        pytest.skip("PostgreSQL always enforces foreign keys")
    rows = await engine.run_ddl("PRAGMA foreign_keys")
    assert rows == [{"foreign_keys": 1}]
