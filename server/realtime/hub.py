"""The hub turns board changes into HTML fragments (swapped out of band by htmx) and publishes
them on the board's channels: one rendering for the agency, one for the client's users."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from litestar.channels import ChannelsPlugin
from litestar.connection import ASGIConnection
from redis.asyncio import Redis

from server.boards import store as cards
from server.boards.changes import Change
from server.kernel.templating import card_html, render_fragment
from server.tables import Activity, Project, User

AGENCY, CLIENT = "agency", "client"
# Past this many missed events a browser gets the whole board again instead of a replay.
REPLAY_LIMIT = 100
LAYOUT_VERBS = {"column_added", "column_moved", "column_archived", "column_restored"}


async def render_update(
    project: dict[str, Any], seq: int | None, audience: str, *, columns: set[int], card_ids: set[int], layout: bool
) -> str:
    """The fragments that bring a browser showing an older state of the board to `seq`; with `seq`
    None, fragments that claim no number (see `boards.routes.current_state`)."""
    client_view = audience == CLIENT
    today = datetime.now(UTC).date()
    context = {"project": project, "client_view": client_view, "today": today}
    parts = [render_fragment("boards/_seq.html", seq=seq)] if seq is not None else []
    if layout:
        board = await cards.board(project, client_view=client_view)
        parts.append(render_fragment("boards/_columns.html", columns=board, oob=True, **context))
        return "".join(parts)
    drawn = await cards.board(project, columns, client_view=client_view) if columns else []
    parts += [render_fragment("boards/_column.html", column=c, oob=True, **context) for c in drawn]
    drawn_cards = {card.id for column in drawn for card in column.cards}
    for card_id in card_ids - drawn_cards:
        card = await cards.card(project, card_id, client_view=client_view)
        if card is not None and not card.archived:
            parts.append(card_html(card, today, not client_view and not project["archived"], oob=True))
    return "".join(parts)


def user_channel(namespace: str, user_id: int) -> str:
    """One person's news on every page they have open: job progress, notices. The worker publishes
    here too, straight to Redis (`redis.publish(channel, html)`): the pub/sub backend adds no prefix."""
    return f"{namespace}user:{user_id}"


def client_channel(namespace: str, client_id: int) -> str:
    """News for every user of one client company: plans submitted for their review."""
    return f"{namespace}client:{client_id}"


class BoardHub:
    def __init__(self, channels: ChannelsPlugin, redis: Redis, namespace: str = "") -> None:
        self.channels = channels
        self.redis: Any = redis  # redis-py's async methods are typed as sync-or-async
        # Redis pub/sub channels are global to a server: the namespace keeps two deployments
        # (or two test runs) sharing one Redis apart.
        self.namespace = namespace

    def channel(self, project_id: int, audience: str) -> str:
        suffix = "" if audience == AGENCY else ":client"
        return f"{self.namespace}board:{project_id}{suffix}"

    def user_channel(self, user_id: int) -> str:
        return user_channel(self.namespace, user_id)

    def client_channel(self, client_id: int) -> str:
        return client_channel(self.namespace, client_id)

    def to_user(self, user_id: int, html: str) -> None:
        self.channels.publish(html, self.user_channel(user_id))

    def to_client(self, client_id: int, html: str) -> None:
        self.channels.publish(html, self.client_channel(client_id))

    def to_board(self, project_id: int, html: str, *, clients: bool = True) -> None:
        """Unnumbered news for a board's viewers (sprint review states): not a board event, so it
        takes no sequence number and a browser that misses it sees it on its next page load."""
        targets = [self.channel(project_id, AGENCY)] + ([self.channel(project_id, CLIENT)] if clients else [])
        self.channels.publish(html, targets)

    async def announce(self, change: Change) -> None:
        project = await Project.select().where(Project.id == change.project_id).first()
        if project is None:
            return
        audiences = [AGENCY]
        # The client's rendering is only drawn while one of the client's people has the board open;
        # one who opens it later catches up from the sequence number.
        if project["shared_with_client"] and await self.client_viewers(project["id"]):
            audiences.append(CLIENT)
        numbered = render_fragment("boards/_seq.html", seq=change.seq)
        for audience in audiences:
            html = await render_update(
                project, None, audience, columns=change.columns, card_ids=change.cards, layout=change.layout
            )
            change.rendered[audience] = html
            self.channels.publish(numbered + html, self.channel(project["id"], audience))

    async def catch_up(self, project: dict[str, Any], after: int, audience: str) -> str | None:
        """What a browser that last applied event `after` has missed, or None if nothing."""
        current = await Project.select(Project.event_seq).where(Project.id == project["id"]).first()
        seq = int(current["event_seq"]) if current else 0
        if after >= seq:
            return None
        missed = (
            await Activity.select(Activity.verb, Activity.task, Activity.column, Activity.data)
            .where((Activity.project == project["id"]) & (Activity.seq > after))
            .limit(REPLAY_LIMIT + 1)
        )
        layout = after < 0 or len(missed) > REPLAY_LIMIT or any(m["verb"] in LAYOUT_VERBS for m in missed)
        columns: set[int] = set()
        card_ids: set[int] = set()
        for m in missed:
            card_ids |= {m["task"]} if m["task"] else set()
            columns |= {m["column"]} if m["column"] else set()
            data = json.loads(m["data"]) if isinstance(m["data"], str) else m["data"]
            columns |= {data["from_column"]} if data.get("from_column") else set()
        return await render_update(project, seq, audience, columns=columns, card_ids=card_ids, layout=layout)

    # Presence: who has the board open, counted per user across every web process.
    def _presence_key(self, project_id: int) -> str:
        return f"boardroom:{self.namespace}presence:{project_id}"

    async def client_viewers(self, project_id: int) -> int:
        """How many web processes hold a client's socket on this board (0: nobody to draw for).
        Redis counts the channel's subscribers itself, so the answer cannot drift the way a counter
        we kept would (a socket that leaves after Redis restarted or was flushed drove it below zero,
        and then clients got no live updates at all); a process subscribes before the viewer joins."""
        counts = await self.redis.pubsub_numsub(self.channel(project_id, CLIENT))
        return int(counts[0][1]) if counts else 0

    async def joined(self, project_id: int, user_id: int) -> None:
        await self.redis.hincrby(self._presence_key(project_id), str(user_id), 1)
        await self.publish_presence(project_id)

    async def left(self, project_id: int, user_id: int) -> None:
        key = self._presence_key(project_id)
        if await self.redis.hincrby(key, str(user_id), -1) <= 0:
            await self.redis.hdel(key, str(user_id))
        await self.publish_presence(project_id)

    async def viewers(self, project_id: int) -> list[cards.Person]:
        ids = [int(k) for k in await self.redis.hkeys(self._presence_key(project_id))]
        rows = await User.select(User.id, User.name).where(User.id.is_in(ids or [0])).order_by(User.name)
        return [cards.Person(r["id"], r["name"]) for r in rows]

    async def publish_presence(self, project_id: int) -> None:
        html = render_fragment("boards/_presence.html", viewers=await self.viewers(project_id), oob=True)
        self.channels.publish(html, [self.channel(project_id, AGENCY), self.channel(project_id, CLIENT)])


def hub_of(connection: ASGIConnection[Any, Any, Any, Any]) -> BoardHub:
    """The process's hub (made once in create_app)."""
    hub: BoardHub = connection.app.state.hub
    return hub
