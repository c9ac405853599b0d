"""My work: where each card assigned to a person goes on their own page, by its due date against the
person's today and week (pure).

Groups, first match wins: overdue (due before today), due today, this week (due later this week, or
planned in one of the person's current sprints), later (due after this week), no date. A week starts
on the reader's locale's first day (Monday in most of the world, Sunday in the US): `week_of` gives
its first and last day around today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from server.rules.sprints import SprintState

MONDAY, SUNDAY = 0, 6  # `date.weekday()` numbers, as Babel's `Locale.first_week_day` gives them


class Group(StrEnum):
    """The groups of My work, in the order the page shows them."""

    OVERDUE = "overdue"
    TODAY = "today"
    THIS_WEEK = "this_week"
    LATER = "later"
    NO_DATE = "no_date"


@dataclass(frozen=True)
class Week:
    """The person's week around today: its first and last day (both inclusive)."""

    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def week_of(today: date, first_weekday: int = MONDAY) -> Week:
    """The week `today` falls in, starting on `first_weekday` (0 Monday … 6 Sunday)."""
    if not MONDAY <= first_weekday <= SUNDAY:
        raise ValueError(f"first_weekday must be 0..6, not {first_weekday}")
    first = today - timedelta(days=(today.weekday() - first_weekday) % 7)
    return Week(first, first + timedelta(days=6))


def group_of(due_on: date | None, today: date, week: Week, *, in_current_sprint: bool = False) -> Group:
    """Which group a card goes in: by its due date; a card planned in a current sprint is this
    week's work unless its date says it is already late or due today."""
    if due_on is not None and due_on < today:
        return Group.OVERDUE
    if due_on == today:
        return Group.TODAY
    if in_current_sprint or (due_on is not None and due_on in week):
        return Group.THIS_WEEK
    if due_on is not None:
        return Group.LATER
    return Group.NO_DATE


class Dated(Protocol):
    @property
    def due_on(self) -> date | None: ...

    @property
    def in_current_sprint(self) -> bool: ...


Card = TypeVar("Card", bound=Dated)


def grouped(cards: Iterable[Card], today: date, week: Week) -> dict[Group, list[Card]]:
    """Every group (empty ones too, in page order), each card in its own, soonest due first; cards
    with the same date (or none) keep the order given."""
    groups: dict[Group, list[Card]] = {group: [] for group in Group}
    for card in cards:
        groups[group_of(card.due_on, today, week, in_current_sprint=card.in_current_sprint)].append(card)
    for group in groups.values():
        group.sort(key=lambda card: card.due_on or date.max)
    return groups


def is_current_sprint(state: str | None, starts_on: date | None, ends_on: date | None, today: date) -> bool:
    """A sprint the person is working in now: the running one (even past its Sunday, until someone
    closes it), or a planned one whose week is this one. A closed sprint is done with."""
    if state is None or state == SprintState.CLOSED:
        return False
    if state == SprintState.ACTIVE:
        return True
    return starts_on is not None and ends_on is not None and starts_on <= today <= ends_on
