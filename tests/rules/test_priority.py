"""The priority rule: its levels in order, names and labels, and the order "sort by priority" shows."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from server.rules.priority import (
    KEYS,
    LEVELS,
    Priority,
    by_priority,
    parse_priority,
    priority_label,
    priority_of,
    sort_key,
)


@dataclass(frozen=True)
class Card:
    id: int
    priority: int
    rank: str


def test_levels_go_from_none_to_urgent() -> None:
    assert [int(level) for level in Priority] == [0, 1, 2, 3, 4]
    assert KEYS == ("none", "low", "normal", "high", "urgent")


def test_the_select_lists_the_most_pressing_first() -> None:
    assert [level.key for level in LEVELS] == ["urgent", "high", "normal", "low", "none"]


def test_only_high_and_urgent_stand_out_and_none_shows_nothing() -> None:
    assert [level.key for level in Priority if level.stands_out] == ["high", "urgent"]
    assert [level.key for level in Priority if not level.shown] == ["none"]


def test_every_level_has_a_label() -> None:
    assert [priority_label(level) for level in Priority] == ["No priority", "Low", "Normal", "High", "Urgent"]
    assert Priority.HIGH.label == "High"


@pytest.mark.parametrize(
    ("sent", "level"),
    [("high", Priority.HIGH), (" Urgent ", Priority.URGENT), ("none", Priority.NONE), ("LOW", Priority.LOW)],
)
def test_it_reads_a_level_by_name(sent: str, level: Priority) -> None:
    assert parse_priority(sent) is level


@pytest.mark.parametrize("sent", ["", "extreme", "3", None, 3, ["high"], "high\x00", "hi gh", "key"])
def test_it_refuses_anything_else(sent: object) -> None:
    assert parse_priority(sent) is None


def test_a_stored_value_out_of_range_reads_as_no_priority() -> None:
    assert priority_of(3) is Priority.HIGH
    assert priority_of(9) is Priority.NONE
    assert priority_of(None) is Priority.NONE
    assert priority_of("x") is Priority.NONE


def test_sorting_puts_the_most_pressing_first_then_keeps_the_boards_order() -> None:
    cards = [
        Card(1, 0, "a0"),
        Card(2, 3, "a1"),
        Card(3, 4, "a2"),
        Card(4, 3, "a0V"),
        Card(5, 1, "a3"),
        Card(6, 3, "a0V"),  # the same rank as card 4: the id decides, as the board's read does
    ]
    assert [card.id for card in by_priority(cards)] == [3, 4, 6, 2, 5, 1]


def test_sorting_never_changes_a_rank_and_is_stable_for_equal_levels() -> None:
    cards = [Card(i, 2, f"a{i}") for i in range(5)]
    assert by_priority(cards) == cards
    assert sort_key(Card(7, 4, "b")) < sort_key(Card(8, 3, "a"))
