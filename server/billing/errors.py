"""What billing refuses, with a message for the person who asked."""

from __future__ import annotations


class BillingError(Exception):
    """A refusal worth showing: the message is already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SummaryFinalised(BillingError):
    """A finalised summary keeps its result: it is never computed again."""
