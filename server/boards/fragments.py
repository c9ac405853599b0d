"""What a board event looks like on the wire: small positional operations that htmx swaps out of
band, drawn once per (audience, language) watching. A card moved, created or restored is removed
from where it was (`delete` on #task-<id>) and inserted after the card it now follows
(`afterend:#task-<id>`, or `afterbegin:#column-<id>-cards` at the top); a card archived is removed;
any other change to a card redraws that card where it is; a column whose cards changed gets its
counter. Only the columns' layout (added, edited, reordered, archived) redraws the board. So a
move's message is the size of one card, whatever the board's size.

Catch-up replays a browser's missed events the same way, in order (past REPLAY_LIMIT, or across a
layout change, it redraws the board). Here too: who is looking (presence), the writer's own answers,
and the card dialog, drawn for an edit's answer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from litestar import Request, Response

from server.boards import live_store, store
from server.boards.card_store import Outcome, dialog_context
from server.boards.store import CardView, ColumnCount
from server.kernel import i18n
from server.kernel.templating import card_html, render_fragment, render_macro
from server.kernel.web import HTML, is_htmx, me_of, see_other
from server.realtime.hub import AGENCY, CLIENT, BoardHub, Pair
from server.rules.policy import Actor
from server.rules.visibility import seen_by_audience

if TYPE_CHECKING:
    from server.boards.changes import Change

# Past this many missed events a browser gets the whole board again instead of a replay.
REPLAY_LIMIT = 100
# What a change tells the people whose own list of cards it may alter (their personal socket): a word,
# not HTML, so htmx's websocket extension swaps nothing; My work hears it (htmx:wsAfterMessage) and
# fetches its sections again, and every other page ignores it.
MY_WORK_CHANGED = "my-work-changed"
LAYOUT_VERBS = {"column_added", "column_edited", "column_moved", "column_archived", "column_restored"}
# "visibility": a card made internal leaves the client's page, one made shared joins it (placed).
PLACING_VERBS = {"created", "moved", "restored", "visibility"}


def audience_of(me: Actor) -> str:
    return CLIENT if me.is_client else AGENCY


def _today() -> date:
    return datetime.now(UTC).date()


# ---- what events do to a board's page


@dataclass(frozen=True)
class Step:
    """A card taken out of the page; then, unless `column` is None, put back in `column` right
    after card `after` (None: at the column's top)."""

    card: int
    column: int | None = None
    after: int | None = None
    reveal: bool = False  # its visibility changed: the client's page may hold it and must lose it


@dataclass
class Ops:
    """What a run of events did to a board's page, in order: cards taken out and put back, cards
    redrawn where they are, columns whose counters changed; or `layout`: the board redrawn whole."""

    steps: list[Step] = field(default_factory=list)
    cards: dict[int, None] = field(default_factory=dict)  # in first-seen order
    counts: set[int] = field(default_factory=set)
    layout: bool = False

    def add(self, verb: str, task: int | None, column: int | None, data: dict[str, Any]) -> None:
        """One logged event (an Activity row, or a change's entry) on top of those before it."""
        if verb in LAYOUT_VERBS:
            self.layout = True
        elif task is not None and column is not None and verb in PLACING_VERBS:
            self.steps.append(Step(task, column, data.get("after"), reveal=verb == "visibility"))
            self.counts |= {column, data.get("from_column") or column}
        elif task is not None and column is not None and verb == "archived":
            self.steps.append(Step(task))
            self.counts.add(column)
        elif task is not None:
            self.cards[task] = None
        for card in data.get("cards", ()):
            self.cards[card] = None

    def card_ids(self) -> set[int]:
        # Cards taken out too: whether one is internal decides what the client's people are told.
        return {step.card for step in self.steps} | set(self.cards)

    @classmethod
    def of(cls, events: Iterable[live_store.Event]) -> Ops:
        ops = cls()
        for event in events:
            ops.add(event.verb, event.task, event.column, event.data)
        return ops


def _count_html(counter: ColumnCount) -> str:
    return render_macro("boards/_count.html", "column_count", counter, True)


def ops_html(
    ops: Ops,
    project: dict[str, Any],
    audience: str,
    cards: dict[int, CardView],
    counters: dict[int, ColumnCount],
    client_afters: dict[int, int | None] | None = None,
) -> str:
    """The out-of-band swaps that apply `ops` to a page, for one audience, in the current language.
    Cards are drawn as they are now: a later event redraws them again if they change.

    The client's people never get an internal card, nor word of one: only its removal when it has
    just been made internal. Their page has no internal cards, so a card placed after one goes after
    the shared card above it (`client_afters`, from `client_places`)."""
    client_view = audience == CLIENT
    seen = seen_by_audience(client_view, project)
    editable = not client_view and not project["archived"]
    today = _today()
    parts: list[str] = []
    for step in ops.steps:  # remove first: htmx applies swaps in order, and ids must stay unique
        card = cards.get(step.card)
        hidden = client_view and card is not None and card.internal
        if hidden and not step.reveal:
            continue  # never on the client's page
        parts.append(f'<li id="task-{step.card}" hx-swap-oob="delete"></li>')
        if step.column is None or card is None or hidden:
            continue
        after = (client_afters or {}).get(step.card) if client_view else step.after
        where = f"afterend:#task-{after}" if after else f"afterbegin:#column-{step.column}-cards"
        # For every swap but outerHTML htmx inserts the wrapper's children: the <ol> stays behind.
        html = card_html(card.for_audience(client_view, seen), today, editable)
        parts.append(f'<ol hx-swap-oob="{where}">{html}</ol>')
    placed = {step.card for step in ops.steps}
    for card_id in ops.cards:
        card = cards.get(card_id)
        if card is None or card.archived or card_id in placed or (client_view and card.internal):
            continue
        parts.append(card_html(card.for_audience(client_view, seen), today, editable, oob=True))
    parts += [_count_html(counters[c].for_audience(client_view)) for c in sorted(ops.counts) if c in counters]
    return "".join(parts)


async def client_places(ops: Ops, cards: dict[int, CardView]) -> dict[int, int | None]:
    """Where each card `ops` places goes on the client's page: after the shared live card above it
    now (None: the column's top)."""
    return {
        step.card: await live_store.card_before(step.card, step.column, card.rank, shared_only=True)
        for step in ops.steps
        if step.column is not None and (card := cards.get(step.card)) is not None and not card.internal
    }


def _seq_html(seq: int) -> str:
    return render_fragment("boards/_seq.html", seq=seq)


def _visible_to(project: dict[str, Any], pairs: Sequence[Pair]) -> list[Pair]:
    """The pairs that may see the board: the client's people only when it is shared with them."""
    return [(a, locale) for a, locale in pairs if a != CLIENT or project["shared_with_client"]]


# ---- the board whole: layout changes, catch-up from afar


async def boards_now(project: dict[str, Any], audiences: Iterable[str]) -> tuple[int, dict[str, list[Any]]]:
    """The board's number and its columns for each audience, read in one snapshot: the number is
    exactly the state drawn, so events after it apply cleanly on top."""
    async with store.snapshot():
        seq = await live_store.event_seq(project["id"])
        boards = {a: await store.board(project, client_view=a == CLIENT) for a in set(audiences)}
    return seq, boards


def board_html(project: dict[str, Any], audience: str, columns: list[Any]) -> str:
    client_view = audience == CLIENT
    return render_fragment(
        "boards/_columns.html", columns=columns, oob=True, project=project, client_view=client_view, today=_today()
    )


async def whole_board(project: dict[str, Any], audience: str) -> str:
    """The whole board as it is now, numbered (a layout change, a browser far behind)."""
    seq, boards = await boards_now(project, [audience])
    return _seq_html(seq) + board_html(project, audience, boards[audience])


# ---- an event, for the hub


async def draw_change(change: Change, pairs: Sequence[Pair]) -> dict[Pair, str]:
    """A committed change, numbered, for each (audience, language) listening that may see the board:
    drawn once per pair, in its language. A layout change is the board whole, numbered with the
    snapshot it was read in (at or past this event: a browser that sees a gap catches up)."""
    project = change.project or await store.project_row(change.project_id)
    if not project or change.entry is None:
        return {}
    pairs = _visible_to(project, pairs)
    if not pairs:
        return {}
    ops = Ops()
    ops.add(change.entry["verb"], change.entry["task"], change.entry["column"], change.entry["data"])
    if ops.layout:
        seq, boards = await boards_now(project, [a for a, _locale in pairs])
        drawn = {}
        for audience, locale in pairs:
            with i18n.speaking(locale):
                html = board_html(project, audience, boards[audience])
            change.rendered[(audience, locale)] = html
            drawn[(audience, locale)] = _seq_html(seq) + html
        return drawn
    cards = dict(change.views)
    cards |= await live_store.cards_now(project, ops.card_ids() - set(cards))
    counters = dict(change.counters)
    counters |= await live_store.counters(ops.counts - set(counters))
    client_afters: dict[int, int | None] = {}
    if any(audience == CLIENT for audience, _locale in pairs):
        # The writer's counters count every card; the client's count only the shared ones.
        counters |= await live_store.counters(
            {c for c in ops.counts if (n := counters.get(c)) is None or n.client_count is None}
        )
        client_afters = await client_places(ops, cards)
    numbered = _seq_html(change.seq)
    drawn = {}
    for audience, locale in pairs:
        with i18n.speaking(locale):
            html = ops_html(ops, project, audience, cards, counters, client_afters)
        change.rendered[(audience, locale)] = html
        drawn[(audience, locale)] = numbered + html
    return drawn


async def catch_up(project: dict[str, Any], after: int, audience: str) -> str | None:
    """What a browser that last applied event `after` has missed, or None if nothing: its events
    replayed in order, numbered with the last one replayed; or the board whole."""
    if after >= await live_store.event_seq(project["id"]):
        return None
    if after < 0:
        return await whole_board(project, audience)
    events = await live_store.events_since(project["id"], after, REPLAY_LIMIT)
    if not events:
        return None
    ops = Ops.of(events)
    # The client's page places cards after the shared card above them now, which is right for one
    # placing step; several are replayed as the board whole.
    several_placed = audience == CLIENT and len(ops.steps) > 1
    if len(events) > REPLAY_LIMIT or ops.layout or several_placed:
        return await whole_board(project, audience)
    cards = await live_store.cards_now(project, ops.card_ids())
    counters = await live_store.counters(ops.counts)
    afters = await client_places(ops, cards) if audience == CLIENT else None
    return _seq_html(events[-1].seq) + ops_html(ops, project, audience, cards, counters, afters)


# ---- the writer's own answers: unnumbered (the board's counter may be past events this browser
# has not applied yet, and claiming that number would make it skip them; its event follows)


async def change_answer(change: Change, me: Actor) -> str:
    """A write's event as the writer's browser applies it: what its audience was sent (or would
    have been, had anyone of it been watching), without the number."""
    pair = (audience_of(me), i18n.current_locale())
    if pair not in change.rendered:
        await draw_change(change, [pair])
    return change.rendered.get(pair, "")


async def card_where_it_is(project: dict[str, Any], me: Actor, task_id: int) -> str:
    """A card put back where it is now, with its column's counter: the answer to a refused move,
    which the browser had already made on screen."""
    cards = await live_store.cards_now(project, [task_id])
    card = cards.get(task_id)
    if card is None:
        return ""
    ops = Ops(counts={card.column_id})
    if card.archived:
        ops.steps.append(Step(task_id))
    else:
        after = await live_store.card_before(task_id, card.column_id, card.rank)
        ops.steps.append(Step(task_id, card.column_id, after))
    return ops_html(ops, project, audience_of(me), cards, await live_store.counters(ops.counts))


async def board_state(project: dict[str, Any], me: Actor) -> str:
    """The whole board as it is now, numbered (the answer to a layout change)."""
    return await whole_board(project, audience_of(me))


async def cards_in_place(project: dict[str, Any], audience: str, card_ids: set[int]) -> str:
    """These cards redrawn where they are, unnumbered (the answer to a change to them)."""
    ops = Ops(cards=dict.fromkeys(sorted(card_ids)))
    return ops_html(ops, project, audience, await live_store.cards_now(project, card_ids), {})


async def render_update(
    project: dict[str, Any], seq: int | None, audience: str, *, columns: set[int], card_ids: set[int], layout: bool
) -> str:
    """Cards redrawn where they are (`card_ids`), or the board whole (`layout`, `columns`); numbered
    with `seq` if given. Kept for time's timer answer (time.fragments), which names it."""
    if layout or columns:
        return await whole_board(project, audience)
    html = await cards_in_place(project, audience, card_ids)
    return (_seq_html(seq) if seq is not None else "") + html


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
