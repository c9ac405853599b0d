"""Piccolo tables: the domain model of DESIGN.md. Rules live in pure modules, not here."""

from __future__ import annotations

from decimal import Decimal

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    Numeric,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

MONEY = (12, 2)


class Client(Table):
    id: Serial  # created by Piccolo; declared for type checkers
    name = Varchar(length=100, required=True)
    currency = Varchar(length=3, default="EUR")
    hourly_rate = Numeric(digits=MONEY, default=Decimal("0"))
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


class Membership(Table):
    id: Serial  # created by Piccolo; declared for type checkers
    project = ForeignKey(references=Project, null=False, on_delete=OnDelete.cascade)
    member = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    hourly_rate = Numeric(digits=MONEY, null=True, default=None)
