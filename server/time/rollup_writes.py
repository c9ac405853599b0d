"""Writes of the entry rollup (tables.EntryRollup): logged minutes per (agency day, project, person,
task, billable, billing summary), priced, so summaries read a few rows per person and day instead of
every entry.

Every write of entries calls one of these inside its own transaction. None does delta arithmetic:
each deletes the rollup rows the write may have changed (a person's rows on a project on the touched
days, a client's rows over a period, a stale pair's rows) and sums them again from their entries, so
a row is always exactly the sum of its entries as priced now, whatever the write did. The callers
already serialise writes on the same rows (an entry write holds its board's and its person's row
locks; finalise takes the board locks first), so two refreshes of one row never race."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from server.kernel.config import agency_timezone
from server.kernel.db import lock_row
from server.rules.days import local_day, period_bounds
from server.tables import EntryRollup, EntryRollupZone, TimeEntry, User
from server.time.rollup_store import (
    RULE,
    Pair,
    Scope,
    Sql,
    currencies,
    priced_entries,
    rate_joins,
    rate_tables,
    sqlite_engine,
)

COLUMNS = "day, project, person, task, billable, summary, entries, minutes, rounded, amount, rate_cents, rule"
# Cast back to BIGINT: PostgreSQL's SUM of a bigint is numeric.
INSERT = f"""INSERT INTO entry_rollup ({COLUMNS})
SELECT day, project_id, person_id, task_id, is_billable = 1, summary_id, COUNT(*),
  CAST(SUM(minutes) AS BIGINT), CAST(SUM(rounded) AS BIGINT), CAST(SUM(amount) AS BIGINT), MIN(rate_cents), MIN(rule)
FROM priced GROUP BY day, project_id, person_id, task_id, is_billable, summary_id"""


# Named as the derived tables' columns: an INSERT takes them by position, an upsert by name.
MONTH_SUMS = """CAST(SUM(entries) AS INTEGER) AS entries, CAST(SUM(minutes) AS BIGINT) AS minutes,
  CAST(SUM(CASE WHEN billable THEN minutes ELSE 0 END) AS BIGINT) AS billable_minutes,
  CAST(SUM(rounded) AS BIGINT) AS rounded, CAST(SUM(amount) AS BIGINT) AS amount"""
DAY_COLUMNS = "day, project, summary, entries, minutes, billable_minutes, rounded, amount"
TASK_COLUMNS = "month, project, task, summary, entries, minutes, billable_minutes, rounded, amount"
PERSON_COLUMNS = (
    "month, project, person, summary, entries, minutes, billable_minutes, rounded, amount,"
    " rate_low, rate_high, rule_low, rule_high"
)


def _literal(value: Any) -> str:
    """A value of ours (never user text: ids, days, instants, zone and currency names) as SQL."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return f"CAST('{value.isoformat()}' AS TIMESTAMPTZ)"
    if isinstance(value, date):
        return f"CAST('{value.isoformat()}' AS DATE)"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


class Batch:
    """The statements of one rollup rewrite. PostgreSQL gets them as one script in one round trip
    (an entry write pays for every round trip); SQLite, in process, one by one."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, tuple[Any, ...]]] = []

    def add(self, text: str, *args: Any) -> None:
        if text.count("{}") != len(args):
            raise ValueError("placeholders and values differ in number")
        self.statements.append((text, args))

    async def run(self) -> None:
        engine = EntryRollup._meta.db
        transaction = None if sqlite_engine() else engine.current_transaction.get()
        if transaction is None:
            for text, args in self.statements:
                await EntryRollup.raw(text, *args)
            return
        script = []
        for text, args in self.statements:
            pieces = text.split("{}")
            script.append(pieces[0] + "".join(_literal(a) + piece for a, piece in zip(args, pieces[1:], strict=True)))
        await transaction.connection.execute(";\n".join(script))


def month_of(column: str) -> str:
    """SQL for the first day of the month of a date column."""
    return f"date({column}, 'start of month')" if sqlite_engine() else f"CAST(date_trunc('month', {column}) AS date)"


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def last_of_month(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


@dataclass(frozen=True)
class Rows:
    """Which entry_rollup rows changed: one project (and person) or one client's projects (or all),
    on the days [first, last] (None: all days)."""

    project: int | None = None
    person: int | None = None
    client: int | None = None
    first: date | None = None
    last: date | None = None

    def where(self, day: str, *, months: bool = False) -> Sql:
        sql = Sql().add("1 = 1")
        if self.project is not None:
            sql.add("AND project = {}", self.project)
        if self.person is not None:
            sql.add("AND person = {}", self.person)
        if self.client is not None:
            sql.add("AND project IN (SELECT id FROM project WHERE client = {})", self.client)
        if self.first is not None and self.last is not None:
            if months:
                sql.add(f"AND {day} >= {{}} AND {day} <= {{}}", first_of_month(self.first), last_of_month(self.last))
            else:
                sql.add(f"AND {day} >= {{}} AND {day} <= {{}}", self.first, self.last)
        return sql


def _derive(rows: Rows, batch: Batch) -> None:
    """Sum again the month and project-day rows built on the entry_rollup rows that changed."""
    month = month_of("day")
    people = rows.where("month", months=True)
    batch.add("DELETE FROM entry_rollup_person_month WHERE " + people.text(), *people.args)
    source = rows.where("day", months=True)
    batch.add(
        f"INSERT INTO entry_rollup_person_month ({PERSON_COLUMNS}) SELECT {month}, project, person, summary,"
        f" {MONTH_SUMS}, MIN(COALESCE(rate_cents, -1)), MAX(COALESCE(rate_cents, -1)), MIN(rule), MAX(rule)"
        f" FROM entry_rollup WHERE {source.text()} GROUP BY {month}, project, person, summary",
        *source.args,
    )
    # a project's task and day lines add up all its people's rows
    project = replace(rows, person=None)
    tasks = project.where("month", months=True)
    batch.add("DELETE FROM entry_rollup_task_month WHERE " + tasks.text(), *tasks.args)
    source = project.where("day", months=True)
    batch.add(
        f"INSERT INTO entry_rollup_task_month ({TASK_COLUMNS}) SELECT {month}, project, task, summary, {MONTH_SUMS}"
        f" FROM entry_rollup WHERE {source.text()} GROUP BY {month}, project, task, summary",
        *source.args,
    )
    days = project.where("day")
    batch.add("DELETE FROM entry_rollup_project_day WHERE " + days.text(), *days.args)
    batch.add(
        f"INSERT INTO entry_rollup_project_day ({DAY_COLUMNS}) SELECT day, project, summary, {MONTH_SUMS}"
        f" FROM entry_rollup WHERE {days.text()} GROUP BY day, project, summary",
        *days.args,
    )


async def zone() -> str:
    """The rollup's time zone; the first write on an empty database records the agency's."""
    rows = await EntryRollupZone.select(EntryRollupZone.zone).limit(1)
    if rows:
        return str(rows[0]["zone"])
    await EntryRollupZone.raw(
        "INSERT INTO entry_rollup_zone (id, zone) VALUES (1, {}) ON CONFLICT DO NOTHING", agency_timezone()
    )
    return agency_timezone()


def _runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Days as runs of consecutive days: [(first, last), ...]."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


async def _resum(
    rollup_where: Sql,
    entry_where: Sql,
    span: tuple[datetime, datetime],
    timezone: str,
    *,
    batch: Batch,
    names: list[str] | None = None,
    pair: Pair | None = None,
) -> None:
    """Delete the rollup rows `rollup_where` picks and sum again the entries `entry_where` picks
    (the same rows' entries: the caller makes sure of it) within the UTC `span`."""
    batch.add("DELETE FROM entry_rollup WHERE " + rollup_where.text(), *rollup_where.args)
    sql = Sql()
    scope = Scope(start=span[0], end=span[1])
    names = await currencies() if names is None else names
    priced_entries(sql, scope, timezone, names, span, where=entry_where, stamped=True, pair=pair)
    sql.add(INSERT)
    batch.add(sql.text(), *sql.args)


async def _zone_and_currency(project_id: int) -> tuple[str, list[str]]:
    """The rollup's zone and the project's client's currency, in one round trip (an entry write
    pays for this)."""
    rows = await EntryRollupZone.raw(
        "SELECT (SELECT zone FROM entry_rollup_zone LIMIT 1) AS zone, c.currency AS currency"
        " FROM project p JOIN client c ON c.id = p.client WHERE p.id = {}",
        project_id,
    )
    if not rows:
        return await zone(), await currencies()
    found = rows[0]["zone"]
    return (str(found) if found else await zone()), [str(rows[0]["currency"])]


def _upsert(table: str, columns: str, keys: str, new: str, kept: Sql, *, returning: str = "") -> Sql:
    """`<table>_gone AS (DELETE ...), <table>_up AS (INSERT ... ON CONFLICT DO UPDATE)`: the rows of
    `table` that `kept` picks become exactly the rows of the CTE `new` (same columns): rows `new`
    lacks are deleted, the others inserted or overwritten. The two touch different rows, so they can
    share one statement (PostgreSQL)."""
    names = [c.strip() for c in columns.split(",")]
    key_names = [k.strip() for k in keys.split(",")]
    matches = " AND ".join(f"n.{k} = t.{k}" for k in key_names)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in names if c not in key_names)
    back = f" RETURNING {returning}" if returning else ""
    sql = Sql().add(f"{table}_gone AS (DELETE FROM {table} t WHERE").add(kept.text(), *kept.args)
    sql.add(f"AND NOT EXISTS (SELECT 1 FROM {new} n WHERE {matches}){back}),")
    sql.add(f"{table}_up AS (INSERT INTO {table} ({columns}) SELECT {columns} FROM {new}")
    return sql.add(f"ON CONFLICT ({keys}) DO UPDATE SET {updates}{back})")


def _within(project: Any, person: Any, column: str, first: Any, last: Any, tasks: Any = None) -> Sql:
    sql = Sql().add("t.project = {}", project)
    if person is not None:
        sql.add("AND t.person = {}", person)
    if tasks is not None:
        sql.add("AND t.task = ANY({})", tasks)
    return sql.add(f"AND t.{column} >= {{}} AND t.{column} <= {{}}", first, last)


def _days_statement(
    project_id: Any, person_id: Any, first: Any, last: Any, span: Any, timezone: Any, names: list[str]
) -> Sql:
    """PostgreSQL, one statement: a person's entry_rollup rows on a project over the days [first,
    last] (`span` in UTC) become their entries' sums as priced now (the rows `_resum` writes, as an
    upsert), and it answers the tasks of the rows it wrote or deleted: the task months that may have
    changed. Built once per currency with `Slot`s for values (see `_template`)."""
    sql = Sql()
    where = Sql().add("e.project = {} AND e.person = {}", project_id, person_id)
    priced_entries(sql, Scope(start=span[0], end=span[1]), timezone, names, span, where=where, stamped=True,
                   pair=(project_id, person_id))  # fmt: skip
    sql.add(
        ", fresh AS (SELECT day, project_id AS project, person_id AS person, task_id AS task,"
        " is_billable = 1 AS billable, summary_id AS summary, COUNT(*) AS entries,"
        " CAST(SUM(minutes) AS BIGINT) AS minutes, CAST(SUM(rounded) AS BIGINT) AS rounded,"
        " CAST(SUM(amount) AS BIGINT) AS amount, MIN(rate_cents) AS rate_cents, MIN(rule) AS rule"
        " FROM priced GROUP BY day, project_id, person_id, task_id, is_billable, summary_id),"
    )
    kept = _within(project_id, person_id, "day", first, last)
    upsert = _upsert("entry_rollup", COLUMNS, "project, person, day, task, billable, summary", "fresh", kept,
                     returning="task")  # fmt: skip
    sql.add(upsert.text(), *upsert.args)
    return sql.add("SELECT task FROM entry_rollup_gone UNION SELECT task FROM entry_rollup_up")


def _derived_statement(
    project_id: Any, person_id: Any, first: Any, last: Any, months: tuple[Any, Any], tasks: Any, *, restore: Any
) -> Sql:
    """PostgreSQL, one statement: the month and project-day rows built on a person's entry_rollup rows
    of a project over the days [first, last] (in the `months` from the first's first day to the last's
    last) summed again, as upserts; of the task months, those of `tasks`."""
    month = month_of("day")
    people = _within(project_id, person_id, "day", *months)
    sql = Sql().add(
        f"WITH people AS (SELECT {month} AS month, project, person, summary, {MONTH_SUMS},"
        " MIN(COALESCE(rate_cents, -1)) AS rate_low, MAX(COALESCE(rate_cents, -1)) AS rate_high,"
        f" MIN(rule) AS rule_low, MAX(rule) AS rule_high FROM entry_rollup t WHERE {people.text()}"
        f" GROUP BY {month}, project, person, summary),",
        *people.args,
    )
    touched = _within(project_id, None, "day", *months, tasks=tasks)
    sql.add(
        f"tasks AS (SELECT {month} AS month, project, task, summary, {MONTH_SUMS} FROM entry_rollup t"
        f" WHERE {touched.text()} GROUP BY {month}, project, task, summary),",
        *touched.args,
    )
    days = _within(project_id, None, "day", first, last)
    sql.add(
        f"days AS (SELECT day, project, summary, {MONTH_SUMS} FROM entry_rollup t WHERE {days.text()}"
        " GROUP BY day, project, summary),",
        *days.args,
    )
    levels = (
        ("entry_rollup_person_month", PERSON_COLUMNS, "project, person, month, summary", "people",
         _within(project_id, person_id, "month", *months)),
        ("entry_rollup_task_month", TASK_COLUMNS, "project, task, month, summary", "tasks",
         _within(project_id, None, "month", *months, tasks=tasks)),
        ("entry_rollup_project_day", DAY_COLUMNS, "project, day, summary", "days",
         _within(project_id, None, "day", first, last)),
    )  # fmt: skip
    for n, (table, columns, keys, new, kept) in enumerate(levels, start=1):
        upsert = _upsert(table, columns, keys, new, kept)
        sql.add(upsert.text() + ("," if n < len(levels) else ""), *upsert.args)
    if restore is None:
        return sql.add("SELECT 1")
    return sql.add("SELECT set_config('plan_cache_mode', {}, true)", restore)


def _numbered(statement: Sql) -> str:
    """The statement with PostgreSQL's $1, $2, ... for Piccolo's {} (asyncpg prepares it)."""
    pieces = statement.text().split("{}")
    return pieces[0] + "".join(f"${n}{piece}" for n, piece in enumerate(pieces[1:], start=1))


@dataclass(frozen=True)
class Slot:
    """A value a statement template takes when it runs (its text is built once: building it for every
    entry written cost half a millisecond)."""

    name: str


@lru_cache(maxsize=64)
def _template(kind: str, names: tuple[str, ...] = (), restores: bool = False) -> tuple[str, tuple[Any, ...]]:
    """A PostgreSQL statement's text and its arguments, `Slot`s where the values go."""
    slot = Slot
    if kind == "days":
        statement = _days_statement(slot("project"), slot("person"), slot("first"), slot("last"),
                                    (slot("start"), slot("end")), slot("zone"), list(names))  # fmt: skip
    else:
        statement = _derived_statement(slot("project"), slot("person"), slot("first"), slot("last"),
                                       (slot("month_first"), slot("month_last")), slot("tasks"),
                                       restore=slot("restore") if restores else None)  # fmt: skip
    return _numbered(statement), tuple(statement.args)


def _bound(template: tuple[str, tuple[Any, ...]], values: dict[str, Any]) -> list[Any]:
    return [values[a.name] if isinstance(a, Slot) else a for a in template[1]]


async def _refresh_days_postgres(connection: Any, project_id: int, person_id: int, instants: list[datetime]) -> None:
    """refresh_days on PostgreSQL: three round trips (two more per further run of days), each a
    statement prepared once per connection, planned once: their plans are generic (`plan_cache_mode`
    for this transaction's rollup statements only, set back by the last one), because PostgreSQL's
    own choice planned the pricing again for every entry written, 1.7 ms of its 4 (docs/performance.md)."""
    found = await connection.fetchrow(
        "SELECT (SELECT zone FROM entry_rollup_zone LIMIT 1) AS zone, c.currency AS currency,"
        " current_setting('plan_cache_mode') AS mode, set_config('plan_cache_mode', 'force_generic_plan', true)"
        " FROM project p JOIN client c ON c.id = p.client WHERE p.id = $1",
        project_id,
    )
    if found is None:
        timezone, names, mode = await zone(), await currencies(), None
    else:
        timezone, names, mode = found["zone"] or await zone(), [str(found["currency"])], str(found["mode"])
    runs = _runs(local_day(i, timezone) for i in instants)
    days = _template("days", tuple(names))
    for n, (first, last) in enumerate(runs, start=1):
        start, end = period_bounds(first, last, timezone)
        values = dict(project=project_id, person=person_id, first=first, last=last, start=start, end=end, zone=timezone)
        tasks = sorted(int(row["task"]) for row in await connection.fetch(days[0], *_bound(days, values)))
        restore = mode if n == len(runs) else None
        if tasks:  # no row before nor after: nothing above the day rows changed either
            derived = _template("derived", restores=restore is not None)
            values.update(
                month_first=first_of_month(first), month_last=last_of_month(last), tasks=tasks, restore=restore
            )
            await connection.execute(derived[0], *_bound(derived, values))
            mode = None if restore is not None else mode
    if mode is not None:
        await connection.execute("SELECT set_config('plan_cache_mode', $1, true)", mode)


async def refresh_days(project_id: int, person_id: int, instants: Iterable[datetime]) -> None:
    """After a write of one person's entries on one project: their rows on the days these instants
    (the entries' starts, before and after the write) fall on."""
    if not sqlite_engine():
        engine = EntryRollup._meta.db
        transaction = engine.current_transaction.get()
        if transaction is not None:
            await _refresh_days_postgres(transaction.connection, project_id, person_id, list(instants))
            return
        async with engine.transaction() as outer:
            await _refresh_days_postgres(outer.connection, project_id, person_id, list(instants))
        return
    timezone, names = await _zone_and_currency(project_id)
    pair = (project_id, person_id)
    batch = Batch()
    for first, last in _runs(local_day(i, timezone) for i in instants):
        rollup_where = Sql().add(
            "project = {} AND person = {} AND day >= {} AND day <= {}", project_id, person_id, first, last
        )
        entry_where = Sql().add("e.project = {} AND e.person = {}", project_id, person_id)
        span = period_bounds(first, last, timezone)
        await _resum(rollup_where, entry_where, span, timezone, batch=batch, names=names, pair=pair)
        _derive(Rows(project=project_id, person=person_id, first=first, last=last), batch)
    await batch.run()


def _whole_days(start: datetime, end: datetime, timezone: str) -> tuple[date, date]:
    return local_day(start, timezone), local_day(end - timedelta(microseconds=1), timezone)


async def refresh_period(client_id: int | None, start: datetime, end: datetime) -> None:
    """After a write of many entries (finalising or unlocking a summary): the rows of the client's
    projects (all projects: None) on every rollup day that [start, end) (UTC) touches."""
    timezone = await zone()
    first, last = _whole_days(start, end, timezone)
    rollup_where = Sql().add("day >= {} AND day <= {}", first, last)
    entry_where = Sql().add("1 = 1")
    if client_id is not None:
        rollup_where.add("AND project IN (SELECT id FROM project WHERE client = {})", client_id)
        entry_where = Sql().add("p.client = {}", client_id)
    batch = Batch()
    await _resum(rollup_where, entry_where, period_bounds(first, last, timezone), timezone, batch=batch)
    _derive(Rows(client=client_id, first=first, last=last), batch)
    await batch.run()


async def _entry_span(where: Sql | None = None) -> tuple[datetime, datetime] | None:
    sql = Sql().add(
        "SELECT MIN(started_at) AS first, MAX(started_at) AS last FROM time_entry e WHERE e.ended_at IS NOT NULL"
    )
    if where is not None:
        sql.add("AND").add(where.text(), *where.args)
    rows = await TimeEntry.raw(sql.text(), *sql.args)
    if not rows or rows[0]["first"] is None:
        return None
    return _instant(rows[0]["first"]), _instant(rows[0]["last"]) + timedelta(seconds=1)


def _instant(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def stale_pairs() -> list[tuple[int, int]]:
    """The (project, person) pairs whose rollup rows were priced with another rate or rule than
    today's (a rate, a rounding rule or a currency changed since, or the project changed client)."""
    sql = Sql()
    names = await currencies()
    rate_tables(sql, names)
    sql.add(
        "pairs AS (SELECT project, person, MIN(COALESCE(rate_cents, -1)) AS low, MAX(COALESCE(rate_cents, -1)) AS high,"
    )
    sql.add("MIN(rule) AS low_rule, MAX(rule) AS high_rule FROM entry_rollup GROUP BY project, person)")
    sql.add("SELECT r.project, r.person FROM pairs r")
    rate_joins(sql, names, "r.project", "r.person")
    sql.add("WHERE r.low <> r.high OR r.low_rule <> r.high_rule")
    sql.add(f"OR r.low <> COALESCE(m.rc, p.rc, c.rc, u.rc, -1) OR r.low_rule <> {RULE}")
    return [(int(r["project"]), int(r["person"])) for r in await EntryRollup.raw(sql.text(), *sql.args)]


async def refresh_stale() -> int:
    """Price again the rows of every stale pair (rates are read when a summary is computed: this is
    what makes the rollup agree). How many pairs it repriced."""
    timezone = await zone()
    pairs = await stale_pairs()
    for project_id, person_id in pairs:
        await lock_row(User, person_id)  # as an entry write does: one rewrite of a person's rows at a time
        entry_where = Sql().add("e.project = {} AND e.person = {}", project_id, person_id)
        rollup_where = Sql().add("project = {} AND person = {}", project_id, person_id)
        span = await _entry_span(entry_where)
        batch = Batch()
        if span is None:
            batch.add("DELETE FROM entry_rollup WHERE " + rollup_where.text(), *rollup_where.args)
        else:
            await _resum(rollup_where, entry_where, span, timezone, batch=batch, pair=(project_id, person_id))
        _derive(Rows(project=project_id, person=person_id), batch)
        await batch.run()
    return len(pairs)


async def rebuild(timezone: str | None = None) -> None:
    """The whole rollup again from every entry, its days in `timezone` (default: the agency's): after
    a bulk load (the demo, a benchmark) or when BOARDROOM_TZ changed. Run it in a transaction."""
    timezone = timezone or agency_timezone()
    tables = ("entry_rollup", "entry_rollup_person_month", "entry_rollup_task_month", "entry_rollup_project_day")
    for table in (*tables, "entry_rollup_zone"):
        await EntryRollup.raw(f"DELETE FROM {table}")
    await EntryRollupZone.raw("INSERT INTO entry_rollup_zone (id, zone) VALUES (1, {})", timezone)
    span = await _entry_span()
    if span is None:
        return
    sql = Sql()
    priced_entries(sql, Scope(), timezone, await currencies(), span, stamped=True)
    sql.add(INSERT)
    await EntryRollup.raw(sql.text(), *sql.args)
    batch = Batch()
    _derive(Rows(), batch)
    await batch.run()


async def ensure_zone() -> bool:
    """At migrate time: rebuild the rollup when its days were counted in another time zone than the
    agency's, or never built over existing entries. True when it rebuilt."""
    rows = await EntryRollupZone.select(EntryRollupZone.zone).limit(1)
    if rows and rows[0]["zone"] == agency_timezone():
        return False
    if not rows and not await TimeEntry.exists().where(TimeEntry.ended_at.is_not_null()):
        await zone()
        return False
    await rebuild()
    return True
