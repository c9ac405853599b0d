"""What a time entry may be: 1 minute to 24 hours, not ending more than 5 minutes in the future,
never overlapping another entry of the same person, never touching a locked week."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.kernel.i18n import _

MIN_LENGTH = timedelta(minutes=1)
MAX_LENGTH = timedelta(hours=24)
FUTURE_SLACK = timedelta(minutes=5)
LONG_TIMER = timedelta(hours=12)


@dataclass(frozen=True)
class Span:
    """An entry's time, for overlap checks; a running timer ends at `None` (now, and on)."""

    id: int
    started_at: datetime
    ended_at: datetime | None


class EntryRefused(ValueError):
    """An entry the rules refuse; `field` names the form field the message belongs beside."""

    def __init__(self, field: str, message: str, *, overlapping: Span | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.overlapping = overlapping


def minutes_between(started_at: datetime, ended_at: datetime) -> int:
    """Whole minutes, rounded to the nearest minute (30 s and up count)."""
    return int((ended_at - started_at + timedelta(seconds=30)) // timedelta(minutes=1))


def check_length(started_at: datetime, ended_at: datetime, now: datetime) -> None:
    if ended_at - started_at < MIN_LENGTH:
        raise EntryRefused("ended_at", _("An entry lasts at least one minute."))
    if ended_at - started_at > MAX_LENGTH:
        raise EntryRefused("ended_at", _("An entry lasts at most 24 hours. Split longer work into several entries."))
    if ended_at > now + FUTURE_SLACK:
        raise EntryRefused("ended_at", _("An entry cannot end more than 5 minutes from now."))


def overlaps(a_start: datetime, a_end: datetime | None, b_start: datetime, b_end: datetime | None) -> bool:
    """Half-open intervals [start, end): touching ends do not overlap. None = still running."""
    a_before_b_ends = b_end is None or a_start < b_end
    b_before_a_ends = a_end is None or b_start < a_end
    return a_before_b_ends and b_before_a_ends


def first_overlap(started_at: datetime, ended_at: datetime | None, others: Iterable[Span]) -> Span | None:
    for other in sorted(others, key=lambda s: s.started_at):
        if overlaps(started_at, ended_at, other.started_at, other.ended_at):
            return other
    return None


def is_long_running(started_at: datetime, now: datetime) -> bool:
    """A timer left running this long is probably forgotten: the header flags it."""
    return now - started_at >= LONG_TIMER
