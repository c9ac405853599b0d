"""A billing summary's life as states (pure): asked for (queued), computed by a worker (running),
then done or failed; and where the request came from. The row stores them as plain text."""

from __future__ import annotations

from enum import StrEnum


class SummaryStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


# A summary a worker has yet to finish: the header's job chip lists these.
ACTIVE = (SummaryStatus.QUEUED, SummaryStatus.RUNNING)


class SummarySource(StrEnum):
    REQUEST = "request"  # an admin asked for it (page or API)
    CRON = "cron"  # Monday's run made it
