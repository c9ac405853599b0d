"""Piccolo tables: the domain model of DESIGN.md. Rules live in pure modules, not here."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    OnDelete,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.rules.sprints import ReviewState, SprintState
from server.rules.summaries import SummaryStatus

MONEY = (12, 2)


class Client(Table):
    id: Serial  # created by Piccolo; declared for type checkers
    name = Varchar(length=100, required=True)
    currency = Varchar(length=3, default="EUR")
    hourly_rate = Numeric(digits=MONEY, null=True, default=None)  # None: people bill their own rate
    rounding_increment = Integer(default=0)
    rounding_mode = Varchar(length=10, default="up")
    archived = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class User(Table, tablename="users"):
    id: Serial  # created by Piccolo; declared for type checkers
    email = Varchar(length=254, unique=True, required=True)
    name = Varchar(length=100, required=True)
    password_hash = Varchar(length=200)
    role = Varchar(length=10, required=True)
    client = ForeignKey(references=Client, null=True, on_delete=OnDelete.restrict)
    hourly_rate = Numeric(digits=MONEY, null=True, default=None)
    locale = Varchar(length=10, default="en")
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # Part of every session's stamp: bumped when an admin deactivates the user, so reactivating
    # them does not bring back the sessions they had.
    session_epoch = Integer(default=0)
    # What an hour of this person costs the agency (issue 16; admins only, never shown to anyone else):
    # an amount in `cost_currency` (ISO 4217; "" when no cost rate is set).
    cost_rate = Numeric(digits=MONEY, null=True, default=None)
    cost_currency = Varchar(length=3, default="")


class Project(Table):
    id: Serial  # created by Piccolo; declared for type checkers
    client = ForeignKey(references=Client, null=False, on_delete=OnDelete.restrict)
    name = Varchar(length=100, required=True)
    key = Varchar(length=10, unique=True, required=True)
    hourly_rate = Numeric(digits=MONEY, null=True, default=None)
    budget_hours = Integer(null=True, default=None)
    # Budgets (issue 16): money in the client's currency beside the hours; "project" (whole project)
    # or "monthly" (a retainer: the budget starts again each calendar month).
    budget_amount = Numeric(digits=MONEY, null=True, default=None)
    budget_period = Varchar(length=10, default="project")
    budget_ends_on = Date(null=True, default=None)  # a whole-project budget's last day (None: open-ended)
    shared_with_client = Boolean(default=False)
    archived = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    # The board's event counter and card numbers: bumped in the transaction of each change.
    event_seq = Integer(default=0)
    last_task_number = Integer(default=0)
    # Sprint planning: hours each member can give the project in a week (None: not planned by capacity).
    weekly_capacity_hours = Integer(null=True, default=None)
    # What the client's people see of it (issue 11): new cards' visibility, logged hours, who works on what.
    new_cards_internal = Boolean(default=False)
    client_sees_hours = Boolean(default=True)
    client_sees_people = Boolean(default=True)
    # A fixed-fee project (issue 16): its fee in the client's currency, for the whole project or per
    # month as its budget_period says; its revenue is the fee, not hours at rates. None: billed by the hour.
    fixed_fee = Numeric(digits=MONEY, null=True, default=None)
    # Budget alerts (issue 16): the percentages of a budget at which the admins are told ("80,100"),
    # and whether the client's people see their hours against the hours budget on their portal.
    budget_thresholds = Varchar(length=40, default="80,100")
    client_sees_budget = Boolean(default=False)


class Membership(Table):
    id: Serial  # created by Piccolo; declared for type checkers
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    member = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    hourly_rate = Numeric(digits=MONEY, null=True, default=None)


class BoardColumn(Table, tablename="board_column"):
    id: Serial
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=100, required=True)
    rank = Varchar(length=64, required=True)
    wip_limit = Integer(null=True, default=None)
    wip_strict = Boolean(default=False)
    is_done = Boolean(default=False)
    archived = Boolean(default=False)


class Label(Table):
    id: Serial
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=40, required=True)
    color = Varchar(length=20, default="slate")


class Sprint(Table):
    """A project's week of work (Monday to Sunday, agency time zone) and its review by the client."""

    id: Serial
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=100, required=True)
    goal = Text(default="")
    starts_on = Date(required=True)  # a Monday
    ends_on = Date(required=True)  # the Sunday
    state = Varchar(length=10, default=SprintState.PLANNED.value)  # SprintState
    review_state = Varchar(length=20, default=ReviewState.DRAFT.value)  # ReviewState
    submitted_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    submitted_at = Timestamptz(null=True, default=None)
    reviewer = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    reviewed_at = Timestamptz(null=True, default=None)
    review_note = Text(default="")
    # The plan the client approved ({task id: {title, estimate_minutes}}), to say what changed since.
    approved_plan = JSON(default={})
    started_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    closed_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    # What closing recorded: planned and completed estimate, hours logged, cards carried over, burndown.
    result = JSON(default={})
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class Task(Table):
    id: Serial
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    number = Integer(required=True)
    column = ForeignKey(references=BoardColumn, null=False, on_delete=OnDelete.restrict)
    sprint = ForeignKey(references=Sprint, null=True, on_delete=OnDelete.set_null)  # None: the backlog
    title = Varchar(length=200, required=True)
    description = Text(default="")
    due_on = Date(null=True, default=None)
    estimate_minutes = Integer(null=True, default=None)
    billable = Boolean(default=True)
    rank = Varchar(length=64, required=True)
    version = Integer(default=1)
    archived = Boolean(default=False)
    # Internal: the agency's alone; never shown to the client's people by any route (still counted
    # in the agency's totals). False: shared with the client when the project is.
    internal = Boolean(default=False)
    # rules.priority.Priority: 0 none, 1 low, 2 normal, 3 high, 4 urgent.
    priority = SmallInt(default=0)
    important = Boolean(default=False)  # "important for the client": a mark on the card
    # The image attachment shown on top of the card on the board (issue 13); not a foreign key, so that
    # Task and Attachment do not reference each other: removing the attachment clears it in the same write.
    cover_attachment = Integer(null=True, default=None)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class TaskAssignee(Table, tablename="task_assignee"):
    id: Serial
    task = ForeignKey(references=Task, null=False, on_delete=OnDelete.cascade)
    person = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)


class TaskLabel(Table, tablename="task_label"):
    id: Serial
    task = ForeignKey(references=Task, null=False, on_delete=OnDelete.cascade)
    label = ForeignKey(references=Label, null=False, on_delete=OnDelete.cascade)


class ChecklistItem(Table, tablename="checklist_item"):
    id: Serial
    task = ForeignKey(references=Task, null=False, on_delete=OnDelete.cascade)
    text = Varchar(length=200, required=True)
    done = Boolean(default=False)
    rank = Varchar(length=64, required=True)


class Comment(Table):
    id: Serial
    task = ForeignKey(references=Task, null=True, on_delete=OnDelete.cascade)
    sprint = ForeignKey(references=Sprint, null=True, on_delete=OnDelete.cascade)
    author = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    body = Text(required=True)
    visibility = Varchar(length=10, default="internal")
    created_at = Timestamptz(default=TimestamptzNow())


class Attachment(Table):
    """A file on a card (issue 13): stored under a random key by server/attachments/storage.py; the
    name its uploader gave it lives here only. Internal or shown to the client, like comments."""

    id: Serial
    task = ForeignKey(references=Task, null=False, on_delete=OnDelete.cascade)
    uploaded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    name = Varchar(length=255, required=True)
    storage_key = Varchar(length=100, required=True)
    thumbnail_key = Varchar(length=100, default="")  # images only
    content_type = Varchar(length=100, default="application/octet-stream")
    kind = Varchar(length=10, default="file")  # rules.attachments.Kind
    size = BigInt(default=0)
    visibility = Varchar(length=10, default="internal")  # rules.attachments.Visibility
    email = JSON(default={})  # an .eml's from, to, date and subject
    created_at = Timestamptz(default=TimestamptzNow())


class Activity(Table):
    """The audit log and the board's event sequence: (project, seq) is contiguous per board."""

    id: Serial
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    seq = Integer(required=True)
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    verb = Varchar(length=40, required=True)
    task = ForeignKey(references=Task, null=True, on_delete=OnDelete.set_null)
    column = ForeignKey(references=BoardColumn, null=True, on_delete=OnDelete.set_null)
    data = JSON(default={})
    at = Timestamptz(default=TimestamptzNow())


class ApiToken(Table, tablename="api_token"):
    id: Serial
    owner = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=100, required=True)
    token_hash = Varchar(length=64, unique=True, required=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)


class StoredValue(Table, tablename="stored_value"):
    """One entry of a Litestar store kept in the database (sessions, login throttle counts), so that
    signing in and staying signed in do not depend on Redis. Keys carry their store's namespace."""

    id: Serial
    key = Varchar(length=255, unique=True, required=True)
    value = Bytea()
    expires_at = Timestamptz(null=True, default=None, index=True)  # None: never


class BillingSummary(Table, tablename="billing_summary"):
    """A billable-hours summary of one client (or all clients) over a period, computed by a worker.

    The row, not Redis, is the record of the request: the job's id derives from the row's id."""

    id: Serial
    client = ForeignKey(references=Client, null=True, on_delete=OnDelete.restrict)  # None: all clients
    period_start = Date(required=True)
    period_end = Date(required=True)  # inclusive
    status = Varchar(length=10, default=SummaryStatus.QUEUED.value)  # SummaryStatus
    progress = Integer(default=0)  # percent, while running
    attempts = Integer(default=0)
    requested_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    source = Varchar(length=10, default="request")  # request, cron
    result = JSON(default={})
    total_minutes = Integer(default=0)
    billable_minutes = Integer(default=0)  # raw
    rounded_minutes = Integer(default=0)  # billable, after the client's rounding
    amounts = JSON(default={})  # {currency: "123.45"}: all clients may bill in several currencies
    error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    finalised_at = Timestamptz(null=True, default=None)
    finalised_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    shared_with_client = Boolean(default=False)
    share_amounts = Boolean(default=False)


class TimeEntry(Table, tablename="time_entry"):
    """Logged time. A running timer has no end; at most one per person (a partial unique index)."""

    id: Serial
    task = ForeignKey(references=Task, null=False, on_delete=OnDelete.restrict)
    # The task's project, kept on the entry: summaries and locks group by it without a join.
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.restrict)
    person = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    started_at = Timestamptz(default=TimestamptzNow())
    ended_at = Timestamptz(null=True, default=None)
    minutes = Integer(default=0)
    note = Varchar(length=500, default="")
    billable = Boolean(default=True)
    locked = Boolean(default=False)
    # The finalised summary that billed this entry (None: not yet billed); such an entry is locked.
    summary = ForeignKey(references=BillingSummary, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class WeekLock(Table, tablename="week_lock"):
    """An admin's lock on a person's or a client's week: no entry in it may change."""

    id: Serial
    week_start = Date(required=True)
    person = ForeignKey(references=User, null=True, on_delete=OnDelete.cascade)
    client = ForeignKey(references=Client, null=True, on_delete=OnDelete.cascade)
    locked_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    locked_at = Timestamptz(default=TimestamptzNow())


class ShareLink(Table, tablename="share_link"):
    """A read-only link to a project's current weekly plan, for people without a login."""

    id: Serial
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    label = Varchar(length=100, default="")
    token_hash = Varchar(length=64, unique=True, required=True)  # sha256 of the secret in the URL
    password_hash = Varchar(length=200, default="")  # argon2; empty: no password
    expires_on = Date(null=True, default=None)  # last day it works (agency time zone)
    revoked_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    view_count = Integer(default=0)
    last_viewed_at = Timestamptz(null=True, default=None)


class ShareView(Table, tablename="share_view"):
    """Every view of a share link: when, from where."""

    id: Serial
    link = ForeignKey(references=ShareLink, null=False, on_delete=OnDelete.cascade)
    at = Timestamptz(default=TimestamptzNow())
    ip = Varchar(length=64, default="")
    user_agent = Varchar(length=300, default="")


class ImportRun(Table, tablename="import_run"):
    """One upload to import into a project (a Trello board, a time tracker's CSV): kept from the preview
    through the admin's mapping to the job that applies it and its report. The row is the record; the
    job's id derives from it."""

    id: Serial
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    kind = Varchar(length=10, required=True)  # imports.rules.ImportKind
    status = Varchar(length=10, default="preview")  # imports.rules.ImportStatus
    filename = Varchar(length=200, default="")
    source = Text(default="")  # the file as uploaded, decoded to text
    mapping = JSON(default={})  # the admin's choices: people, CSV columns
    progress = Integer(default=0)
    attempts = Integer(default=0)
    report = JSON(default={})  # {"counts": {...}, "lines": [[kind, source id, action, reason], ...]}
    error = Text(default="")
    requested_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)


class ImportedObject(Table, tablename="imported_object"):
    """What an import made, by its source id: importing again finds it instead of making it twice, and
    updates it only if Boardroom has not changed it since (its version then is kept here)."""

    id: Serial
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    source = Varchar(length=10, required=True)  # trello, time
    kind = Varchar(length=20, required=True)  # column, label, card, item, comment, entry
    source_id = Varchar(length=100, required=True, index=True)
    object_id = Integer(required=True)
    fingerprint = Text(default="")  # what was imported, to see whether a newer export changed it
    version = Integer(default=0)  # the card's version the import left it at


class Notification(Table):
    """One piece of news for one person (issue 13): the bell's list. What it says is drawn when it is
    shown, in the reader's language, from `kind` and `data`; `key` keeps one event from telling the
    same person twice (unique per recipient)."""

    id: Serial
    recipient = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    kind = Varchar(length=20, required=True)  # rules.notifications.Kind
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    project = ForeignKey(references=Project, null=True, on_delete=OnDelete.cascade)
    task = ForeignKey(references=Task, null=True, on_delete=OnDelete.cascade)
    link = Varchar(length=300, default="")
    data = JSON(default={})  # what the sentence needs: the card's key and title, the actor's name…
    key = Varchar(length=120, required=True)
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)


class NotificationPreference(Table, tablename="notification_preference"):
    """How one person wants one kind of news: rules.notifications.Channel (app, email, off); no row:
    the kind's default."""

    id: Serial
    person = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    kind = Varchar(length=20, required=True)
    channel = Varchar(length=10, required=True)


class OutboxMail(Table, tablename="outbox_mail"):
    """An email Boardroom sends (or would send): written with the news it carries, sent by the
    worker (tasks/worker.py: send_mail), kept with its status so the admin's outbox shows every one."""

    id: Serial
    recipient = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    to_address = Varchar(length=254, required=True)
    kind = Varchar(length=20, default="")
    subject = Varchar(length=300, required=True)
    text = Text(default="")
    html = Text(default="")
    unsubscribe_url = Varchar(length=500, default="")
    status = Varchar(length=10, default="queued")  # queued, sent, failed, held (no SMTP configured)
    attempts = Integer(default=0)
    last_error = Text(default="")
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)


class EntryRollup(Table, tablename="entry_rollup"):
    """Logged minutes summed per (agency day, project, person, task, billable, billing summary),
    priced with the rate and rule in force when the row was last written; rewritten by
    time.rollup_writes in the same transaction as every entry write, so billing summaries read a
    few rows per person and day instead of every entry. Plain integer columns, no foreign keys:
    the entries it sums already hold those (and block deleting what they point at)."""

    id: Serial
    day = Date(required=True)  # in entry_rollup_zone's time zone
    project = Integer(required=True)
    person = Integer(required=True)
    task = Integer(required=True)
    billable = Boolean(default=True)
    summary = Integer(default=0)  # the finalised summary that billed these entries; 0: none yet
    entries = Integer(default=0)
    minutes = BigInt(default=0)
    rounded = BigInt(default=0)  # billable minutes after the client's rounding, entry by entry
    amount = BigInt(default=0)  # minor units, each entry quantised half up, then summed
    rate_cents = BigInt(null=True, default=None)
    rule = BigInt(default=0)  # time.rollup_store.RULE: rate source, rounding and currency fraction


class EntryRollupZone(Table, tablename="entry_rollup_zone"):
    """The time zone entry_rollup's days are counted in (one row): a changed BOARDROOM_TZ rebuilds it."""

    id: Serial
    zone = Varchar(length=64, required=True)


class EntryRollupPersonMonth(Table, tablename="entry_rollup_person_month"):
    """entry_rollup summed per (month, project, person, summary): a summary's project and person
    lines for the whole months of its period. Derived from entry_rollup by time.rollup_writes
    whenever those rows change; the rate and rule it was priced with, lowest and highest, say
    whether it is stale."""

    id: Serial
    month = Date(required=True)  # the month's first day
    project = Integer(required=True)
    person = Integer(required=True)
    summary = Integer(default=0)
    entries = Integer(default=0)
    minutes = BigInt(default=0)
    billable_minutes = BigInt(default=0)
    rounded = BigInt(default=0)
    amount = BigInt(default=0)
    rate_low = BigInt(default=-1)  # -1: no rate
    rate_high = BigInt(default=-1)
    rule_low = BigInt(default=0)
    rule_high = BigInt(default=0)


class EntryRollupTaskMonth(Table, tablename="entry_rollup_task_month"):
    """entry_rollup summed per (month, project, task, summary): a summary's task lines for the whole
    months of its period. Derived like EntryRollupPersonMonth."""

    id: Serial
    month = Date(required=True)
    project = Integer(required=True)
    task = Integer(required=True)
    summary = Integer(default=0)
    entries = Integer(default=0)
    minutes = BigInt(default=0)
    billable_minutes = BigInt(default=0)
    rounded = BigInt(default=0)
    amount = BigInt(default=0)


class EntryRollupDay(Table, tablename="entry_rollup_project_day"):
    """entry_rollup summed per (day, project, summary): a summary's lines by day. Derived like
    EntryRollupPersonMonth."""

    id: Serial
    day = Date(required=True)
    project = Integer(required=True)
    summary = Integer(default=0)
    entries = Integer(default=0)
    minutes = BigInt(default=0)
    billable_minutes = BigInt(default=0)
    rounded = BigInt(default=0)
    amount = BigInt(default=0)


class ClientReport(Table, tablename="client_report"):
    """A client's monthly report (issue 16) once the agency shared it or made a link to it. The report
    itself is drawn when it is read, from the entry rollup, the sprints and the board's history: this
    row says whether the client's users may read it on their portal, and holds its links."""

    id: Serial
    client = ForeignKey(references=Client, null=False, on_delete=OnDelete.cascade)
    month = Date(required=True)  # the month's first day; unique per client
    shared_with_client = Boolean(default=False)
    shared_at = Timestamptz(null=True, default=None)
    shared_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class ReportLink(Table, tablename="report_link"):
    """A read-only link to a client's monthly report for people without a login: the client's copy,
    never money. Only its token's sha256 is kept, as for a plan's ShareLink."""

    id: Serial
    report = ForeignKey(references=ClientReport, null=False, on_delete=OnDelete.cascade)
    label = Varchar(length=100, default="")
    token_hash = Varchar(length=64, unique=True, required=True)
    expires_on = Date(null=True, default=None)  # last day it works (agency time zone)
    revoked_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    view_count = Integer(default=0)
    last_viewed_at = Timestamptz(null=True, default=None)


class BudgetAlert(Table, tablename="budget_alert"):
    """A budget threshold the project's admins were told of (issue 16): once per project, budget kind
    (hours or money), period (a retainer's month; rules.burn.WHOLE_PROJECT otherwise) and threshold.
    The unique index on those four is what makes two workers checking at once send one alert."""

    id: Serial
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    kind = Varchar(length=10, required=True)  # "hours" or "money"
    period_start = Date(required=True)
    threshold = Integer(required=True)  # percent
    used = BigInt(default=0)  # when it fired: minutes, or the currency's minor units
    budget = BigInt(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
