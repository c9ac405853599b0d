"""The pricing SQL every billing figure starts from, the same on PostgreSQL and SQLite, and the
entry rollup's reads.

`priced_entries` prices each stopped entry in scope in one CTE (the rate by COALESCE over
membership, project, client and person, where it came from, the client's rounding and the amount in
whole minor units, all in integer arithmetic). It lives here, below billing, because the entry
rollup (rollup_writes) prices entries in the same transaction as every entry write, and billing
(priced_store) reads both.

Days are agency days: PostgreSQL converts with AT TIME ZONE; SQLite has no time zones, so the UTC
offsets in force over the period (days.offset_spans) become a CASE of `date(started_at, '+3600
seconds')` modifiers. SQLite keeps a Timestamptz as UTC text ('2026-11-02 09:30:00+00:00'), which
sorts like the instant it names, so comparing with a datetime parameter (stored the same way) holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from piccolo.engine import engine_finder

from server.kernel.config import agency_timezone
from server.kernel.db import is_sqlite
from server.rules.days import offset_spans
from server.rules.money import amount_fraction, digits
from server.tables import Client, EntryRollupZone


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

SOURCE = """CASE WHEN m.rc IS NOT NULL THEN 1 WHEN p.rc IS NOT NULL THEN 2 WHEN c.rc IS NOT NULL THEN 3
       WHEN u.rc IS NOT NULL THEN 4 ELSE 5 END"""
RATE = f"""COALESCE(m.rc, p.rc, c.rc, u.rc) AS rate_cents,
  {SOURCE} AS source,"""
# Everything but the rate that prices an entry, as one number: where the rate came from, the client's
# rounding and the currency's fraction. A rollup row keeps the rate and this rule it was priced with;
# a row whose rate or rule differs from today's is stale (a rate or rounding changed since).
RULE = f"(({SOURCE}) * 1000000000000 + c.inc * 10000000000 + c.mode * 1000000000 + c.num * 100000 + c.den)"


async def currencies() -> list[str]:
    """The currencies the clients bill in: the amount's fraction differs by their digits."""
    rows = await Client.select(Client.currency).distinct()
    return sorted({r["currency"] for r in rows})


# (project id, person id): rates for one person on one project only, as one entry write needs them.
Pair = tuple[int, int]


def _rates_of(name: str, currencies: list[str], pair: Pair | None = None) -> Sql:
    small = Sql()
    if name == "c":
        small.add(f"SELECT id, {_cents('hourly_rate')} AS rc, rounding_increment AS inc, {MODES} AS mode,")
        _per_currency(small, currencies, 0, "num")
        small.add(",")
        _per_currency(small, currencies, 1, "den")
        small.add("FROM client")
        return small if pair is None else small.add("WHERE id = (SELECT client FROM project WHERE id = {})", pair[0])
    table, keys = {"p": ("project", "id, client"), "u": ("users", "id"), "m": ("membership", "project, member")}[name]
    small.add(f"SELECT {keys}, {_cents('hourly_rate')} AS rc FROM {table}")
    if pair is not None:
        where = {"p": ("id = {}", pair[0]), "u": ("id = {}", pair[1])}.get(name)
        if where is None:
            return small.add("WHERE project = {} AND member = {}", *pair)
        small.add("WHERE " + where[0], where[1])
    return small


def rate_tables(sql: Sql, currencies: list[str], pair: Pair | None = None) -> None:
    """`WITH` and, on SQLite, the small rate CTEs (cr, pr, ur, mr) that `rate_joins` reads."""
    sql.add("WITH")
    if _sqlite():
        for name in ("c", "p", "u", "m"):
            small = _rates_of(name, currencies, pair)
            sql.add(f"{name}r AS MATERIALIZED ({small.text()}),", *small.args)


def rate_joins(sql: Sql, currencies: list[str], project: str, person: str, pair: Pair | None = None) -> None:
    """`JOIN p ... LEFT JOIN m ...`: the rates in force for rows with these project and person
    columns. SQLite reads the small CTEs; PostgreSQL a subquery kept apart by OFFSET 0 (a CTE scan
    would stop the big scan from running in parallel workers)."""
    sqlite = _sqlite()

    def join(name: str) -> None:
        if sqlite:
            sql.add(f"{name}r {name}")
            return
        small = _rates_of(name, currencies, pair)
        sql.add(f"({small.text()} OFFSET 0) {name}", *small.args)

    sql.add("JOIN")
    join("p")
    sql.add(f"ON p.id = {project} JOIN")
    join("c")
    sql.add("ON c.id = p.client JOIN")
    join("u")
    sql.add(f"ON u.id = {person} LEFT JOIN")
    join("m")
    sql.add(f"ON m.project = {project} AND m.member = {person}")


def priced_entries(
    sql: Sql,
    scope: Scope,
    timezone: str,
    currencies: list[str],
    span: tuple[datetime, datetime],
    *,
    materialized: bool = True,
    where: Sql | None = None,
    stamped: bool = False,
    pair: Pair | None = None,
) -> None:
    """`WITH ..., priced AS (...)`: one row per stopped entry in scope, priced. Rates in cents,
    rounding rules and currency fractions are worked out once per client, project, person and
    membership (small CTEs), so each of a million entries costs only integer arithmetic. `where`
    narrows the entries further (conditions on `e`); `stamped` adds what the rollup keeps beside
    the sums (the billing summary and the pricing rule); `pair` reads the rates of one project and
    person only (the caller narrows `where` to them too)."""
    rate_tables(sql, currencies, pair)
    how = "MATERIALIZED" if materialized else "NOT MATERIALIZED"
    sql.add(f"priced AS {how} (SELECT c.id AS client_id, e.project AS project_id,")
    sql.add("e.person AS person_id, e.task AS task_id,")
    _day(sql, timezone, *span)
    sql.add("e.minutes AS minutes, CASE WHEN e.billable THEN e.minutes ELSE 0 END AS billable,")
    sql.add("CASE WHEN e.billable THEN 1 ELSE 0 END AS is_billable,")
    sql.add(ROUNDED)
    sql.add(RATE)
    sql.add(AMOUNT)
    if stamped:
        sql.add(f"COALESCE(e.summary, 0) AS summary_id, {RULE} AS rule,")
    sql.add("e.id AS entry_id")
    sql.add("FROM time_entry e")
    rate_joins(sql, currencies, "e.project", "e.person", pair)
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
    if where is not None:
        sql.add("AND").add(where.text(), *where.args)
    sql.add(")")


def sqlite_engine() -> bool:
    return _sqlite()


async def rollup_zone() -> str:
    """The time zone the rollup's days are counted in: the one it was built in (kept in
    entry_rollup_zone by rollup_writes), else the agency's."""
    rows = await EntryRollupZone.select(EntryRollupZone.zone).limit(1)
    return str(rows[0]["zone"]) if rows else agency_timezone()
