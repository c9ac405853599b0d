"""Reading how monthly reports are shared: which months a client's users may read on their portal,
a report's read-only links (their state, never their hashes), and the link behind a token while it
still works."""

from __future__ import annotations

from datetime import date
from typing import Any

from server.rules.sprints import ShareLinkState, share_link_state
from server.sprints.share_store import MAX_TOKEN_LENGTH, token_hash
from server.tables import ClientReport, ReportLink

Row = dict[str, Any]


async def report_row(client_id: int, month: date) -> Row | None:
    return await ClientReport.select().where((ClientReport.client == client_id) & (ClientReport.month == month)).first()


async def shared_months(client_id: int) -> list[Row]:
    """The months whose report the agency shared with the client's users, newest first."""
    return await (
        ClientReport.select(ClientReport.month, ClientReport.shared_at)
        .where((ClientReport.client == client_id) & ClientReport.shared_with_client.eq(True))
        .order_by(ClientReport.month, ascending=False)
    )


async def is_shared(client_id: int, month: date) -> bool:
    return await ClientReport.exists().where(
        (ClientReport.client == client_id) & (ClientReport.month == month) & ClientReport.shared_with_client.eq(True)
    )


async def links_of(report_id: int | None, today: date) -> list[Row]:
    """The report's links, newest first, each with its state."""
    if report_id is None:
        return []
    links = await (
        ReportLink.select(
            ReportLink.id,
            ReportLink.label,
            ReportLink.expires_on,
            ReportLink.revoked_at,
            ReportLink.created_at,
            ReportLink.view_count,
            ReportLink.last_viewed_at,
            ReportLink.created_by.name.as_alias("created_by_name"),
        )
        .where(ReportLink.report == report_id)
        .order_by(ReportLink.created_at, ascending=False)
        .order_by(ReportLink.id, ascending=False)
    )
    for link in links:
        link["state"] = share_link_state(link["revoked_at"], link["expires_on"], today)
    return links


async def link_row(link_id: int) -> Row | None:
    """A link with its report's client and month (for revoking it)."""
    return (
        await ReportLink.select(
            ReportLink.id,
            ReportLink.revoked_at,
            ReportLink.report.client.as_alias("client"),
            ReportLink.report.month.as_alias("month"),
        )
        .where(ReportLink.id == link_id)
        .first()
    )


async def live_link(token: str, today: date) -> Row | None:
    """The link behind a token, with its report's client and month, while it works and its client
    is not archived; else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    link = (
        await ReportLink.select(
            ReportLink.id,
            ReportLink.label,
            ReportLink.expires_on,
            ReportLink.revoked_at,
            ReportLink.report.client.as_alias("client"),
            ReportLink.report.month.as_alias("month"),
            ReportLink.report._.client._.archived.as_alias("client_archived"),
        )
        .where(ReportLink.token_hash == token_hash(token))
        .first()
    )
    if link is None or link["client_archived"]:
        return None
    if share_link_state(link["revoked_at"], link["expires_on"], today) != ShareLinkState.ACTIVE:
        return None
    return link
