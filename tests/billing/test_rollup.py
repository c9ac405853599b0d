"""The entry rollup answers billing summaries exactly as the entries do.

On random agencies (test_reference's worlds), random sequences of entry writes go through the app's
own writes (add, edit, delete, a client's rate changed, a summary finalised and unlocked); after
them, the summary read from the rollup, the summary priced entry by entry in SQL and the plain-
Python reference agree to the cent, a finalised summary's own result agrees both ways, and the
rollup is row for row the one a rebuild from scratch makes. The rollup counts days in Europe/Berlin
here, so the summer-time days of the worlds' periods are covered. Runs on the suite's engine
(SQLite; PostgreSQL with BOARDROOM_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.billing.errors import BillingError
from server.billing.priced_store import Scope, whole_months
from server.billing.summary_store import result_for, summarise
from server.billing.writes import compute_summary, finalise, unlock
from server.boards.changes import Silent
from server.kernel.db import close_pool, open_pool, write_transaction
from server.rules.entries import EntryRefused
from server.rules.policy import Actor, Role
from server.tables import Client, EntryRollup, Task, TimeEntry
from server.time.rollup_store import rollup_zone
from server.time.rollup_writes import rebuild, refresh_stale, stale_pairs
from server.time.schemas import EntryInput
from server.time.writes import add_entry, delete_entry, update_entry
from tests.billing.test_reference import HALVES, TZ, World, empty_database, rates, reference, store, worlds
from tests.factories import add_summary

NOW = datetime(2030, 1, 1, tzinfo=UTC)  # every entry of the worlds lies before it
PARTS = ("entry_count", "totals", "clients", "projects", "people", "tasks", "days", "rates")

writes = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.integers(0, 40), st.integers(-1500, 1500), st.integers(1, 600), st.booleans()),
        st.tuples(st.just("delete"), st.integers(0, 40)),
        st.tuples(st.just("rate"), st.integers(0, 2), rates),
        st.just(("finalise",)),
        st.just(("unlock",)),
    ),
    max_size=8,
)


@contextmanager
def agency_zone(zone: str) -> Iterator[None]:
    before = os.environ.get("BOARDROOM_TZ")
    os.environ["BOARDROOM_TZ"] = zone
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("BOARDROOM_TZ", None)
        else:
            os.environ["BOARDROOM_TZ"] = before


class Ledger:
    """The world's entries as the database holds them after each accepted write, in the shape the
    reference reads."""

    def __init__(self, world: World, ids: dict[str, Any], actor: Actor) -> None:
        self.world, self.ids, self.actor = world, ids, actor
        self.entries: dict[int, dict[str, Any]] = {}
        self.finalised: list[int] = []

    async def add(self, entry: dict[str, Any]) -> None:
        task = await Task.select().where(Task.id == self.ids["tasks"][(entry["project"], entry["task"])]).first()
        end = entry["started_at"] + timedelta(minutes=entry["minutes"])
        person = self.ids["people"][entry["person"]]
        data = EntryInput(entry["started_at"], end, "", entry["billable"])
        try:
            entry_id = await add_entry(self.actor, task, data, NOW, TZ, Silent(), person_id=person)
        except EntryRefused:  # overlaps one of the person's entries: refused, nothing written
            return
        self.entries[entry_id] = dict(entry)

    def pick(self, index: int) -> int | None:
        ids = sorted(self.entries)
        return ids[index % len(ids)] if ids else None

    async def apply(self, write: tuple[Any, ...]) -> None:
        kind = write[0]
        if kind in ("edit", "delete"):
            entry_id = self.pick(write[1])
            if entry_id is None:
                return
            row = await TimeEntry.select().where(TimeEntry.id == entry_id).first()
            try:
                if kind == "delete":
                    await delete_entry(self.actor, row, TZ, Silent())
                    del self.entries[entry_id]
                    return
                start = row["started_at"] + timedelta(minutes=write[2])
                data = EntryInput(start, start + timedelta(minutes=write[3]), "", write[4])
                await update_entry(self.actor, row, data, NOW, TZ, Silent())
            except EntryRefused:  # overlapping, or locked by a finalised summary
                return
            self.entries[entry_id].update(started_at=start, minutes=write[3], billable=write[4])
        elif kind == "rate":
            index = write[1] % len(self.world.clients)
            await Client.update({Client.hourly_rate: write[2]}).where(Client.id == self.ids["clients"][index])
            self.world.clients[index]["rate"] = write[2]
        elif kind == "finalise":
            await self.finalise()
        elif kind == "unlock" and self.finalised:
            await unlock(self.finalised.pop(), self.actor, "a correction")

    async def finalise(self) -> None:
        client = None if self.world.only_client is None else self.ids["clients"][self.world.only_client]
        summary_id = await add_summary(client, *self.world.period)
        await compute_summary(summary_id, timezone=TZ)
        try:
            await finalise(summary_id, self.actor)
        except BillingError:  # some entries already billed by an earlier summary
            return
        self.finalised.append(summary_id)
        scope = Scope(summary_id=summary_id)
        rolled = await result_for(scope, *self.world.period, TZ)
        priced = await result_for(scope, *self.world.period, TZ, from_rollup=False)
        assert rolled == priced

    def world_now(self) -> World:
        return replace(self.world, entries=list(self.entries.values()))


async def rollup_rows() -> list[tuple[Any, ...]]:
    rows = await EntryRollup.select(*(c for c in EntryRollup._meta.columns if c._meta.name != "id"))
    return sorted(tuple(str(v) for v in r.values()) for r in rows)


async def check_writes(world: World, sequence: list[tuple[Any, ...]]) -> None:
    await empty_database()
    planned = world.entries
    world = replace(world, entries=[], clients=[dict(c) for c in world.clients])
    async with write_transaction(Client._meta.db):
        ids = await store(world)
    actor = Actor(id=ids["people"][0], email="p0@ref.test", name="p0", role=Role.ADMIN)
    ledger = Ledger(world, ids, actor)
    for entry in planned:
        await ledger.add(entry)
    for write in sequence:
        await ledger.apply(write)
    assert await rollup_zone() == TZ

    client_id = None if world.only_client is None else ids["clients"][world.only_client]
    expected = reference(ledger.world_now(), ids)
    priced = await summarise(client_id, *world.period, timezone=TZ, from_rollup=False)
    # a rate changed since: stale rows never answer, the entries do
    assert await summarise(client_id, *world.period, timezone=TZ) == priced
    async with write_transaction(Client._meta.db):
        await refresh_stale()
    assert await stale_pairs() == []  # so the next summary reads the rollup
    rolled = await summarise(client_id, *world.period, timezone=TZ)
    for part in PARTS:
        assert rolled[part] == priced[part] == expected[part], part

    kept = await rollup_rows()
    async with write_transaction(Client._meta.db):
        await rebuild(TZ)
    assert await rollup_rows() == kept


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(world=worlds(), sequence=writes)
async def test_the_rollup_agrees_with_the_entries_after_any_writes(world: World, sequence: list[Any]) -> None:
    await open_pool(Client._meta.db, 2)
    try:
        with agency_zone(TZ):
            await check_writes(world, sequence)
    finally:
        await close_pool(Client._meta.db)


async def test_halves_with_a_rate_change_a_finalised_summary_an_edit_and_an_unlock() -> None:
    world = replace(HALVES, clients=[dict(c) for c in HALVES.clients])
    sequence = [("rate", 0, Decimal("99.99")), ("finalise",), ("edit", 1, 30, 20, True), ("unlock",), ("delete", 2)]
    with agency_zone(TZ):
        await check_writes(world, sequence)


def test_a_period_splits_into_whole_months_and_the_days_around_them() -> None:
    assert whole_months(date(2026, 1, 1), date(2026, 12, 31)) == ((date(2026, 1, 1), date(2026, 12, 1)), [])
    assert whole_months(date(2026, 1, 15), date(2026, 3, 10)) == (
        (date(2026, 2, 1), date(2026, 2, 1)),
        [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 3, 1), date(2026, 3, 10))],
    )
    assert whole_months(date(2026, 10, 25), date(2026, 11, 1)) == (None, [(date(2026, 10, 25), date(2026, 11, 1))])
    assert whole_months(date(2028, 2, 1), date(2028, 2, 29)) == ((date(2028, 2, 1), date(2028, 2, 1)), [])
