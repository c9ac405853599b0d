"""The demo agency seeded on first start, so a newcomer has something to look at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from server.attachments.demo import seed_attachments
from server.billing.demo import seed_billing
from server.boards.demo import seed_boards
from server.budgets.demo import seed_budgets
from server.kernel.config import agency_timezone
from server.kernel.passwords import hash_password
from server.notifications.demo import seed_notifications
from server.reports.demo import seed_reports
from server.rules.policy import Actor, Role
from server.rules.sprints import ReviewState, SprintState
from server.tables import Client, Membership, Project, Sprint, User
from server.time.demo import seed_time

DEMO_PASSWORD = "boardroom-demo"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str = DEMO_PASSWORD


DEMO_LOGINS = (
    DemoLogin("admin", "ada@agency.example"),
    DemoLogin("member", "max@agency.example"),
    DemoLogin("client (Acme)", "cleo@acme.example"),
)


async def has_users() -> bool:
    return await User.exists().where(User.id > 0)


async def seed_demo() -> None:
    """Create the demo agency; refuses to run on a database that already has users."""
    if await has_users():
        raise RuntimeError("the database already has users; seed-demo only fills an empty one")
    acme, globex = await Client.insert(
        Client(
            name="Acme Corporation",
            currency="EUR",
            hourly_rate=Decimal("95.00"),
            rounding_increment=15,
            rounding_mode="up",
        ),
        Client(
            name="Globex", currency="USD", hourly_rate=Decimal("120.00"), rounding_increment=6, rounding_mode="nearest"
        ),
    ).returning(Client.id)
    password = hash_password(DEMO_PASSWORD)
    people = await User.insert(
        User(
            email="ada@agency.example",
            name="Ada Lovelace",
            role=Role.ADMIN,
            password_hash=password,
            hourly_rate=Decimal("80.00"),
            cost_rate=Decimal("60.00"),  # what an hour of them costs the agency (admins only)
            cost_currency="EUR",
        ),
        User(
            email="max@agency.example",
            name="Max Mustermann",
            role=Role.MEMBER,
            password_hash=password,
            hourly_rate=Decimal("70.00"),
            cost_rate=Decimal("42.00"),  # what an hour of them costs the agency (admins only)
            cost_currency="EUR",
        ),
        User(
            email="mia@agency.example",
            name="Mia Wong",
            role=Role.MEMBER,
            password_hash=password,
            hourly_rate=Decimal("75.00"),
            cost_rate=Decimal("48.00"),  # what an hour of them costs the agency (admins only)
            cost_currency="EUR",
        ),
        User(
            email="cleo@acme.example", name="Cleo Carter", role=Role.CLIENT, client=acme["id"], password_hash=password
        ),
        User(
            email="cole@globex.example",
            name="Cole Garcia",
            role=Role.CLIENT,
            client=globex["id"],
            password_hash=password,
        ),
    ).returning(User.id)
    ada, max_, mia = (p["id"] for p in people[:3])
    projects = await Project.insert(
        Project(client=acme["id"], name="Website relaunch", key="ACME", budget_hours=320, shared_with_client=True),
        Project(
            client=acme["id"], name="Brand guidelines", key="BRAND", hourly_rate=Decimal("110.00"), budget_hours=80
        ),
        Project(client=globex["id"], name="Mobile app", key="GLOBEX", budget_hours=600, shared_with_client=True),
    ).returning(Project.id)
    web, brand, app = (p["id"] for p in projects)
    await Membership.insert(
        Membership(project=web, member=max_),
        Membership(project=web, member=mia, hourly_rate=Decimal("90.00")),
        Membership(project=web, member=ada),
        Membership(project=brand, member=mia),
        Membership(project=app, member=max_),
    )
    await seed_boards({"ada": ada, "max": max_, "mia": mia})
    await seed_attachments()
    await seed_time()
    await seed_budgets(web, brand, app, datetime.now(UTC).date())
    await seed_reviews(reviewer=people[3]["id"], submitter=max_, project=web)
    admin = Actor(id=ada, email="ada@agency.example", name="Ada Lovelace", role=Role.ADMIN)
    await seed_billing(acme["id"], admin, datetime.now(UTC).date(), agency_timezone())
    await seed_reports(acme["id"], admin, datetime.now(UTC).date())
    await seed_notifications()


async def seed_reviews(reviewer: int, submitter: int, project: int) -> None:
    """The client approved each past week's plan on the Friday before it; this week's plan waits
    for their review, so the client's first look at the portal has something to decide."""
    for sprint in await Sprint.select().where(Sprint.project == project):
        friday = datetime.combine(sprint["starts_on"] - timedelta(days=3), time(15), tzinfo=UTC)
        values: dict[Any, Any]
        if sprint["state"] == SprintState.CLOSED:
            values = {Sprint.review_state: ReviewState.APPROVED, Sprint.reviewer: reviewer, Sprint.reviewed_at: friday}
        elif sprint["state"] == SprintState.ACTIVE:
            values = {Sprint.review_state: ReviewState.IN_REVIEW, Sprint.submitted_at: datetime.now(UTC)}
        else:
            continue
        await Sprint.update({**values, Sprint.submitted_by: submitter}).where(Sprint.id == sprint["id"])
