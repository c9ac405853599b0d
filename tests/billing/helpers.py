"""Summaries for the billing tests, made by tests/factories.py and taken further by the ledger's
writes: computed, or computed, finalised and shared with the client's users."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from server.billing.writes import compute_summary, finalise, share
from tests.conftest import Agency
from tests.factories import actor, add_summary, today

TZ = "Europe/Berlin"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def computed_summary(client_id: int | None, start: date, end: date, requested_by: int | None = None) -> int:
    summary_id = await add_summary(client_id, start, end, requested_by=requested_by)
    await compute_summary(summary_id, timezone=TZ)
    return summary_id


async def shared_summary(
    agency: Agency, *, show_amounts: bool = True, start: date | None = None, end: date | None = None
) -> int:
    """A summary of Acme (by default a month over a year ago, which bills none of the authorization
    matrix's entries: they must stay unlocked for the time routes' lines): computed, finalised and
    shared with Acme's users."""
    summary_id = await add_summary(
        agency.acme,
        start or today() - timedelta(days=400),
        end or today() - timedelta(days=370),
        requested_by=agency.ada,
    )
    ada = actor(agency, "ada")
    await compute_summary(summary_id, timezone="UTC")
    await finalise(summary_id, ada)
    await share(summary_id, ada, shared=True, show_amounts=show_amounts)
    return summary_id
