"""A card's priority: its levels in order, their names (what forms, the API and the page's filter
send), their labels (what people read), and the order "sort by priority" shows cards in: the
most pressing first, the board's own order (rank) among equals. Ranks are never changed by it."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import Protocol, TypeVar

from server.kernel.i18n import _


class Priority(IntEnum):
    """Stored as a small integer: a higher number is more pressing."""

    NONE = 0
    LOW = 1
    NORMAL = 2
    HIGH = 3
    URGENT = 4

    @property
    def key(self) -> str:
        """The level's name in forms, the API, the page's filter and CSS classes: "high"."""
        return self.name.lower()

    @property
    def label(self) -> str:
        return priority_label(self)

    @property
    def stands_out(self) -> bool:
        """High and urgent cards catch the eye on the board; the others stay quiet."""
        return self >= Priority.HIGH

    @property
    def shown(self) -> bool:
        """No priority draws no mark on the card."""
        return self != Priority.NONE


# Most pressing first: the order of the dialog's select and the board's filter.
LEVELS = tuple(sorted(Priority, reverse=True))
KEYS = tuple(level.key for level in Priority)


def priority_label(level: Priority) -> str:
    labels = {
        Priority.NONE: _("No priority"),
        Priority.LOW: _("Low"),
        Priority.NORMAL: _("Normal"),
        Priority.HIGH: _("High"),
        Priority.URGENT: _("Urgent"),
    }
    return labels[level]


def choices_message() -> str:
    return _("Choose a priority: none, low, normal, high or urgent.")


def parse_priority(value: object) -> Priority | None:
    """The level a form or a JSON body names ("high", any case, spaces around), or None if it names none."""
    if not isinstance(value, str):
        return None
    try:
        return Priority[value.strip().upper()]
    except KeyError:
        return None


def priority_of(stored: object) -> Priority:
    """The level of a stored value; anything unknown (a hand-edited row) reads as no priority."""
    try:
        return Priority(int(stored))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return Priority.NONE


class Ranked(Protocol):
    @property
    def priority(self) -> int: ...

    @property
    def rank(self) -> str: ...

    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=Ranked)


def sort_key(card: Ranked) -> tuple[int, str, int]:
    """Most pressing first, then the board's own order (rank, then id as the board reads it)."""
    return (-int(card.priority), card.rank, card.id)


def by_priority(cards: Iterable[R]) -> list[R]:
    """The cards of one column as "sort by priority" shows them; their ranks stay as they are."""
    return sorted(cards, key=sort_key)
