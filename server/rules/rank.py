"""Order of cards and columns: fractional-index keys (base-62 strings that sort).

A key between any two keys always exists, so a move writes one row. Keys grow when many items are
put at one spot; past MAX_LENGTH the caller spreads its list again (a rare, whole-list rewrite).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fractional_indexing import generate_key_between, generate_n_keys_between

MAX_LENGTH = 24


def between(before: str | None, after: str | None) -> str:
    """A key that sorts after `before` and before `after` (None: open end)."""
    return generate_key_between(before, after)


def spread(count: int) -> list[str]:
    """`count` short keys in order, evenly spaced."""
    return generate_n_keys_between(None, None, count) if count else []


@dataclass(frozen=True)
class Placement:
    """Where an item goes: its key, or (when keys grew too long) new keys for the whole list,
    in order, with the item at its slot."""

    key: str
    respread: list[str] | None = None


def place(ordered: Sequence[str], slot: int) -> Placement:
    """Put an item at position `slot` (0 = first) among `ordered` keys, the item itself not among them."""
    if not 0 <= slot <= len(ordered):
        raise ValueError(f"slot {slot} is outside 0..{len(ordered)}")
    before = ordered[slot - 1] if slot > 0 else None
    after = ordered[slot] if slot < len(ordered) else None
    key = between(before, after)
    if len(key) <= MAX_LENGTH:
        return Placement(key)
    keys = spread(len(ordered) + 1)
    return Placement(keys[slot], respread=keys)
