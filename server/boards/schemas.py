"""One validation per board object, used by the pages and the API alike so the two cannot drift: a
card's fields (title, description, due date, estimate, billable, priority, important), a comment and
a column. The pages read a form; the API's JSON (typed by msgspec) goes through the same checks, with
the same messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import msgspec

from server.kernel.api_router import Id, invalid
from server.kernel.forms import MAX_ID, Form, in_years, years_message
from server.kernel.i18n import _
from server.rules.durations import DurationError, parse_minutes
from server.rules.priority import KEYS as PRIORITY_KEYS
from server.rules.priority import choices_message, parse_priority
from server.tables import Task

TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 20_000
ESTIMATE_LIMIT = 1000 * 60  # minutes

COMMENT_LIMIT = 10_000
VISIBILITIES = ("internal", "client")
COLUMN_NAME_LIMIT = 100


def typed_form(raw: Mapping[str, Any], long_text: str) -> Form:
    """A submitted form with the textarea `long_text` counted as people see it: browsers send a
    textarea's line breaks as CRLF, which would count each line break twice against the limit."""
    fields = dict(raw)
    if isinstance(fields.get(long_text), str):
        fields[long_text] = fields[long_text].replace("\r\n", "\n")
    return Form(fields)


# ---- a card


def read_title(form: Form) -> str:
    return form.text("title", max_length=TITLE_LIMIT)


def read_description(form: Form) -> str:
    if "description" not in form.raw:
        form.error("description", _("This field is required."))
    return form.text("description", max_length=DESCRIPTION_LIMIT, required=False)


def check_due(form: Form, name: str, due: date | None) -> date | None:
    if due is not None and not in_years(due):
        form.error(name, years_message())
        return None
    return due


def check_estimate(form: Form, name: str, minutes: int | None) -> int | None:
    if minutes is not None and not 1 <= minutes <= ESTIMATE_LIMIT:
        form.error(name, _("Enter an estimate from 1 minute to %(n)s hours.", n=ESTIMATE_LIMIT // 60))
        return None
    return minutes


def read_due_on(form: Form) -> date | None:
    return form.date("due_on")


def read_estimate(form: Form) -> int | None:
    try:
        minutes = parse_minutes(form.value("estimate"))
    except DurationError:
        form.error("estimate", _("Enter a duration like 90, 1:30, 1h30 or 1.5h."))
        return None
    return check_estimate(form, "estimate", minutes)


def read_billable(form: Form) -> bool:
    return form.boolean("billable")


def check_priority(form: Form, name: str, value: object) -> int | None:
    """A priority named by its key ("high"); the stored level, or None (and an error on `name`)."""
    level = parse_priority(value)
    if level is None:
        form.error(name, choices_message())
        return None
    return int(level)


def read_priority(form: Form) -> int | None:
    return check_priority(form, "priority", form.raw.get("priority", ""))


def read_important(form: Form) -> bool:
    return form.boolean("important")


FIELD_READERS = {
    "title": (Task.title, read_title),
    "description": (Task.description, read_description),
    "due_on": (Task.due_on, read_due_on),
    "estimate": (Task.estimate_minutes, read_estimate),
    "billable": (Task.billable, read_billable),
    "priority": (Task.priority, read_priority),
    "important": (Task.important, read_important),
}


def read_card_fields(form: Form, *names: str) -> dict[Any, Any]:
    """The named fields of the card dialog's form as the card's column values (errors on the form)."""
    return {FIELD_READERS[name][0]: FIELD_READERS[name][1](form) for name in names}


# What the API takes. The length limits are repeated as msgspec constraints so the OpenAPI schema
# documents them; `card_values` applies the dialog's checks.

Version = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID, description="The card's version you last saw.")]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=TITLE_LIMIT)]
Description = Annotated[str, msgspec.Meta(max_length=DESCRIPTION_LIMIT, description="Markdown.")]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=ESTIMATE_LIMIT)]
# A plain string checked by `check_priority`, so the dialog and the API refuse it with one message.
PriorityKey = Annotated[
    str, msgspec.Meta(max_length=20, description="One of: " + ", ".join(PRIORITY_KEYS) + ".", examples=["high"])
]


class NewCard(msgspec.Struct, forbid_unknown_fields=True):
    column_id: Id
    title: Title


class CardChanges(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent are changed; `version` is required and must be the card's current one."""

    version: Version
    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType = msgspec.UNSET
    due_on: date | msgspec.UnsetType | None = msgspec.UNSET
    estimate_minutes: Minutes | msgspec.UnsetType | None = msgspec.UNSET
    billable: bool | msgspec.UnsetType = msgspec.UNSET
    priority: PriorityKey | msgspec.UnsetType = msgspec.UNSET
    important: bool | msgspec.UnsetType = msgspec.UNSET


class CardMove(msgspec.Struct, forbid_unknown_fields=True):
    """Put the card in `column_id` just above card `before_id` (null: at the bottom)."""

    column_id: Id
    version: Version
    before_id: Id | None = None


def refuse_errors(form: Form) -> None:
    """The API's answer to a form with errors: 422 naming the first field."""
    if form.errors:
        field, message = next(iter(form.errors.items()))
        raise invalid(field, message)


def new_card_title(card: NewCard) -> str:
    form = Form({"title": card.title})
    title = read_title(form)
    refuse_errors(form)
    return title


def card_values(changes: CardChanges) -> dict[Any, Any]:
    """The fields sent, as the card's column values, checked as the dialog checks them."""
    sent = {name: value for name, value in msgspec.structs.asdict(changes).items() if value is not msgspec.UNSET}
    form = Form(sent)
    values: dict[Any, Any] = {}
    if "title" in sent:
        values[Task.title] = read_title(form)
    if "description" in sent:
        values[Task.description] = read_description(form)
    if "due_on" in sent:
        values[Task.due_on] = check_due(form, "due_on", sent["due_on"])
    if "estimate_minutes" in sent:
        values[Task.estimate_minutes] = check_estimate(form, "estimate_minutes", sent["estimate_minutes"])
    if "billable" in sent:
        values[Task.billable] = sent["billable"]
    if "priority" in sent:
        values[Task.priority] = check_priority(form, "priority", sent["priority"])
    if "important" in sent:
        values[Task.important] = sent["important"]
    refuse_errors(form)
    return values


# ---- a comment on a card


@dataclass(frozen=True)
class CommentInput:
    body: str
    visibility: str


def read_comment(form: Form, *, by_client: bool) -> CommentInput:
    """A client's comment is for the client's eyes too; the agency chooses (internal by default)."""
    body = form.text("body", max_length=COMMENT_LIMIT)
    visibility = "client" if by_client else form.choice("visibility", VISIBILITIES)
    return CommentInput(body, visibility)


# ---- a column


@dataclass
class ColumnInput:
    name: str
    wip_limit: int | None
    wip_strict: bool
    is_done: bool


def read_column_name(form: Form) -> str:
    return form.text("name", max_length=COLUMN_NAME_LIMIT)


def read_column_form(form: Form) -> ColumnInput:
    return ColumnInput(
        name=read_column_name(form),
        wip_limit=form.integer("wip_limit", minimum=1, maximum=999),
        wip_strict=form.boolean("wip_strict"),
        is_done=form.boolean("is_done"),
    )
