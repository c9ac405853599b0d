"""The board's live HTML: the fragments (swapped out of band by htmx) that bring a browser's board
up to date, drawn once per audience (the agency, the client's people) for each board event the hub
carries; what a browser that missed events gets to catch up; who is looking (presence); the
columns as they are now for the browser that just wrote; and the card dialog, drawn for an edit's
answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from litestar import Request, Response

from server.boards import live_store, store
from server.boards.card_store import Outcome, dialog_context
from server.kernel import i18n
from server.kernel.templating import card_html, render_fragment
from server.kernel.web import HTML, is_htmx, me_of, see_other
from server.realtime.hub import AGENCY, CLIENT, BoardHub, Pair
from server.rules.policy import Actor

if TYPE_CHECKING:
    from server.boards.changes import Change

# Past this many missed events a browser gets the whole board again instead of a replay.
REPLAY_LIMIT = 100
LAYOUT_VERBS = {"column_added", "column_moved", "column_archived", "column_restored"}


def audience_of(me: Actor) -> str:
    return CLIENT if me.is_client else AGENCY


async def render_update(
    project: dict[str, Any], seq: int | None, audience: str, *, columns: set[int], card_ids: set[int], layout: bool
) -> str:
    """The fragments that bring a browser showing an older state of the board to `seq`; with `seq`
    None, fragments that claim no number (see `current_state`)."""
    client_view = audience == CLIENT
    today = datetime.now(UTC).date()
    context = {"project": project, "client_view": client_view, "today": today}
    parts = [render_fragment("boards/_seq.html", seq=seq)] if seq is not None else []
    if layout:
        board = await store.board(project, client_view=client_view)
        parts.append(render_fragment("boards/_columns.html", columns=board, oob=True, **context))
        return "".join(parts)
    drawn = await store.board(project, columns, client_view=client_view) if columns else []
    parts += [render_fragment("boards/_column.html", column=c, oob=True, **context) for c in drawn]
    drawn_cards = {card.id for column in drawn for card in column.cards}
    for card_id in card_ids - drawn_cards:
        card = await store.card(project, card_id, client_view=client_view)
        if card is not None and not card.archived:
            parts.append(card_html(card, today, not client_view and not project["archived"], oob=True))
    return "".join(parts)


async def draw_change(change: Change, pairs: Sequence[Pair]) -> dict[Pair, str]:
    """A committed change, numbered, for each (audience, language) listening that may see the board
    (the client's people only when it is shared with them): drawn once per pair, in its language."""
    project = await store.project_row(change.project_id)
    if project is None:
        return {}
    numbered = render_fragment("boards/_seq.html", seq=change.seq)
    drawn = {}
    for audience, locale in pairs:
        if audience == CLIENT and not project["shared_with_client"]:
            continue
        with i18n.speaking(locale):
            html = await render_update(
                project, None, audience, columns=change.columns, card_ids=change.cards, layout=change.layout
            )
        change.rendered[(audience, locale)] = html
        drawn[(audience, locale)] = numbered + html
    return drawn


async def catch_up(project: dict[str, Any], after: int, audience: str) -> str | None:
    """What a browser that last applied event `after` has missed, or None if nothing."""
    seq = await live_store.event_seq(project["id"])
    if after >= seq:
        return None
    missed = await live_store.missed_since(project["id"], after, REPLAY_LIMIT)
    layout = after < 0 or missed.many or bool(missed.verbs & LAYOUT_VERBS)
    return await render_update(project, seq, audience, columns=missed.columns, card_ids=missed.cards, layout=layout)


async def current_state(project: dict[str, Any], me: Actor, columns: set[int]) -> str:
    """These columns as they are now, for the browser that just wrote. Unnumbered on purpose: the
    board's counter may already be past events touching other columns that this browser has not
    applied yet, and claiming that number would make it skip them for good (the websocket drops
    what it thinks it has seen; polling would answer 304). The write's own event follows."""
    return await render_update(project, None, audience_of(me), columns=columns, card_ids=set(), layout=False)


async def board_state(project: dict[str, Any], me: Actor) -> str:
    """The whole column layout as it is now, numbered (after a layout change)."""
    seq = await live_store.event_seq(project["id"])
    return await render_update(project, seq, audience_of(me), columns=set(), card_ids=set(), layout=True)


async def publish_presence(hub: BoardHub, project_id: int) -> None:
    """Tell everyone looking at the board who is looking now."""
    viewers = await live_store.viewers(hub, project_id)
    hub.to_board(project_id, render_fragment("boards/_presence.html", viewers=viewers, oob=True))


# ---- the card dialog


async def dialog_html(me: Actor, task_id: int, project: dict[str, Any], outcome: Outcome, *, whole: bool) -> str:
    context = await dialog_context(me, task_id, project, outcome)
    return render_fragment("boards/_dialog.html" if whole else "boards/_dialog_body.html", **context)


async def dialog_answer(
    request: Request[Any, Any, Any], task_id: int, project: dict[str, Any], outcome: Outcome | None = None
) -> Response[Any]:
    """The answer to an edit made from the card dialog: the dialog's body for htmx; a plain form
    post goes back to the card's page."""
    outcome = outcome or Outcome()
    if not is_htmx(request) and outcome.status < 400:
        return see_other(f"/tasks/{task_id}")
    html = await dialog_html(me_of(request), task_id, project, outcome, whole=False)
    return Response(html, status_code=outcome.status, media_type=HTML)
