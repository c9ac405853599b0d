"""The billing aggregation in SQL, the same on PostgreSQL and SQLite: the priced entries that every
summary, export and the not-yet-billed list read.

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

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from piccolo.engine import engine_finder

from server.kernel.db import is_sqlite
from server.rules.days import offset_spans
from server.rules.money import amount_fraction, digits
from server.tables import Client, TimeEntry


@dataclass
class Sql:
    """SQL text with Piccolo's `{}` placeholders and their values, in order."""

    parts: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)

    def add(self, text: str, *args: Any) -> Sql:
        if text.count("{}") != len(args):
            raise ValueError("placeholders and values differ in number")
        self.parts.append(text)
        self.args.extend(args)
        return self

    def text(self) -> str:
        return "\n".join(self.parts)


@dataclass(frozen=True)
class Scope:
    """Which stopped entries a query covers: a period (and optionally one client), or those billed
    by one summary, or all not yet billed."""

    start: datetime | None = None  # UTC, inclusive
    end: datetime | None = None  # UTC, exclusive
    client_id: int | None = None
    summary_id: int | None = None
    unbilled_only: bool = False


def _sqlite() -> bool:
    engine = engine_finder()
    return engine is not None and is_sqlite(engine)


def _day(sql: Sql, timezone: str, start: datetime, end: datetime) -> None:
    if not _sqlite():
        sql.add("CAST((e.started_at AT TIME ZONE {}) AS date) AS day,", timezone)
        return
    spans = offset_spans(start, end, timezone)
    if len(spans) == 1:
        sql.add("date(e.started_at, {}) AS day,", f"{spans[0].seconds:+d} seconds")
        return
    sql.add("date(e.started_at, CASE")
    for span in spans[:-1]:
        sql.add("WHEN e.started_at < {} THEN {}", span.until, f"{span.seconds:+d} seconds")
    sql.add("ELSE {} END) AS day,", f"{spans[-1].seconds:+d} seconds")


def _per_currency(sql: Sql, currencies: list[str], index: int, name: str) -> None:
    """The amount fraction's numerator (index 0) or denominator (1) for the client's currency."""
    if not currencies:
        sql.add(f"CAST({{}} AS BIGINT) AS {name}", amount_fraction(2)[index])
        return
    sql.add("CASE currency")
    for currency in currencies:
        sql.add("WHEN {} THEN CAST({} AS BIGINT)", currency, amount_fraction(digits(currency))[index])
    sql.add(f"ELSE CAST({{}} AS BIGINT) END AS {name}", amount_fraction(2)[index])


def _cents(column: str) -> str:
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


# Where a rate came from, as the small integer the SQL groups by.
SOURCES = {1: "membership", 2: "project", 3: "client", 4: "user", 5: "none"}
MODES = "CASE rounding_mode WHEN 'down' THEN 0 WHEN 'nearest' THEN 1 ELSE 2 END"

ROUNDING = """CASE WHEN NOT e.billable THEN 0
     WHEN c.inc <= 1 THEN e.minutes
     WHEN c.mode = 0 THEN (e.minutes / c.inc) * c.inc
     WHEN c.mode = 1 THEN ((2 * e.minutes + c.inc) / (2 * c.inc)) * c.inc
     ELSE ((e.minutes + c.inc - 1) / c.inc) * c.inc END"""
ROUNDED = f"{ROUNDING} AS rounded,"
# An entry's amount in whole minor units, rounded half up: (2 x + d) / 2d with x / d the exact amount.
AMOUNT = f"(2 * ({ROUNDING}) * COALESCE(m.rc, p.rc, c.rc, u.rc, 0) * c.num + c.den) / (2 * c.den) AS amount,"

RATE = """COALESCE(m.rc, p.rc, c.rc, u.rc) AS rate_cents,
  CASE WHEN m.rc IS NOT NULL THEN 1 WHEN p.rc IS NOT NULL THEN 2 WHEN c.rc IS NOT NULL THEN 3
       WHEN u.rc IS NOT NULL THEN 4 ELSE 5 END AS source,"""


async def currencies() -> list[str]:
    """The currencies the clients bill in: the amount's fraction differs by their digits."""
    rows = await Client.select(Client.currency).distinct()
    return sorted({r["currency"] for r in rows})


def priced_entries(
    sql: Sql,
    scope: Scope,
    timezone: str,
    currencies: list[str],
    span: tuple[datetime, datetime],
    *,
    materialized: bool = True,
) -> None:
    """`WITH ..., priced AS (...)`: one row per stopped entry in scope, priced. Rates in cents,
    rounding rules and currency fractions are worked out once per client, project, person and
    membership (small CTEs), so each of a million entries costs only integer arithmetic."""
    sqlite = _sqlite()

    def rates_of(name: str) -> Sql:
        small = Sql()
        if name == "c":
            small.add(f"SELECT id, {_cents('hourly_rate')} AS rc, rounding_increment AS inc, {MODES} AS mode,")
            _per_currency(small, currencies, 0, "num")
            small.add(",")
            _per_currency(small, currencies, 1, "den")
            return small.add("FROM client")
        table, keys = {"p": ("project", "id, client"), "u": ("users", "id"), "m": ("membership", "project, member")}[
            name
        ]
        return small.add(f"SELECT {keys}, {_cents('hourly_rate')} AS rc FROM {table}")

    def join(sql: Sql, name: str) -> None:
        """SQLite reads the small CTE; PostgreSQL a subquery kept apart by OFFSET 0 (a CTE scan
        would stop the big scan from running in parallel workers)."""
        if sqlite:
            sql.add(f"{name}r {name}")
            return
        small = rates_of(name)
        sql.add(f"({small.text()} OFFSET 0) {name}", *small.args)

    sql.add("WITH")
    if sqlite:
        for name in ("c", "p", "u", "m"):
            small = rates_of(name)
            sql.add(f"{name}r AS MATERIALIZED ({small.text()}),", *small.args)
    how = "MATERIALIZED" if materialized else "NOT MATERIALIZED"
    sql.add(f"priced AS {how} (SELECT c.id AS client_id, e.project AS project_id,")
    sql.add("e.person AS person_id, e.task AS task_id,")
    _day(sql, timezone, *span)
    sql.add("e.minutes AS minutes, CASE WHEN e.billable THEN e.minutes ELSE 0 END AS billable,")
    sql.add("CASE WHEN e.billable THEN 1 ELSE 0 END AS is_billable,")
    sql.add(ROUNDED)
    sql.add(RATE)
    sql.add(AMOUNT)
    sql.add("e.id AS entry_id")
    sql.add("FROM time_entry e JOIN")
    join(sql, "p")
    sql.add("ON p.id = e.project JOIN")
    join(sql, "c")
    sql.add("ON c.id = p.client JOIN")
    join(sql, "u")
    sql.add("ON u.id = e.person LEFT JOIN")
    join(sql, "m")
    sql.add("ON m.project = e.project AND m.member = e.person")
    sql.add("WHERE e.ended_at IS NOT NULL")
    if scope.summary_id is not None:
        sql.add("AND e.summary = {}", scope.summary_id)
    if scope.unbilled_only:
        sql.add("AND e.summary IS NULL")
    if scope.start is not None:
        sql.add("AND e.started_at >= {}", scope.start)
    if scope.end is not None:
        sql.add("AND e.started_at < {}", scope.end)
    if scope.client_id is not None:
        sql.add("AND p.client = {}", scope.client_id)
    sql.add(")")


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


async def grouped(scope: Scope, timezone: str, span: tuple[datetime, datetime]) -> list[dict[str, Any]]:
    """The three groupings of the priced entries in scope (`span`: the UTC range their days lie in)."""
    sql = Sql()
    priced_entries(sql, scope, timezone, await currencies(), span)
    sql.add(GROUPS)
    if _sqlite():
        return [_clean(r) for r in await TimeEntry.raw(sql.text(), *sql.args)]
    async with TimeEntry._meta.db.transaction():
        for setting in PG_SETTINGS:
            await TimeEntry.raw(setting)
        return [_clean(r) for r in await TimeEntry.raw(sql.text(), *sql.args)]


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
