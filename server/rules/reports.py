"""The monthly client report (issue 16) as pure functions: the month a path names and whether it has
a report, a card's kind of work (its labels), hours summed per project and per kind, the cards that
reached Done in the month, and what the client's copy keeps.

The client's copy is drawn from the same figures as the agency's, which it never changes:
- only the projects shared with the client; the hours only of those that show the client their hours,
  and their hours budget only where the project's switch shows it to the client;
- never money (amounts, rates, cost, money budgets): the agency's copy alone has them;
- an internal card's hours stay in its project's hours and in the totals (it is work done for the
  client, and the totals match what is billed), but under **Other work**, never under its title or
  labels; an internal card that reached Done is not listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

MONTH = re.compile(r"\A([0-9]{4})-([0-9]{2})\Z")
FIRST_YEAR, LAST_YEAR = 2000, 2100


class MonthState(StrEnum):
    """Whether a month has a report: it must be written YYYY-MM, have started, and not lie before
    the client's first month (the month the client was added or first had hours logged)."""

    OK = "ok"
    MALFORMED = "malformed"
    FUTURE = "future"
    BEFORE = "before"


def parse_month(text: str) -> date | None:
    """ "2026-11" as the month's first day; None for anything else ("2026-1", "2026-13", "nov")."""
    match = MONTH.match(text or "")
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (before, if negative) `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_state(month: date | None, first: date, today: date) -> MonthState:
    if month is None:
        return MonthState.MALFORMED
    if month > today.replace(day=1):
        return MonthState.FUTURE
    if month < first.replace(day=1):
        return MonthState.BEFORE
    return MonthState.OK


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first`'s to `last`'s, newest first (the month picker's choices)."""
    months, month = [], last.replace(day=1)
    while month >= first.replace(day=1):
        months.append(month)
        month = add_months(month, -1)
    return months


def default_month(first: date, today: date) -> date:
    """The report an account manager means on the first days of a month: last month's; this month's
    for a client that had none before."""
    last = add_months(today.replace(day=1), -1)
    return last if last >= first.replace(day=1) else today.replace(day=1)


# ---- kinds of work ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A kind of work: a card's labels (a card with several counts once, under all of them
    together: "design + ux"), no label, or, in the client's copy, internal work."""

    labels: tuple[str, ...] = ()
    other: bool = False

    @property
    def key(self) -> tuple[bool, tuple[str, ...]]:
        """Labels of the same name on different projects are one kind."""
        return self.other, tuple(name.casefold() for name in self.labels)


NO_LABEL = Kind()
OTHER_WORK = Kind(other=True)


def kind_of(labels: Iterable[str]) -> Kind:
    """A card's kind from its label names: each name once (whatever its case), in alphabetical order."""
    seen: dict[str, str] = {}
    for name in labels:
        name = name.strip()
        if name:
            seen.setdefault(name.casefold(), name)
    return Kind(tuple(seen[key] for key in sorted(seen)))


@dataclass(frozen=True)
class Hours:
    """Logged time of a month: minutes, billable minutes and the billable amount (minor units)."""

    minutes: int = 0
    billable_minutes: int = 0
    amount: int = 0

    def __add__(self, other: Hours) -> Hours:
        return Hours(
            self.minutes + other.minutes, self.billable_minutes + other.billable_minutes, self.amount + other.amount
        )

    def share_of(self, total: Hours) -> int:
        """This part's share of the total's minutes, in whole percent (rounded half up)."""
        return (200 * self.minutes + total.minutes) // (2 * total.minutes) if total.minutes else 0


@dataclass(frozen=True)
class TaskTime:
    """One card's time in the month (from the rollup's task months)."""

    project_id: int
    task_id: int
    internal: bool
    labels: tuple[str, ...]
    hours: Hours


def total(times: Iterable[TaskTime]) -> Hours:
    return sum((t.hours for t in times), Hours())


def hours_by_project(times: Iterable[TaskTime]) -> dict[int, Hours]:
    found: dict[int, Hours] = {}
    for time in times:
        found[time.project_id] = found.get(time.project_id, Hours()) + time.hours
    return found


def hours_by_kind(times: Iterable[TaskTime], *, hide_internal: bool) -> list[tuple[Kind, Hours]]:
    """Hours per kind, the largest first, then "No label", then "Other work" (internal cards, when
    `hide_internal`: the client's copy)."""
    kinds: dict[tuple[bool, tuple[str, ...]], tuple[Kind, Hours]] = {}
    for time in times:
        kind = OTHER_WORK if hide_internal and time.internal else kind_of(time.labels)
        shown, hours = kinds.get(kind.key, (kind, Hours()))
        kinds[kind.key] = (shown, hours + time.hours)

    def order(item: tuple[Kind, Hours]) -> tuple[int, int, tuple[str, ...]]:
        kind, hours = item
        place = 2 if kind.other else (1 if not kind.labels else 0)
        return place, -hours.minutes, kind.key[1]

    return sorted(kinds.values(), key=order)


# ---- delivered: cards that reached Done in the month -------------------------------------------


@dataclass(frozen=True)
class Move:
    """A card's move (or creation) from the board's history, in the order the board numbered it."""

    task_id: int
    column_id: int | None
    from_column_id: int | None  # None: created there
    at: datetime


def delivered(moves: Iterable[Move], done_columns: set[int]) -> dict[int, datetime]:
    """The cards that reached a Done column in the month and were still in one when it ended (by
    the month's own moves), with when they last arrived. A card reordered inside Done, or one moved
    out again, was not delivered this month."""
    last_column: dict[int, int | None] = {}
    arrived: dict[int, datetime] = {}
    for move in moves:
        last_column[move.task_id] = move.column_id
        if move.column_id in done_columns and move.from_column_id not in done_columns:
            arrived[move.task_id] = move.at
    return {task: at for task, at in arrived.items() if last_column.get(task) in done_columns}


# ---- the client's copy -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sight:
    """What the client's copy shows of one project: anything (shared with the client), its hours,
    its hours against its hours budget (the project's switch; never a money budget)."""

    shared: bool
    hours: bool
    budget: bool = False


def sight_of(project: Mapping[str, object]) -> Sight:
    shared = bool(project.get("shared_with_client"))
    hours = shared and bool(project.get("client_sees_hours", True))
    return Sight(shared=shared, hours=hours, budget=hours and bool(project.get("client_sees_budget", False)))


def times_for_client(times: Iterable[TaskTime], sights: Mapping[int, Sight]) -> list[TaskTime]:
    """The card times whose hours the client's copy counts: on shared projects that show hours
    (internal cards included: their hours are shown as "Other work")."""
    return [t for t in times if (sight := sights.get(t.project_id)) is not None and sight.hours]
