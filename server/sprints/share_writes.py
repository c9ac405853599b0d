"""Writing share links: making one (its token is returned once and only its hash kept, with the
password's hash if it has one), revoking one, and logging each view of the shared plan."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from server.kernel.passwords import hash_password
from server.rules.policy import Actor
from server.sprints.schemas import ShareLinkInput
from server.sprints.share_store import token_hash
from server.tables import ShareLink, ShareView


def new_token() -> str:
    return secrets.token_urlsafe(24)


async def create_link(project_id: int, data: ShareLinkInput, actor: Actor) -> str:
    """The new link's token: shown to the admin once, never stored."""
    token = new_token()
    await ShareLink.insert(
        ShareLink(
            project=project_id,
            label=data.label,
            token_hash=token_hash(token),
            password_hash=hash_password(data.password) if data.password else "",
            expires_on=data.expires_on,
            created_by=actor.id,
        )
    )
    return token


async def revoke(link: dict[str, Any]) -> None:
    """Revoking twice keeps the first time."""
    if link["revoked_at"] is None:
        await ShareLink.update({ShareLink.revoked_at: datetime.now(UTC)}).where(ShareLink.id == link["id"])


async def log_view(link_id: int, ip: str, user_agent: str) -> None:
    await ShareView.insert(ShareView(link=link_id, ip=ip[:64], user_agent=user_agent[:300]))
    await ShareLink.update(
        {ShareLink.view_count: ShareLink.view_count + 1, ShareLink.last_viewed_at: datetime.now(UTC)}
    ).where(ShareLink.id == link_id)
