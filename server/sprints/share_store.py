"""Reading share links: the link behind a token (only while it works), a project's links with their
state (never their hashes), the latest views of them, one link for revoking."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from server.rules.sprints import ShareLinkState, share_link_state
from server.sprints.store import project_row
from server.tables import ShareLink, ShareView

MAX_TOKEN_LENGTH = 100
RECENT_VIEWS = 20


def token_hash(token: str) -> str:
    """What is kept of a link's token (as of an API token): its sha256."""
    return hashlib.sha256(token.encode()).hexdigest()


async def live_link(token: str, today: date) -> dict[str, Any] | None:
    """The link behind a token if it still works and its project is still shared, else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    link = await ShareLink.select().where(ShareLink.token_hash == token_hash(token)).first()
    if link is None or share_link_state(link["revoked_at"], link["expires_on"], today) != ShareLinkState.ACTIVE:
        return None
    project = await project_row(link["project"])
    # The link shows what the client's people see: it stops when they would see nothing.
    if project is None or project["archived"] or not project["shared_with_client"]:
        return None
    return {**link, "project_row": project}


async def links_of(project_id: int, today: date) -> list[dict[str, Any]]:
    """The project's links, newest first, each with its state and whether it has a password."""
    links = await (
        ShareLink.select(*ShareLink.all_columns(), ShareLink.created_by.name.as_alias("created_by_name"))
        .where(ShareLink.project == project_id)
        .order_by(ShareLink.created_at, ascending=False)
        .order_by(ShareLink.id, ascending=False)
    )
    for link in links:
        link["state"] = share_link_state(link["revoked_at"], link["expires_on"], today)
        link["has_password"] = bool(link.pop("password_hash"))
        link.pop("token_hash")
    return links


async def recent_views(project_id: int) -> list[dict[str, Any]]:
    """The latest views of the project's links, newest first."""
    return await (
        ShareView.select(ShareView.at, ShareView.ip, ShareView.user_agent, ShareView.link.label.as_alias("label"))
        .where(ShareView.link.project == project_id)
        .order_by(ShareView.at, ascending=False)
        .limit(RECENT_VIEWS)
    )


async def link_row(link_id: int) -> dict[str, Any] | None:
    return (
        await ShareLink.select(ShareLink.id, ShareLink.project, ShareLink.revoked_at)
        .where(ShareLink.id == link_id)
        .first()
    )
