"""Sprint rules as pure functions: a sprint is an ISO week (Monday to Sunday, agency time zone).

The states of a sprint, of its client review and of a link sharing its plan; naming, which weeks
must exist, which week planning opens on, what closing a sprint carries over, the burndown and
velocity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from babel.dates import format_date

from server.kernel.i18n import _, current_locale
from server.rules.weeks import days_of, iso_week_label, monday_of

SprintRow = TypeVar("SprintRow", bound=Mapping[str, Any])


class SprintState(StrEnum):
    """Where a week stands: planned, running (at most one per project), or closed with its result."""

    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


class ReviewState(StrEnum):
    """Where the client's review of a week's plan stands."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


class ShareLinkState(StrEnum):
    """Whether a share link still opens the plan."""

    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


def share_link_state(revoked_at: datetime | None, expires_on: date | None, today: date) -> ShareLinkState:
    """Revoked wins over expired; a link works through its last day (agency time zone)."""
    if revoked_at is not None:
        return ShareLinkState.REVOKED
    if expires_on is not None and expires_on < today:
        return ShareLinkState.EXPIRED
    return ShareLinkState.ACTIVE


def sprint_name(monday: date) -> str:
    """ "Week 48 · 23–29 Nov"; across months "Week 49 · 30 Nov – 6 Dec"."""
    sunday = monday + timedelta(days=6)
    week = iso_week_label(monday)[1]
    locale = current_locale()
    if monday.month == sunday.month:
        span = f"{monday.day}–{format_date(sunday, 'd MMM', locale=locale)}"
    else:
        span = f"{format_date(monday, 'd MMM', locale=locale)} – {format_date(sunday, 'd MMM', locale=locale)}"
    return _("Week %(n)s · %(span)s", n=week, span=span)


def weeks_needed(today: date, existing: Iterable[date]) -> list[date]:
    """Mondays of this week and next week that have no sprint yet: the next week's sprint always exists."""
    this_week = monday_of(today)
    have = set(existing)
    return [m for m in (this_week, this_week + timedelta(days=7)) if m not in have]


@dataclass(frozen=True)
class CardAtClose:
    task_id: int
    estimate_minutes: int
    done: bool


@dataclass(frozen=True)
class CloseResult:
    """What closing a sprint records, and where its unfinished cards go."""

    planned_minutes: int
    completed_minutes: int
    carried: tuple[int, ...]
    to_next_sprint: bool


def close(cards: Sequence[CardAtClose], *, carry_to_next: bool) -> CloseResult:
    unfinished = tuple(c.task_id for c in cards if not c.done)
    return CloseResult(
        planned_minutes=sum(c.estimate_minutes for c in cards),
        completed_minutes=sum(c.estimate_minutes for c in cards if c.done),
        carried=unfinished,
        to_next_sprint=carry_to_next,
    )


def burndown(monday: date, planned_minutes: int, completed_on: Iterable[tuple[date, int]]) -> list[tuple[date, int]]:
    """Remaining estimate at the end of each day of the week (the ideal line is drawn from the total)."""
    done_by_day: dict[date, int] = {}
    for day, minutes in completed_on:
        done_by_day[day] = done_by_day.get(day, 0) + minutes
    remaining = planned_minutes
    points = []
    for day in days_of(monday):
        remaining -= done_by_day.get(day, 0)
        points.append((day, max(remaining, 0)))
    return points


def velocity(completed: Sequence[int], last: int = 8) -> int:
    """Average completed estimate (minutes) over the last `last` closed sprints; 0 with none."""
    window = list(completed)[-last:]
    return round(sum(window) / len(window)) if window else 0


def day_in_week(monday: date, day: date | None) -> date:
    """The day a card counts as done on the burndown: its done day, held within the sprint's week
    (done before the week: from its first day; no record of when: its first day too)."""
    sunday = monday + timedelta(days=6)
    if day is None or day < monday:
        return monday
    return min(day, sunday)


def capacity_minutes(members: int, hours_per_member: int | None) -> int | None:
    """The team's week: members times each one's weekly hours on the project (None: not planned)."""
    return None if hours_per_member is None else members * hours_per_member * 60


def load_percent(planned_minutes: int, capacity: int | None) -> int | None:
    """Planned estimate as a share of capacity (can pass 100); None without a capacity."""
    if not capacity:
        return None
    return round(100 * planned_minutes / capacity)


def default_sprint(sprints: Sequence[SprintRow], today: date) -> SprintRow | None:
    """The sprint planning opens on: the running one; else this week's if still open; else the next
    open one (None: every week up to now is closed and none is planned ahead)."""
    monday = monday_of(today)
    active = [s for s in sprints if s["state"] == SprintState.ACTIVE]
    if active:
        return active[0]
    upcoming = sorted(
        (s for s in sprints if s["state"] == SprintState.PLANNED and s["starts_on"] >= monday),
        key=lambda s: s["starts_on"],
    )
    return upcoming[0] if upcoming else None
