"""Writing how a monthly report is shared: showing it (or not) to the client's users on their portal,
making a read-only link (its token returned once, only its hash kept), revoking one, counting views."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from server.kernel.db import write_transaction
from server.reports.schemas import ReportLinkInput
from server.rules.policy import Actor
from server.sprints.share_store import token_hash
from server.tables import ClientReport, ReportLink


async def _report_id(client_id: int, month: date) -> int:
    """The report's row, made the first time it is shared or linked (one per client and month)."""
    found = (
        await ClientReport.select(ClientReport.id)
        .where((ClientReport.client == client_id) & (ClientReport.month == month))
        .first()
    )
    if found is not None:
        return int(found["id"])
    rows = await ClientReport.insert(ClientReport(client=client_id, month=month)).returning(ClientReport.id)
    return int(rows[0]["id"])


async def share(client_id: int, month: date, actor: Actor, *, shared: bool) -> None:
    """Show (or stop showing) the month's report to the client's users; sharing again keeps the
    first time it was shared."""
    async with write_transaction(ClientReport._meta.db):
        report_id = await _report_id(client_id, month)
        row = await ClientReport.select(ClientReport.shared_at).where(ClientReport.id == report_id).first()
        values: dict[object, object] = {ClientReport.shared_with_client: shared}
        if shared and (row is None or row["shared_at"] is None):
            values |= {ClientReport.shared_at: datetime.now(UTC), ClientReport.shared_by: actor.id}
        await ClientReport.update(values).where(ClientReport.id == report_id)  # type: ignore[arg-type]


def new_token() -> str:
    return secrets.token_urlsafe(24)


async def create_link(client_id: int, month: date, data: ReportLinkInput, actor: Actor) -> str:
    """The new link's token: shown to the admin once, never stored."""
    token = new_token()
    async with write_transaction(ClientReport._meta.db):
        report_id = await _report_id(client_id, month)
        await ReportLink.insert(
            ReportLink(
                report=report_id,
                label=data.label,
                token_hash=token_hash(token),
                expires_on=data.expires_on,
                created_by=actor.id,
            )
        )
    return token


async def revoke(link_id: int, revoked_at: datetime | None) -> None:
    """Revoking twice keeps the first time."""
    if revoked_at is None:
        await ReportLink.update({ReportLink.revoked_at: datetime.now(UTC)}).where(ReportLink.id == link_id)


async def count_view(link_id: int) -> None:
    await ReportLink.update(
        {ReportLink.view_count: ReportLink.view_count + 1, ReportLink.last_viewed_at: datetime.now(UTC)}
    ).where(ReportLink.id == link_id)
