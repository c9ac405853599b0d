"""A board page as a browser holds it, in Python: a small DOM (the standard library's HTML parser),
htmx 2's out-of-band swaps applied to it as htmx applies them, and board.js's part (the sequence
number's bookkeeping, a column's look following its counter). Enough to check that the fragments of
a board event turn the page drawn before it into the page drawn after it.

htmx's rules followed (htmx 2.0.11, `oobSwap`; its websocket extension swaps every top-level element
of a message, `hx-swap-oob` defaulting to "true"):
- `true` or `outerHTML`: the element replaces the one with its id;
- `delete`: the element with its id goes;
- `beforebegin`, `afterbegin`, `beforeend`, `afterend` (`strategy:selector`, or the element's id): the
  element's children are inserted there, the element itself (the wrapper) left behind;
- a target that is not there: nothing happens (htmx raises htmx:oobErrorNoTarget);
- swaps apply in document order.
Selectors are ids only (`#task-9`): the board's swaps need no more, and anything else fails loudly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SEQ = re.compile(r'data-seq="(\d+)"')


@dataclass
class Node:
    tag: str  # "#text" for text, "#comment" for comments
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    text: str = ""
    parent: Node | None = field(default=None, repr=False)

    def append(self, child: Node) -> None:
        child.parent = self
        self.children.append(child)

    def elements(self) -> list[Node]:
        return [c for c in self.children if c.tag[0] != "#"]

    def walk(self) -> Any:
        yield self
        for child in self.children:
            yield from child.walk()

    def by_id(self, element_id: str) -> Node | None:
        return next((n for n in self.walk() if n.attrs.get("id") == element_id), None)

    def index(self) -> int:
        assert self.parent is not None
        return next(i for i, c in enumerate(self.parent.children) if c is self)

    def detach(self) -> None:
        if self.parent is not None:
            del self.parent.children[self.index()]
            self.parent = None

    def insert(self, position: int, nodes: list[Node]) -> None:
        for offset, node in enumerate(nodes):
            node.detach()
            node.parent = self
            self.children.insert(position + offset, node)

    def closest_class(self, name: str) -> Node | None:
        node: Node | None = self
        while node is not None and name not in node.attrs.get("class", "").split():
            node = node.parent
        return node


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].append(Node("#text", text=data))

    def handle_comment(self, data: str) -> None:
        self.stack[-1].append(Node("#comment", text=data))


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


# ---- htmx


def _target(page: Node, selector: str) -> Node | None:
    if not re.fullmatch(r"#[\w-]+", selector):
        raise AssertionError(f"the wire uses a selector this model does not know: {selector!r}")
    return page.by_id(selector[1:])


def oob_swap(page: Node, element: Node) -> None:
    """One out-of-band element swapped into `page`, as htmx's oobSwap does."""
    value = element.attrs.pop("hx-swap-oob", "true")
    strategy, selector = "outerHTML", "#" + element.attrs.get("id", "")
    if ":" in value:
        strategy, selector = value.split(":", 1)
    elif value != "true":
        strategy = value
    target = _target(page, selector)
    if target is None:
        return  # htmx:oobErrorNoTarget
    parent = target.parent
    assert parent is not None
    if strategy == "outerHTML":
        parent.insert(target.index(), [element])
        target.detach()
        _board_js_after_swap(element)
    elif strategy == "delete":
        target.detach()
    elif strategy in {"beforebegin", "afterend"}:
        at = target.index() + (strategy == "afterend")
        parent.insert(at, list(element.children))
    elif strategy == "afterbegin":
        target.insert(0, list(element.children))
    elif strategy == "beforeend":
        target.insert(len(target.children), list(element.children))
    else:
        raise AssertionError(f"a swap strategy this model does not know: {strategy!r}")


def _board_js_after_swap(element: Node) -> None:
    """board.js (syncColumnState): a column's look follows its counter, swapped alone."""
    if "wip" in element.attrs.get("class", "").split() and "data-wip" in element.attrs:
        column = element.closest_class("column")
        if column is not None:
            classes = [c for c in column.attrs["class"].split() if c not in {"at-limit", "over-limit"}]
            column.attrs["class"] = " ".join(
                classes + ([element.attrs["data-wip"]] if element.attrs["data-wip"] else [])
            )


@dataclass
class Page:
    """A board page in a browser: its DOM and the last event number it applied (board.js)."""

    root: Node

    @classmethod
    def of(cls, html: str) -> Page:
        return cls(parse(html))

    @property
    def seq(self) -> int:
        found = self.root.by_id("board-seq")
        assert found is not None
        return int(found.attrs["data-seq"])

    def receive(self, message: str) -> bool:
        """A websocket message, as board.js and htmx's ws extension take it: a numbered one only if
        it is the next number (or says it answers a catch-up). True if it was applied."""
        match = SEQ.search(message[:200])
        if match and not message.startswith("<!--board-catch-up"):
            seq = int(match.group(1))
            assert seq == self.seq + 1, f"event {seq} reached a page at {self.seq}: not the next one"
        for element in parse(message).elements():
            oob_swap(self.root, element)
        return True

    def answer(self, html: str) -> None:
        """A write's HTTP answer (swap none): htmx swaps every element marked out of band."""
        marked = [n for n in parse(html).walk() if "hx-swap-oob" in n.attrs]
        for element in marked:
            oob_swap(self.root, element)

    def move_card_on_screen(self, card_id: int, column_id: int, before_id: int | None) -> None:
        """What SortableJS does in the mover's browser before the server hears of the move."""
        card = self.root.by_id(f"task-{card_id}")
        cards = self.root.by_id(f"column-{column_id}-cards")
        assert card is not None and cards is not None
        card.detach()
        before = self.root.by_id(f"task-{before_id}") if before_id else None
        cards.insert(before.index() if before is not None else len(cards.children), [card])

    # ---- what is compared: the board as a person sees it

    def board(self) -> Any:
        columns = self.root.by_id("board-columns")
        assert columns is not None
        return (self.seq, _shape(columns))

    def cards(self) -> dict[int, list[int]]:
        """The cards of each column, top to bottom: for readable failures."""
        out: dict[int, list[int]] = {}
        for node in self.root.walk():
            if node.attrs.get("class", "").split()[:1] == ["card-list"]:
                out[int(node.attrs["data-column-id"])] = [int(c.attrs["data-task-id"]) for c in node.elements()]
        return out


def _shape(node: Node) -> Any:
    """A node as compared: tag, attributes (classes as a set), its text with whitespace collapsed,
    and its children; whitespace between elements, comments and an empty style do not count."""
    if node.tag == "#text":
        return " ".join(node.text.split())
    # An empty style attribute is no style (a browser's script leaves one behind after an animation).
    attrs = {k: (frozenset(v.split()) if k == "class" else v) for k, v in node.attrs.items() if (k, v) != ("style", "")}
    children = [_shape(c) for c in node.children if c.tag != "#comment" and (c.tag != "#text" or c.text.strip())]
    return (node.tag, tuple(sorted(attrs.items(), key=lambda kv: kv[0])), tuple(children))


def difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two compared boards first differ, for a readable failure; None if they do not."""
    if isinstance(a, str) or isinstance(b, str):
        return None if a == b else f"{path}: {a!r} != {b!r}"
    tag_a, attrs_a, kids_a = a
    tag_b, attrs_b, kids_b = b
    where = f"{path}/{tag_a}{dict(attrs_a).get('id', '') and '#' + dict(attrs_a)['id']}"
    if tag_a != tag_b or attrs_a != attrs_b:
        return f"{where}: {tag_a} {dict(attrs_a)} != {tag_b} {dict(attrs_b)}"
    for i, (x, y) in enumerate(zip(kids_a, kids_b, strict=False)):
        if found := difference(x, y, f"{where}[{i}]"):
            return found
    if len(kids_a) != len(kids_b):
        return f"{where}: {len(kids_a)} children != {len(kids_b)}: {kids_a[len(kids_b) :]!r} {kids_b[len(kids_a) :]!r}"
    return None
