"""The SQL summary agrees to the cent with a plain-Python computation over the same entries, on
random agencies: currencies with and without decimals, every rounding rule, rates set or not at
each level, entries near midnight and across the summer-time changes.

The reference below is written from the rules in DESIGN.md, on purpose without the production
rate, rounding or pricing code."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from server.billing.summary_store import summarise
from server.kernel.db import close_pool, open_pool, write_transaction
from server.tables import BoardColumn, Client, Membership, Project, Task, TimeEntry, User
from tests.conftest import TABLES

TZ = "Europe/Berlin"
PLACES = {"EUR": 2, "USD": 2, "JPY": 0}
PERIODS = [
    (date(2026, 10, 1), date(2026, 10, 31)),  # summer time ends on 25 October
    (date(2026, 3, 29), date(2026, 3, 29)),  # the day summer time starts: 23 hours
    (date(2026, 10, 25), date(2026, 11, 1)),
]
NAMES = ["Orchid", "apple", "Zephyr", "mango", "Birch", "kiwi", "Delta", "Ember"]

rates = st.one_of(st.none(), st.decimals(min_value=0, max_value=400, places=2))


@dataclass
class World:
    clients: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    people: list[dict[str, Any]]
    memberships: dict[tuple[int, int], Decimal | None]
    entries: list[dict[str, Any]]
    period: tuple[date, date]
    only_client: int | None


@st.composite
def worlds(draw: st.DrawFn) -> World:
    clients = [
        {
            "currency": draw(st.sampled_from(sorted(PLACES))),
            "rate": draw(rates),
            "increment": draw(st.sampled_from((0, 1, 5, 6, 10, 15, 30, 60))),
            "mode": draw(st.sampled_from(("up", "nearest", "down"))),
            "name": f"{NAMES[i]} client",
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    names = draw(st.permutations(NAMES))
    projects = [
        {
            "client": draw(st.integers(0, len(clients) - 1)),
            "rate": draw(rates),
            "name": names[i],
            "tasks": draw(st.integers(1, 2)),
        }
        for i in range(draw(st.integers(1, 4)))
    ]
    people = [{"rate": draw(rates), "name": f"{names[-1 - i]} person"} for i in range(draw(st.integers(1, 3)))]
    memberships = {(p, u): draw(rates) for p in range(len(projects)) for u in range(len(people)) if draw(st.booleans())}
    period = draw(st.sampled_from(PERIODS))
    first = datetime.combine(period[0], time(0), tzinfo=ZoneInfo(TZ)).astimezone(UTC)
    length = (period[1] - period[0]).days + 1
    entries = []
    for _ in range(draw(st.integers(0, 25))):
        minute = draw(st.one_of(st.integers(0, 1439), st.sampled_from((0, 1, 59, 60, 61, 120, 1379, 1380, 1439))))
        started = first + timedelta(
            days=draw(st.integers(-1, length)),
            minutes=minute,
            microseconds=draw(st.sampled_from((0, 0, 500_000))),
        )
        project = draw(st.integers(0, len(projects) - 1))
        entries.append(
            {
                "project": project,
                "task": draw(st.integers(0, projects[project]["tasks"] - 1)),
                "person": draw(st.integers(0, len(people) - 1)),
                "started_at": started,
                # half increments (3 of 6, 15 of 30, 90 of 60...) decide "nearest" rounding
                "minutes": draw(
                    st.one_of(st.integers(1, 1440), st.integers(1, 20), st.sampled_from((3, 5, 15, 30, 45, 75, 90)))
                ),
                "billable": draw(st.booleans()),
            }
        )
    only_client = draw(st.one_of(st.none(), st.integers(0, len(clients) - 1)))
    return World(clients, projects, people, memberships, entries, period, only_client)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _entry(project: int, person: int, started: str, minutes: int, billable: bool = True) -> dict[str, Any]:
    return {
        "project": project,
        "task": 0,
        "person": person,
        "started_at": _at(started),
        "minutes": minutes,
        "billable": billable,
    }


# Always tried: exact halves under "nearest" (3 of 6 minutes in yen, 15 of 30 in euros), rounding up
# and down, a rate only on the person, no rate at all, and entries either side of both midnights
# of 25 October (the day summer time ends: 25 hours long).
HALVES = World(
    clients=[
        {"currency": "JPY", "rate": Decimal("4999.99"), "increment": 6, "mode": "nearest", "name": "Orchid client"},
        {"currency": "EUR", "rate": None, "increment": 30, "mode": "nearest", "name": "apple client"},
        {"currency": "USD", "rate": Decimal("0.01"), "increment": 15, "mode": "down", "name": "Zephyr client"},
    ],
    projects=[
        {"client": 0, "rate": None, "name": "mango", "tasks": 1},
        {"client": 1, "rate": None, "name": "Birch", "tasks": 1},
        {"client": 2, "rate": Decimal("33.33"), "name": "kiwi", "tasks": 1},
    ],
    people=[{"rate": Decimal("80.05"), "name": "Delta person"}, {"rate": None, "name": "Ember person"}],
    memberships={(1, 1): None, (2, 0): Decimal("12.34")},
    entries=[
        _entry(0, 0, "2026-10-24 21:59", 3),  # 23:59 CEST on 24 October: outside
        _entry(0, 0, "2026-10-24 22:00", 3),  # midnight: 25 October
        _entry(0, 1, "2026-10-25 22:59", 9),  # 23:59 CET, still 25 October
        _entry(1, 0, "2026-10-25 23:00", 15),  # 26 October
        _entry(1, 0, "2026-10-26 09:00", 45),
        _entry(1, 1, "2026-10-26 11:00", 15),  # no rate anywhere
        _entry(2, 0, "2026-10-27 09:00", 14),
        _entry(2, 1, "2026-10-27 10:00", 29, billable=False),
        _entry(2, 1, "2026-10-27 11:00", 1),
    ],
    period=(date(2026, 10, 25), date(2026, 11, 1)),
    only_client=None,
)


async def empty_database() -> None:
    async with write_transaction(Client._meta.db):  # one commit, not one per table
        for table in reversed(TABLES):
            await table.delete(force=True)


async def store(world: World) -> dict[str, Any]:
    """The world in the database; its ids, for the reference to name things as the summary does."""
    ids: dict[str, Any] = {"clients": [], "projects": [], "people": [], "tasks": {}}
    for c in world.clients:
        row = await Client.insert(
            Client(
                name=c["name"],
                currency=c["currency"],
                hourly_rate=c["rate"],
                rounding_increment=c["increment"],
                rounding_mode=c["mode"],
            )
        ).returning(Client.id)
        ids["clients"].append(row[0]["id"])
    for i, u in enumerate(world.people):
        row = await User.insert(
            User(email=f"p{i}@ref.test", name=u["name"], role="member", hourly_rate=u["rate"])
        ).returning(User.id)
        ids["people"].append(row[0]["id"])
    for i, p in enumerate(world.projects):
        row = await Project.insert(
            Project(client=ids["clients"][p["client"]], name=p["name"], key=f"K{i}", hourly_rate=p["rate"])
        ).returning(Project.id)
        project_id = row[0]["id"]
        ids["projects"].append(project_id)
        column = await BoardColumn.insert(BoardColumn(project=project_id, name="To do", rank="a0")).returning(
            BoardColumn.id
        )
        for number in range(p["tasks"]):
            task = await Task.insert(
                Task(project=project_id, number=number + 1, column=column[0]["id"], title=f"Task {number}", rank="a0")
            ).returning(Task.id)
            ids["tasks"][(i, number)] = task[0]["id"]
    for (p, u), rate in world.memberships.items():
        await Membership.insert(Membership(project=ids["projects"][p], member=ids["people"][u], hourly_rate=rate))
    if world.entries:
        await TimeEntry.insert(
            *(
                TimeEntry(
                    task=ids["tasks"][(e["project"], e["task"])],
                    project=ids["projects"][e["project"]],
                    person=ids["people"][e["person"]],
                    started_at=e["started_at"],
                    ended_at=e["started_at"] + timedelta(minutes=e["minutes"]),
                    minutes=e["minutes"],
                    billable=e["billable"],
                )
                for e in world.entries
            )
        )
    return ids


def rounded(minutes: int, increment: int, mode: str) -> int:
    if increment <= 1:
        return minutes
    steps = Decimal(minutes) / Decimal(increment)
    how = {"up": "ROUND_CEILING", "down": "ROUND_FLOOR", "nearest": ROUND_HALF_UP}[mode]
    return int(steps.quantize(Decimal(1), rounding=how)) * increment


def money(amount: Decimal, currency: str) -> str:
    return str(amount.quantize(Decimal(1).scaleb(-PLACES[currency])))


def reference(world: World, ids: dict[str, Any]) -> dict[str, Any]:
    start, end = world.period
    zone = ZoneInfo(TZ)

    def blank() -> dict[str, Any]:
        return {"total_minutes": 0, "billable_minutes": 0, "rounded_minutes": 0, "non_billable_minutes": 0}

    groups: dict[str, dict[Any, dict[str, Any]]] = defaultdict(dict)

    def add(kind: str, key: Any, entry: dict[str, Any], billed: int, amount: Decimal, currency: str) -> None:
        sums = groups[kind].setdefault(key, {**blank(), "amounts": defaultdict(Decimal), "count": 0})
        sums["total_minutes"] += entry["minutes"]
        sums["billable_minutes"] += entry["minutes"] if entry["billable"] else 0
        sums["non_billable_minutes"] += 0 if entry["billable"] else entry["minutes"]
        sums["rounded_minutes"] += billed
        sums["amounts"][currency] += amount
        sums["count"] += 1

    rate_of: dict[tuple[int, int], tuple[Decimal | None, str]] = {}
    for e in world.entries:
        project = world.projects[e["project"]]
        client = world.clients[project["client"]]
        if world.only_client is not None and project["client"] != world.only_client:
            continue
        day = e["started_at"].astimezone(zone).date()
        if not start <= day <= end:
            continue
        candidates = [
            (world.memberships.get((e["project"], e["person"])), "membership"),
            (project["rate"], "project"),
            (client["rate"], "client"),
            (world.people[e["person"]]["rate"], "user"),
        ]
        rate, source = next(((r, s) for r, s in candidates if r is not None), (None, "none"))
        billed = rounded(e["minutes"], client["increment"], client["mode"]) if e["billable"] else 0
        amount = (Decimal(billed) * (rate or 0) / 60).quantize(
            Decimal(1).scaleb(-PLACES[client["currency"]]), rounding=ROUND_HALF_UP
        )
        currency = client["currency"]
        rate_of[(e["project"], e["person"])] = (rate, source)
        add("clients", project["client"], e, billed, amount, currency)
        add("projects", e["project"], e, billed, amount, currency)
        add("people", e["person"], e, billed, amount, currency)
        add("tasks", (e["project"], e["task"]), e, billed, amount, currency)
        add("days", (day.isoformat(), e["project"]), e, billed, amount, currency)
        add("rates", (e["project"], e["person"]), e, billed, amount, currency)
        add("totals", currency, e, billed, amount, currency)
    if world.only_client is not None:
        groups["clients"].setdefault(world.only_client, {**blank(), "amounts": defaultdict(Decimal), "count": 0})
        groups["totals"].setdefault(
            world.clients[world.only_client]["currency"], {**blank(), "amounts": defaultdict(Decimal), "count": 0}
        )

    def minutes(sums: dict[str, Any]) -> dict[str, int]:
        return {k: sums[k] for k in blank()}

    def currency_of(project: int) -> str:
        return str(world.clients[world.projects[project]["client"]]["currency"])

    def one(sums: dict[str, Any], currency: str) -> str:
        return money(sums["amounts"].get(currency, Decimal(0)), currency)

    totals = {**blank(), "amounts": {}}
    for currency, sums in sorted(groups["totals"].items()):
        for key in blank():
            totals[key] += sums[key]
        totals["amounts"][currency] = one(sums, currency)
    clients = sorted(
        (
            {
                "id": ids["clients"][i],
                "name": world.clients[i]["name"],
                "currency": world.clients[i]["currency"],
                **minutes(s),
                "amount": one(s, world.clients[i]["currency"]),
            }
            for i, s in groups["clients"].items()
        ),
        key=lambda c: c["name"].casefold(),
    )
    projects = sorted(
        (
            {
                "id": ids["projects"][i],
                "client_id": ids["clients"][world.projects[i]["client"]],
                "key": f"K{i}",
                "name": world.projects[i]["name"],
                "currency": currency_of(i),
                **minutes(s),
                "amount": one(s, currency_of(i)),
            }
            for i, s in groups["projects"].items()
        ),
        key=lambda p: p["name"].casefold(),
    )
    people = sorted(
        (
            {
                "id": ids["people"][i],
                "name": world.people[i]["name"],
                **minutes(s),
                "amounts": {c: money(a, c) for c, a in sorted(s["amounts"].items())},
            }
            for i, s in groups["people"].items()
        ),
        key=lambda p: p["name"].casefold(),
    )
    tasks = sorted(
        (
            {
                "id": ids["tasks"][(p, t)],
                "project_id": ids["projects"][p],
                "key": f"K{p}-{t + 1}",
                "number": t + 1,
                "title": f"Task {t}",
                **minutes(s),
                "amount": one(s, currency_of(p)),
                "currency": currency_of(p),
            }
            for (p, t), s in groups["tasks"].items()
        ),
        key=lambda t: (t["key"].split("-")[0], t["number"]),
    )
    days = sorted(
        (
            {
                "day": day,
                "project_id": ids["projects"][p],
                **minutes(s),
                "amount": one(s, currency_of(p)),
                "currency": currency_of(p),
            }
            for (day, p), s in groups["days"].items()
        ),
        key=lambda d: (d["day"], world.projects[ids["projects"].index(d["project_id"])]["name"].casefold()),
    )
    rate_rows = sorted(
        (
            {
                "project_id": ids["projects"][p],
                "person_id": ids["people"][u],
                "person_name": world.people[u]["name"],
                "rate": None if rate_of[(p, u)][0] is None else str(rate_of[(p, u)][0]),
                "source": rate_of[(p, u)][1],
                "currency": currency_of(p),
                "entry_count": s["count"],
                **minutes(s),
                "amount": one(s, currency_of(p)),
            }
            for (p, u), s in groups["rates"].items()
        ),
        key=lambda r: (
            world.projects[ids["projects"].index(r["project_id"])]["name"].casefold(),
            r["person_name"].casefold(),
        ),
    )
    return {
        "entry_count": sum(s["count"] for s in groups["clients"].values()),
        "totals": totals,
        "clients": clients,
        "projects": projects,
        "people": people,
        "tasks": tasks,
        "days": days,
        "rates": rate_rows,
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(world=worlds())
@example(world=HALVES)
async def test_the_sql_summary_agrees_with_a_plain_python_computation(world: World) -> None:
    await open_pool(Client._meta.db, 2)  # PostgreSQL: a connection per query would dominate
    try:
        await check_one(world)
    finally:
        await close_pool(Client._meta.db)


async def check_one(world: World) -> None:
    await empty_database()  # the suite's cleanup runs per test, not per example
    async with write_transaction(Client._meta.db):  # one connection, one commit
        ids = await store(world)
    client_id = None if world.only_client is None else ids["clients"][world.only_client]
    result = await summarise(client_id, *world.period, timezone=TZ)
    expected = reference(world, ids)
    for part in ("entry_count", "totals", "clients", "projects", "people", "tasks", "days", "rates"):
        assert result[part] == expected[part], part
    assert result["period"] == {"start": world.period[0].isoformat(), "end": world.period[1].isoformat()}
