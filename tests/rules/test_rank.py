from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.rules import rank


def test_a_key_between_two_keys_sorts_between_them() -> None:
    low, high = rank.spread(2)
    middle = rank.between(low, high)
    assert low < middle < high


def test_open_ends_give_keys_before_and_after() -> None:
    only = rank.between(None, None)
    assert rank.between(None, only) < only < rank.between(only, None)


@given(st.data())
def test_place_puts_the_item_at_its_slot(data: st.DataObject) -> None:
    ordered = rank.spread(data.draw(st.integers(min_value=0, max_value=40)))
    slot = data.draw(st.integers(min_value=0, max_value=len(ordered)))
    placement = rank.place(ordered, slot)
    after = sorted([*ordered, placement.key])
    assert after.index(placement.key) == slot
    assert placement.respread is None


@settings(max_examples=200)
@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=300))
def test_any_sequence_of_inserts_keeps_order_and_short_keys(choices: list[int]) -> None:
    """Simulate a column: insert at arbitrary slots, respreading when asked, and check the list
    stays in the order of insertion slots with keys no longer than the limit."""
    keys: list[str] = []
    for choice in choices:
        slot = choice % (len(keys) + 1)
        placement = rank.place(keys, slot)
        keys = placement.respread or [*keys[:slot], placement.key, *keys[slot:]]
        assert keys == sorted(keys)
        assert len(set(keys)) == len(keys)
        assert max(map(len, keys)) <= rank.MAX_LENGTH


def test_thousands_of_inserts_at_one_spot_stay_short() -> None:
    keys = rank.spread(2)
    respreads = 0
    for _ in range(5000):
        placement = rank.place(keys, 1)  # always right after the first card
        if placement.respread:
            respreads += 1
            keys = placement.respread
        else:
            keys.insert(1, placement.key)
    assert keys == sorted(keys)
    assert max(map(len, keys)) <= rank.MAX_LENGTH
    assert respreads < 60  # a respread is rare: one per ~100 inserts at the same spot


def test_place_refuses_a_slot_outside_the_list() -> None:
    with pytest.raises(ValueError):
        rank.place(rank.spread(2), 3)
