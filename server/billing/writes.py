"""Every write to a summary: its row (asked for, queued again), the worker's run (running,
progress, failed, the computed result), and what has been billed (finalised, unlocked, shared).

Finalising stamps the summary on its entries (TimeEntry.summary, locked) and recomputes the stored
result over exactly those entries, in one transaction; an entry is billed at most once, even when
two overlapping summaries are finalised at the same moment. Unlocking undoes it, with a reason the
activity log keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from piccolo.engine import engine_finder

from server.billing.errors import BillingError, SummaryFinalised
from server.billing.priced_store import Scope, Sql
from server.billing.summary_store import Progress, result_for, summarise
from server.boards.changes import Announcer, Change, Silent, board_change
from server.kernel.config import agency_timezone
from server.kernel.db import is_sqlite, lock_row, write_transaction
from server.kernel.i18n import _
from server.rules.days import period_bounds
from server.rules.periods import Period
from server.rules.policy import Actor
from server.rules.summaries import SummarySource, SummaryStatus
from server.tables import BillingSummary, Project, TimeEntry
from server.time.rollup_writes import refresh_period, refresh_stale

__all__ = [
    "BillingError",
    "SummaryFinalised",
    "compute_summary",
    "finalise",
    "new_summary",
    "share",
    "unlock",
]

REASON_LIMIT = 500
# A queued summary's note when the sweep queued it again because its worker died (resume_lost).
WORKER_LOST = "The worker computing this summary stopped; it is being computed again."
# Finalising takes this PostgreSQL advisory lock: finalisations queue instead of deadlocking on
# each other's entries. (SQLite's IMMEDIATE transaction already lets one writer in at a time.)
FINALISE_LOCK = 7_384_211


# ---- the row and the worker's run ----------------------------------------------------------------


async def new_summary(
    client_id: int | None,
    period: Period,
    *,
    requested_by: int | None,
    source: SummarySource = SummarySource.REQUEST,
) -> int:
    """A summary's row, queued for a worker (jobs.enqueue gives it its job)."""
    rows = await BillingSummary.insert(
        BillingSummary(
            client=client_id,
            period_start=period.start,
            period_end=period.end,
            requested_by=requested_by,
            source=source,
        )
    ).returning(BillingSummary.id)
    return int(rows[0]["id"])


async def queue_again(summary_id: int, requested_by: int) -> None:
    """Back to queued for a new job, which now reports to the person who asked again."""
    await BillingSummary.update(
        {
            BillingSummary.status: SummaryStatus.QUEUED,
            BillingSummary.progress: 0,
            BillingSummary.error: "",
            BillingSummary.requested_by: requested_by,
        }
    ).where(BillingSummary.id == summary_id)


def _computable(row: dict[str, Any] | None) -> dict[str, Any]:
    """The row of a summary that may be computed (again): it exists and is not finalised."""
    if row is None:
        raise BillingError(_("This summary no longer exists."))
    if row["finalised_at"] is not None:
        raise SummaryFinalised(_("This summary is finalised: unlock it before computing it again."))
    return row


async def start_attempt(summary_id: int) -> None:
    """A worker takes the summary on: running, one attempt more. A finalised summary keeps its
    numbers (SummaryFinalised); a deleted one is refused (BillingError)."""
    row = _computable(
        await BillingSummary.select(BillingSummary.attempts, BillingSummary.finalised_at)
        .where(BillingSummary.id == summary_id)
        .first()
    )
    await BillingSummary.update(
        {
            BillingSummary.status: SummaryStatus.RUNNING,
            BillingSummary.progress: 0,
            BillingSummary.attempts: row["attempts"] + 1,
            BillingSummary.started_at: datetime.now(UTC),
            BillingSummary.error: "",
        }
    ).where(BillingSummary.id == summary_id)


async def resume_lost(summary_id: int) -> None:
    """The worker computing the summary died (jobs.sweep): queued again, with a note (a queued
    summary with an error) that its page shows as "worker lost, resuming" until a worker takes it."""
    await BillingSummary.update(
        {BillingSummary.status: SummaryStatus.QUEUED, BillingSummary.progress: 0, BillingSummary.error: WORKER_LOST}
    ).where((BillingSummary.id == summary_id) & (BillingSummary.status == SummaryStatus.RUNNING))


async def set_progress(summary_id: int, percent: int) -> None:
    await BillingSummary.update({BillingSummary.progress: percent}).where(
        (BillingSummary.id == summary_id) & (BillingSummary.status == SummaryStatus.RUNNING)
    )


async def mark_failed(summary_id: int, error: str) -> None:
    await BillingSummary.update(
        {BillingSummary.status: SummaryStatus.FAILED, BillingSummary.error: error, BillingSummary.progress: 0}
    ).where(BillingSummary.id == summary_id)


def stored_fields(result: dict[str, Any]) -> dict[Any, Any]:
    """The summary row's columns that repeat the result's totals."""
    totals = result["totals"]
    return {
        BillingSummary.result: result,
        BillingSummary.total_minutes: totals["total_minutes"],
        BillingSummary.billable_minutes: totals["billable_minutes"],
        BillingSummary.rounded_minutes: totals["rounded_minutes"],
        BillingSummary.amounts: totals["amounts"],
    }


async def compute_summary(summary_id: int, *, timezone: str, progress: Progress | None = None) -> None:
    """Compute and store a summary's result: status done, progress 100, in one transaction.
    Running it again stores the same result; a finalised summary is refused."""
    row = _computable(await BillingSummary.select().where(BillingSummary.id == summary_id).first())
    if progress is not None:
        await progress(10)
    async with write_transaction(BillingSummary._meta.db):
        await refresh_stale()  # a rate changed since some entries were rolled up: price them again first
    result = await summarise(row["client"], row["period_start"], row["period_end"], timezone=timezone)
    if progress is not None:
        await progress(90)
    async with write_transaction(BillingSummary._meta.db):
        await lock_row(BillingSummary, summary_id)
        # finalised while we computed: keep what it billed
        _computable(
            await BillingSummary.select(BillingSummary.finalised_at).where(BillingSummary.id == summary_id).first()
        )
        await BillingSummary.update(
            {
                **stored_fields(result),
                BillingSummary.status: SummaryStatus.DONE,
                BillingSummary.progress: 100,
                BillingSummary.error: "",
                BillingSummary.finished_at: datetime.now(UTC),
            }
        ).where(BillingSummary.id == summary_id)
    if progress is not None:
        await progress(100)


# ---- what has been billed ------------------------------------------------------------------------


class Collect:
    """Keeps the board changes made inside the ledger's transaction, to announce after commit."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    async def announce(self, change: Change) -> None:
        self.changes.append(change)


async def _summary(summary_id: int) -> dict[str, Any]:
    await lock_row(BillingSummary, summary_id)
    row = await BillingSummary.select().where(BillingSummary.id == summary_id).output(load_json=True).first()
    if row is None:
        raise BillingError(_("This summary no longer exists."))
    return row


def _timezone(row: dict[str, Any]) -> str:
    return str((row["result"] or {}).get("timezone") or agency_timezone())


def _in_scope(sql: Sql, row: dict[str, Any], timezone: str) -> None:
    """WHERE conditions on time_entry (unaliased) for the stopped entries in the summary's period."""
    start, end = period_bounds(row["period_start"], row["period_end"], timezone)
    sql.add("ended_at IS NOT NULL AND started_at >= {} AND started_at < {}", start, end)
    if row["client"] is not None:
        sql.add("AND project IN (SELECT id FROM project WHERE client = {})", row["client"])


async def _billed_elsewhere(row: dict[str, Any], timezone: str) -> int | None:
    sql = Sql().add(
        "SELECT MIN(summary) AS other FROM time_entry WHERE summary IS NOT NULL AND summary <> {} AND", row["id"]
    )
    _in_scope(sql, row, timezone)
    found = await TimeEntry.raw(sql.text(), *sql.args)
    return int(found[0]["other"]) if found and found[0]["other"] is not None else None


async def billed_elsewhere(summary_id: int) -> int | None:
    """The finalised summary that already bills some of this one's entries (the lowest id), or None:
    the check finalise refuses on, asked before the button is pressed so the page can say so. It
    sits here, beside finalise, so that the warning and the refusal cannot disagree."""
    row = await BillingSummary.select().where(BillingSummary.id == summary_id).output(load_json=True).first()
    if row is None or row["finalised_at"] is not None:
        return None
    return await _billed_elsewhere(row, _timezone(row))


async def _lock_boards(row: dict[str, Any]) -> None:
    """The summary's boards, in id order, before its entries change: entry writes hold their board
    first, so the rollup rows both rewrite are rewritten one transaction at a time, without a
    deadlock (PostgreSQL; SQLite's IMMEDIATE transaction already lets one writer in)."""
    engine = engine_finder()
    if engine is None or is_sqlite(engine):
        return
    query = Project.select(Project.id).order_by(Project.id)
    if row["client"] is not None:
        query = query.where(Project.client == row["client"])
    await query.lock_rows("UPDATE")


async def _refresh_rollup(row: dict[str, Any], timezone: str) -> None:
    await refresh_period(row["client"], *period_bounds(row["period_start"], row["period_end"], timezone))


def _refuse_billed_elsewhere(other: int | None) -> None:
    if other is not None:
        raise BillingError(_("Some of these entries are already billed in summary #%(id)s: unlock it first.", id=other))


async def _log(project_ids: list[int], actor: Actor, verb: str, **data: Any) -> list[Change]:
    collect = Collect()
    for project_id in project_ids:
        async with board_change(project_id, actor, collect) as change:
            change.log(verb, **data)
    return collect.changes


async def _announce(changes: list[Change], announcer: Announcer | None) -> None:
    for change in changes:
        await (announcer or Silent()).announce(change)


async def finalise(summary_id: int, actor: Actor, *, announcer: Announcer | None = None) -> None:
    """Bill the summary's entries: they lock, the summary keeps the rates it used."""
    engine = engine_finder()
    async with write_transaction(BillingSummary._meta.db):
        if engine is not None and not is_sqlite(engine):
            await BillingSummary.raw("SELECT pg_advisory_xact_lock({})", FINALISE_LOCK)
        row = await _summary(summary_id)
        if row["finalised_at"] is not None:
            raise BillingError(_("This summary is already finalised."))
        if row["status"] != SummaryStatus.DONE:
            raise BillingError(_("Only a computed summary can be finalised: wait for it to finish."))
        timezone = _timezone(row)
        _refuse_billed_elsewhere(await _billed_elsewhere(row, timezone))
        await _lock_boards(row)
        sql = Sql().add("UPDATE time_entry SET summary = {}, locked = TRUE WHERE summary IS NULL AND", summary_id)
        _in_scope(sql, row, timezone)
        await TimeEntry.raw(sql.text(), *sql.args)
        await _refresh_rollup(row, timezone)
        # Belt and braces: an entry another summary took meanwhile fails the whole finalisation.
        _refuse_billed_elsewhere(await _billed_elsewhere(row, timezone))
        result = await result_for(Scope(summary_id=summary_id), row["period_start"], row["period_end"], timezone)
        result["client_id"] = row["client"]
        await BillingSummary.update(
            {
                **stored_fields(result),
                BillingSummary.finalised_at: datetime.now(UTC),
                BillingSummary.finalised_by: actor.id,
            }
        ).where(BillingSummary.id == summary_id)
        changes = await _log([p["id"] for p in result["projects"]], actor, "billing_finalised", summary_id=summary_id)
    await _announce(changes, announcer)


async def unlock(summary_id: int, actor: Actor, reason: str, *, announcer: Announcer | None = None) -> None:
    """Release a finalised summary's entries for correction; the reason goes in the activity log."""
    reason = reason.strip()
    if not reason:
        raise BillingError(_("Say why the summary is unlocked: the activity log keeps the reason."))
    if len(reason) > REASON_LIMIT:
        raise BillingError(_("Keep the reason under %(n)s characters.", n=REASON_LIMIT))
    async with write_transaction(BillingSummary._meta.db):
        row = await _summary(summary_id)
        if row["finalised_at"] is None:
            raise BillingError(_("Only a finalised summary can be unlocked."))
        projects = await TimeEntry.select(TimeEntry.project).where(TimeEntry.summary == summary_id).distinct()
        await _lock_boards(row)
        await TimeEntry.update({TimeEntry.summary: None, TimeEntry.locked: False}).where(
            TimeEntry.summary == summary_id
        )
        await _refresh_rollup(row, _timezone(row))
        await BillingSummary.update(
            {
                BillingSummary.finalised_at: None,
                BillingSummary.finalised_by: None,
                BillingSummary.shared_with_client: False,  # a summary under correction is not the client's
            }
        ).where(BillingSummary.id == summary_id)
        changes = await _log(
            sorted(p["project"] for p in projects), actor, "billing_unlocked", summary_id=summary_id, reason=reason
        )
    await _announce(changes, announcer)


async def share(summary_id: int, actor: Actor, *, shared: bool, show_amounts: bool) -> None:
    """Show (or stop showing) a finalised summary of one client to that client's users."""
    async with write_transaction(BillingSummary._meta.db):
        row = await _summary(summary_id)
        if shared and row["finalised_at"] is None:
            raise BillingError(_("Only a finalised summary can be shared with the client."))
        if shared and row["client"] is None:
            raise BillingError(_("A summary of all clients cannot be shared: make one for this client."))
        await BillingSummary.update(
            {BillingSummary.shared_with_client: shared, BillingSummary.share_amounts: shared and show_amounts}
        ).where(BillingSummary.id == summary_id)
