"""The billing aggregation in SQL, the same on PostgreSQL and SQLite: the priced entries that every
summary, export and the not-yet-billed list read.

A summary reads the entry rollup (time.rollup_writes keeps it, priced, in the same transaction as
every entry write) when its days are counted in the rollup's time zone and no rollup row in scope
was priced with another rate or rule than today's; otherwise it prices every entry, as below. Both
give the same result to the cent (tests/billing/test_rollup.py).

One statement prices every entry in scope (a CTE: the rate by COALESCE over membership, project,
client and person, where it came from, the client's rounding and the amount in whole minor units,
all in integer arithmetic) and groups it three ways with UNION ALL: by project and person (with the
rate), by task, and by day and project. Everything else (clients, projects, people, totals) is a
sum of those groups, done in Python over a few hundred rows.

Days are agency days: PostgreSQL converts with AT TIME ZONE; SQLite has no time zones, so the UTC
offsets in force over the period (days.offset_spans) become a CASE of `date(started_at, '+3600
seconds')` modifiers. SQLite keeps a Timestamptz as UTC text ('2026-11-02 09:30:00+00:00'), which
sorts like the instant it names, so comparing with a datetime parameter (stored the same way) holds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from server.tables import TimeEntry
from server.time.rollup_store import (
    AMOUNT,
    MODES,
    RATE,
    ROUNDED,
    ROUNDING,
    RULE,
    SOURCES,
    Scope,
    Sql,
    currencies,
    priced_entries,
    rate_joins,
    rate_tables,
    rollup_zone,
    sqlite_engine,
)

__all__ = [
    "AMOUNT",
    "MODES",
    "RATE",
    "ROUNDED",
    "ROUNDING",
    "SOURCES",
    "Scope",
    "Sql",
    "currencies",
    "grouped",
    "priced_entries",
    "unbilled_groups",
    "utc_instant",
]


def _sqlite() -> bool:
    return sqlite_engine()


# Cast back to BIGINT: PostgreSQL's SUM of a bigint is numeric, which the driver hands over as a
# Decimal, and converting ~57,000 rows of those in Python cost half a second.
SUMS = """COUNT(*) AS entries, CAST(SUM(minutes) AS BIGINT) AS total, CAST(SUM(billable) AS BIGINT) AS billable,
  CAST(SUM(rounded) AS BIGINT) AS rounded, CAST(SUM(amount) AS BIGINT) AS amount"""

# The rate and its source follow from (project, person) within one statement: grouping by those two
# columns alone lets PostgreSQL estimate the groups (and hash them) instead of sorting a million rows.
GROUPS = f"""SELECT 'rate' AS kind, project_id, person_id, CAST(NULL AS BIGINT) AS task_id, CAST(NULL AS DATE) AS day,
  MIN(rate_cents) AS rate_cents, MIN(source) AS source, {SUMS}
FROM priced GROUP BY project_id, person_id
UNION ALL
SELECT 'task' AS kind, project_id, CAST(NULL AS BIGINT) AS person_id, task_id, CAST(NULL AS DATE) AS day,
  CAST(NULL AS BIGINT) AS rate_cents, CAST(NULL AS INTEGER) AS source, {SUMS}
FROM priced GROUP BY project_id, task_id
UNION ALL
SELECT 'day' AS kind, project_id, CAST(NULL AS BIGINT) AS person_id,
  CAST(NULL AS BIGINT) AS task_id, day, CAST(NULL AS BIGINT) AS rate_cents, CAST(NULL AS INTEGER) AS source, {SUMS}
FROM priced GROUP BY day, project_id"""

UNBILLED = f"""SELECT client_id, project_id, MIN(day) AS first_day, MAX(day) AS last_day, {SUMS}
FROM priced GROUP BY client_id, project_id"""


DAYS = ("day", "first_day", "last_day")


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """Same types from both engines: ints for sums (cast in SQL), ISO text for days. Changes the
    row in place (the driver's rows are ours): tens of thousands of them come through here."""
    if (source := row.get("source")) is not None:
        row["source"] = SOURCES[int(source)]
    for key in DAYS:
        if isinstance(value := row.get(key), date):
            row[key] = value.isoformat()
    return row


# A summary is one big aggregation: JIT compiling it costs more than it saves (~1 s of 4 on a
# million entries), and hash aggregates of ~50,000 day rows spill to disk under the default 4 MB.
PG_SETTINGS = ("SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'")


# The rollup's rows in scope, then the same three groupings: project and person, and project and task,
# from the month rows of the period's whole months plus the day rows of its other days; by day from
# the project-day rows. A (project, person) group also says whether its rows were priced with
# today's rate and rule (stale = 1: no), by the same joins as pricing an entry.
SUMS_OF_PARTS = """CAST(SUM(entries) AS BIGINT) AS entries, CAST(SUM(total) AS BIGINT) AS total,
  CAST(SUM(billable) AS BIGINT) AS billable, CAST(SUM(rounded) AS BIGINT) AS rounded,
  CAST(SUM(amount) AS BIGINT) AS amount"""
PERSON_MONTHS = """SELECT project, person, entries, minutes AS total, billable_minutes AS billable, rounded,
  amount, rate_low AS low, rate_high AS high, rule_low AS low_rule, rule_high AS high_rule
  FROM entry_rollup_person_month"""
PERSON_DAYS = """SELECT project, person, entries, minutes AS total,
  CASE WHEN billable THEN minutes ELSE 0 END AS billable, rounded, amount, COALESCE(rate_cents, -1) AS low,
  COALESCE(rate_cents, -1) AS high, rule AS low_rule, rule AS high_rule FROM entry_rollup"""
TASK_MONTHS = """SELECT project, task, entries, minutes AS total, billable_minutes AS billable, rounded, amount
  FROM entry_rollup_task_month"""
TASK_DAYS = """SELECT project, task, entries, minutes AS total, CASE WHEN billable THEN minutes ELSE 0 END AS billable,
  rounded, amount FROM entry_rollup"""
RATE_GROUPS = f"""SELECT project AS project_id, person AS person_id, MIN(low) AS low, MAX(high) AS high,
  MIN(low_rule) AS low_rule, MAX(high_rule) AS high_rule, {SUMS_OF_PARTS} FROM person_parts GROUP BY project, person"""
TASK_GROUPS = f"""SELECT 'task' AS kind, project AS project_id, CAST(NULL AS BIGINT) AS person_id, task AS task_id,
  CAST(NULL AS DATE) AS day, CAST(NULL AS BIGINT) AS rate_cents, CAST(NULL AS INTEGER) AS source, {SUMS_OF_PARTS},
  0 AS stale FROM task_parts GROUP BY project, task"""
DAY_GROUPS = """SELECT 'day' AS kind, project AS project_id, CAST(NULL AS BIGINT) AS person_id,
  CAST(NULL AS BIGINT) AS task_id, day, CAST(NULL AS BIGINT) AS rate_cents, CAST(NULL AS INTEGER) AS source,
  CAST(SUM(entries) AS BIGINT) AS entries, CAST(SUM(minutes) AS BIGINT) AS total,
  CAST(SUM(billable_minutes) AS BIGINT) AS billable, CAST(SUM(rounded) AS BIGINT) AS rounded,
  CAST(SUM(amount) AS BIGINT) AS amount, 0 AS stale FROM entry_rollup_project_day"""


def whole_months(start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """[start, end] as its whole months (first days of the first and last) and the days around them."""
    first = start if start.day == 1 else last_of_month(start) + timedelta(days=1)
    last = end if end == last_of_month(end) else end.replace(day=1) - timedelta(days=1)
    if first > last:
        return None, [(start, end)]
    edges = [(start, first - timedelta(days=1))] if start < first else []
    edges += [(last + timedelta(days=1), end)] if last < end else []
    return (first, last.replace(day=1)), edges


def last_of_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _rollup_scope(sql: Sql, scope: Scope) -> None:
    if scope.summary_id is not None:
        sql.add("AND summary = {}", scope.summary_id)
    if scope.unbilled_only:
        sql.add("AND summary = 0")
    if scope.client_id is not None:
        sql.add("AND project IN (SELECT id FROM project WHERE client = {})", scope.client_id)


def rolled_up(sql: Sql, scope: Scope, days: tuple[date, date]) -> None:
    """`person_parts AS (...), task_parts AS (...)`: month rows and day rows that together cover the
    scope once, for the person and the task lines."""
    months, edges = whole_months(*days) if scope.start is not None else (None, [])
    for name, of_months, of_days in (
        ("person_parts", PERSON_MONTHS, PERSON_DAYS),
        ("task_parts", TASK_MONTHS, TASK_DAYS),
    ):
        sql.add(f"{name} AS NOT MATERIALIZED ({of_months} WHERE")
        if scope.start is None:
            sql.add("1 = 1")
        elif months is None:
            sql.add("1 = 0")
        else:
            sql.add("month >= {} AND month <= {}", *months)
        _rollup_scope(sql, scope)
        sql.add(f"UNION ALL {of_days} WHERE (1 = 0")
        for first, last in edges:
            sql.add("OR (day >= {} AND day <= {})", first, last)
        sql.add(")")
        _rollup_scope(sql, scope)
        sql.add(")," if name == "person_parts" else ")")


async def _from_rollup(scope: Scope, days: tuple[date, date]) -> list[dict[str, Any]] | None:
    """The three groupings from the rollup, or None when a row in scope is stale."""
    names = await currencies()
    sql = Sql()
    rate_tables(sql, names)
    rolled_up(sql, scope, days)
    sql.add("SELECT 'rate' AS kind, g.project_id, g.person_id, CAST(NULL AS BIGINT) AS task_id,")
    sql.add("CAST(NULL AS DATE) AS day, CASE WHEN g.low < 0 THEN NULL ELSE g.low END AS rate_cents,")
    sql.add("CAST(g.low_rule / 1000000000000 AS INTEGER) AS source, g.entries, g.total, g.billable, g.rounded,")
    sql.add("g.amount, CASE WHEN g.low <> g.high OR g.low_rule <> g.high_rule")
    sql.add(f"OR g.low <> COALESCE(m.rc, p.rc, c.rc, u.rc, -1) OR g.low_rule <> {RULE} THEN 1 ELSE 0 END AS stale")
    sql.add(f"FROM ({RATE_GROUPS}) g")
    rate_joins(sql, names, "g.project_id", "g.person_id")
    sql.add(f"UNION ALL {TASK_GROUPS} UNION ALL {DAY_GROUPS} WHERE 1 = 1")
    if scope.start is not None:
        sql.add("AND day >= {} AND day <= {}", *days)
    _rollup_scope(sql, scope)
    sql.add("GROUP BY day, project")
    rows = await _run(sql)
    if any(r["stale"] for r in rows):
        return None
    return rows


async def _run(sql: Sql) -> list[dict[str, Any]]:
    if _sqlite():
        return [_clean(r) for r in await TimeEntry.raw(sql.text(), *sql.args)]
    async with TimeEntry._meta.db.transaction():
        for setting in PG_SETTINGS:
            await TimeEntry.raw(setting)
        return [_clean(r) for r in await TimeEntry.raw(sql.text(), *sql.args)]


async def grouped(
    scope: Scope, timezone: str, span: tuple[datetime, datetime], *, days: tuple[date, date] | None = None
) -> list[dict[str, Any]]:
    """The three groupings of the priced entries in scope (`span`: the UTC range their days lie in;
    `days`: the same as agency days, which lets the rollup answer when its zone is `timezone`)."""
    if days is not None and await rollup_zone() == timezone:
        rows = await _from_rollup(scope, days)
        if rows is not None:
            return rows
    sql = Sql()
    priced_entries(sql, scope, timezone, await currencies(), span)
    sql.add(GROUPS)
    return await _run(sql)


async def unbilled_groups(timezone: str) -> list[dict[str, Any]]:
    """Per client and project, the stopped entries in no finalised summary."""
    bounds = await TimeEntry.raw(
        "SELECT MIN(started_at) AS first, MAX(started_at) AS last FROM time_entry "
        "WHERE ended_at IS NOT NULL AND summary IS NULL"
    )
    first, last = bounds[0]["first"], bounds[0]["last"]
    if first is None:
        return []
    span = (utc_instant(first), utc_instant(last))
    sql = Sql()
    priced_entries(sql, Scope(unbilled_only=True), timezone, await currencies(), span)
    sql.add(UNBILLED)
    return [_clean(r) for r in await TimeEntry.raw(sql.text(), *sql.args)]


def utc_instant(value: Any) -> datetime:
    """MIN/MAX of a Timestamptz: a datetime on PostgreSQL, the stored UTC text on SQLite."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
