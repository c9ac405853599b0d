"""Per-client rounding of billable minutes (as Kimai and Harvest offer it)."""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    UP = "up"
    NEAREST = "nearest"
    DOWN = "down"


INCREMENTS = (0, 1, 5, 6, 10, 15, 30, 60)
MODES = tuple(m.value for m in Mode)


def round_minutes(minutes: int, increment: int, mode: str) -> int:
    """Round a duration to the client's increment; 0 means no rounding.

    Nearest rounds a half increment up (7.5 of 15 becomes 15), as people expect on invoices;
    down is a plain floor, as in Kimai.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if increment not in INCREMENTS:
        raise ValueError(f"increment must be one of {INCREMENTS}")
    rule = Mode(mode)  # checked even when nothing rounds, so a bad rule never passes silently
    if increment in (0, 1) or minutes == 0:
        return minutes
    whole, rest = divmod(minutes, increment)
    match rule:
        case Mode.UP:
            whole += 1 if rest else 0
        case Mode.NEAREST:
            whole += 1 if rest * 2 >= increment else 0
        case Mode.DOWN:
            pass
    return whole * increment
