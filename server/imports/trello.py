"""Reading a Trello board export (board menu › Print, export and share › Export as JSON) into a plan of
what the import would create: columns, labels, cards with their checklists, comments and attachment
links. Pure: no database, no I/O; every problem is named by the object that caused it.

Boardroom's own board export (`exports.board_json`) is a subset of this shape, so it reads here too."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from server.kernel.i18n import _

TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
COMMENT_MAX = 10_000
ITEM_MAX = 200
NAME_MAX = 100
LABEL_MAX = 40
# Trello's colour names (and their _dark/_light shades) to Boardroom's label colours.
COLORS = {
    "green": "green",
    "yellow": "amber",
    "orange": "orange",
    "red": "red",
    "purple": "violet",
    "blue": "blue",
    "sky": "teal",
    "lime": "green",
    "pink": "pink",
    "black": "slate",
    # ours, so that Boardroom's own export reads back as it was
    "slate": "slate",
    "amber": "amber",
    "teal": "teal",
    "indigo": "indigo",
    "violet": "violet",
}


class NotATrelloExport(ValueError):
    """The file cannot be imported at all; the message names what is wrong and where."""


@dataclass(frozen=True)
class PlannedColumn:
    source_id: str
    name: str
    archived: bool


@dataclass(frozen=True)
class PlannedLabel:
    source_id: str
    name: str
    color: str


@dataclass(frozen=True)
class PlannedItem:
    source_id: str
    text: str
    done: bool


@dataclass(frozen=True)
class PlannedComment:
    source_id: str
    author_id: str
    author_name: str
    body: str
    at: datetime | None


@dataclass(frozen=True)
class PlannedMember:
    source_id: str
    name: str
    username: str
    email: str


@dataclass
class PlannedCard:
    source_id: str
    short_link: str
    title: str
    description: str
    column_id: str  # a PlannedColumn's source id
    archived: bool
    due_on: date | None
    due_complete: bool
    position: float = 0.0  # Trello's pos: the order within its list
    label_ids: list[str] = field(default_factory=list)
    member_ids: list[str] = field(default_factory=list)
    items: list[PlannedItem] = field(default_factory=list)
    comments: list[PlannedComment] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (name, url)
    warnings: list[str] = field(default_factory=list)

    def fingerprint(self) -> str:
        """What the import writes of the card itself: a newer export with another fingerprint changed it."""
        parts = [self.title, self.description, self.column_id, str(self.archived), str(self.due_on)]
        return json.dumps(parts + sorted(self.label_ids) + sorted(self.member_ids), ensure_ascii=False)


@dataclass
class BoardPlan:
    name: str
    columns: list[PlannedColumn]
    labels: list[PlannedLabel]
    cards: list[PlannedCard]  # in card-number order (Trello's idShort)
    members: list[PlannedMember]
    warnings: list[str] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(c.items) for c in self.cards)

    @property
    def comment_count(self) -> int:
        return sum(len(c.comments) for c in self.cards)


def _text(value: Any) -> str:
    return value.replace("\x00", "") if isinstance(value, str) else ""


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _pos(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def load(raw: bytes) -> dict[str, Any]:
    """The export's JSON object, or NotATrelloExport saying why not (with the line for broken JSON)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotATrelloExport(
            _(
                "The file is not UTF-8 text (byte %(n)s). Trello exports are UTF-8: export the board again.",
                n=error.start,
            )
        ) from error
    try:
        board = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotATrelloExport(
            _("The file is not valid JSON: line %(line)s, column %(col)s.", line=error.lineno, col=error.colno)
        ) from error
    if (
        not isinstance(board, dict)
        or not isinstance(board.get("lists"), list)
        or not isinstance(board.get("cards"), list)
    ):
        raise NotATrelloExport(
            _("This is not a Trello board export: it has no lists and cards. In Trello, use Export as JSON.")
        )
    return board


def _objects(board: dict[str, Any], key: str) -> list[dict[str, Any]]:
    values = board.get(key)
    return (
        [v for v in values if isinstance(v, dict) and isinstance(v.get("id"), str)] if isinstance(values, list) else []
    )


def _columns(board: dict[str, Any]) -> list[PlannedColumn]:
    lists = sorted(_objects(board, "lists"), key=lambda x: (bool(x.get("closed")), _pos(x.get("pos"))))
    return [
        PlannedColumn(
            lst["id"], _cut(_text(lst.get("name")).strip() or _("Untitled list"), NAME_MAX), bool(lst.get("closed"))
        )
        for lst in lists
    ]


def _labels(board: dict[str, Any]) -> list[PlannedLabel]:
    labels = []
    for label in _objects(board, "labels"):
        trello_color = _text(label.get("color")).split("_")[0]
        name = _text(label.get("name")).strip() or trello_color or _("no colour")
        labels.append(PlannedLabel(label["id"], _cut(name, LABEL_MAX), COLORS.get(trello_color, "slate")))
    return labels


def _members(board: dict[str, Any]) -> list[PlannedMember]:
    members = {}
    for m in _objects(board, "members"):
        members[m["id"]] = PlannedMember(
            m["id"],
            _text(m.get("fullName")) or _text(m.get("username")),
            _text(m.get("username")),
            _text(m.get("email")),
        )
    for action in _objects(board, "actions"):  # authors of comments who left the board
        creator = action.get("memberCreator")
        if isinstance(creator, dict) and isinstance(creator.get("id"), str) and creator["id"] not in members:
            members[creator["id"]] = PlannedMember(
                creator["id"],
                _text(creator.get("fullName")) or _text(creator.get("username")),
                _text(creator.get("username")),
                "",
            )
    return list(members.values())


def _items(board: dict[str, Any]) -> dict[str, list[PlannedItem]]:
    by_card: dict[str, list[tuple[float, float, PlannedItem]]] = {}
    checklists = _objects(board, "checklists")
    per_card = Counter(c.get("idCard") for c in checklists)
    for checklist in checklists:
        card_id = checklist.get("idCard")
        if not isinstance(card_id, str):
            continue
        several = per_card[card_id] > 1
        prefix = f"{_text(checklist.get('name')).strip()}: " if several and checklist.get("name") else ""
        for item in checklist.get("checkItems") or []:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            text = _cut(prefix + (_text(item.get("name")).strip() or "…"), ITEM_MAX)
            planned = PlannedItem(item["id"], text, item.get("state") == "complete")
            by_card.setdefault(card_id, []).append((_pos(checklist.get("pos")), _pos(item.get("pos")), planned))
    return {card: [p for *_, p in sorted(items, key=lambda t: (t[0], t[1]))] for card, items in by_card.items()}


def _comments(board: dict[str, Any]) -> dict[str, list[PlannedComment]]:
    by_card: dict[str, list[PlannedComment]] = {}
    for action in _objects(board, "actions"):
        data = action.get("data")
        if action.get("type") != "commentCard" or not isinstance(data, dict):
            continue
        card = data.get("card")
        text = _text(data.get("text")).strip()
        if not isinstance(card, dict) or not isinstance(card.get("id"), str) or not text:
            continue
        creator: dict[str, Any] = action["memberCreator"] if isinstance(action.get("memberCreator"), dict) else {}
        author_id = _text(action.get("idMemberCreator")) or _text(creator.get("id"))
        author_name = _text(creator.get("fullName")) or _text(creator.get("username"))
        comment = PlannedComment(
            action["id"], author_id, author_name, _cut(text, COMMENT_MAX), _when(action.get("date"))
        )
        by_card.setdefault(card["id"], []).append(comment)
    for comments in by_card.values():  # Trello lists actions newest first
        comments.sort(key=lambda c: (c.at is None, c.at or datetime.min))
    return by_card


def _card(raw: dict[str, Any], columns: dict[str, PlannedColumn], first_column: str | None) -> PlannedCard:
    title = _text(raw.get("name")).strip().replace("\n", " ")
    warnings = []
    if not title:
        title = _("Untitled card")
        warnings.append(_("The card has no name: it is called “Untitled card”."))
    elif len(title) > TITLE_MAX:
        warnings.append(_("The name is longer than %(n)s characters and is cut.", n=TITLE_MAX))
    description = _text(raw.get("desc"))
    attachments = [
        (_text(a.get("name")) or _text(a.get("url")), _text(a.get("url")))
        for a in raw.get("attachments") or []
        if isinstance(a, dict) and _text(a.get("url"))
    ]
    if attachments:
        links = "\n".join(f"- [{name}]({url})" for name, url in attachments)
        description = f"{description}\n\n**{_('Attachments')}**\n\n{links}".strip()
    if len(description) > DESCRIPTION_MAX:
        warnings.append(_("The description is longer than %(n)s characters and is cut.", n=DESCRIPTION_MAX))
    list_id = raw.get("idList")
    if not isinstance(list_id, str) or not list_id:
        if first_column is None:
            raise NotATrelloExport(_("Card “%(card)s” has no list and the board has none.", card=_cut(title, 60)))
        warnings.append(_("The card is in no list: it goes to the first column."))
        list_id = first_column
    elif list_id not in columns:
        raise NotATrelloExport(
            _(
                "Card “%(card)s” (%(id)s) is in a list that is not in the export (%(list)s).",
                card=_cut(title, 60),
                id=raw["id"],
                list=list_id,
            )
        )
    due = _when(raw.get("due"))
    return PlannedCard(
        source_id=raw["id"],
        short_link=_text(raw.get("shortLink")),
        title=_cut(title, TITLE_MAX),
        description=_cut(description, DESCRIPTION_MAX),
        column_id=list_id,
        archived=bool(raw.get("closed")),
        due_on=due.date() if due else None,
        due_complete=bool(raw.get("dueComplete")),
        position=_pos(raw.get("pos")),
        label_ids=[i for i in raw.get("idLabels") or [] if isinstance(i, str)],
        member_ids=[i for i in raw.get("idMembers") or [] if isinstance(i, str)],
        attachments=attachments,
        warnings=warnings,
    )


def plan(board: dict[str, Any]) -> BoardPlan:
    """What importing this export creates, in board order, card numbers in Trello's order (idShort)."""
    columns = _columns(board)
    by_id = {c.source_id: c for c in columns}
    first_open = next((c.source_id for c in columns if not c.archived), columns[0].source_id if columns else None)
    raw_cards = _objects(board, "cards")
    numbered = sorted(
        enumerate(raw_cards),
        key=lambda pair: (not isinstance(pair[1].get("idShort"), int), pair[1].get("idShort") or 0, pair[0]),
    )
    cards = [_card(raw, by_id, first_open) for _index, raw in numbered]
    labels = _labels(board)
    known_labels = {label.source_id for label in labels}
    items, comments = _items(board), _comments(board)
    for card in cards:
        card.label_ids = [i for i in card.label_ids if i in known_labels]
        card.items = items.get(card.source_id, [])
        card.comments = comments.get(card.source_id, [])
    warnings = []
    if not columns:
        warnings.append(_("The board has no lists: nothing to import."))
    return BoardPlan(_cut(_text(board.get("name")), NAME_MAX), columns, labels, cards, _members(board), warnings)


def read(raw: bytes) -> BoardPlan:
    return plan(load(raw))
