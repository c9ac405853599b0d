"""Piccolo tables: the domain model of DESIGN.md. Rules live in pure modules, not here."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    OnDelete,
    Serial,
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


class Project(Table):
    id: Serial  # created by Piccolo; declared for type checkers
    client = ForeignKey(references=Client, null=False, on_delete=OnDelete.restrict)
    name = Varchar(length=100, required=True)
    key = Varchar(length=10, unique=True, required=True)
    hourly_rate = Numeric(digits=MONEY, null=True, default=None)
    budget_hours = Integer(null=True, default=None)
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
