"""Reading the admin's client, project and team forms into checked values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from server.accounts.store import client_exists
from server.clients.store import client_currency, key_in_use, may_join_teams, on_team
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.rules.burn import DEFAULT_THRESHOLDS, BudgetPeriod, read_thresholds
from server.rules.rounding import INCREMENTS, MODES

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "RUB", "CNY", "VND", "JPY", "AUD", "CAD", "SGD", "INR")
NEW_CARDS = ("shared", "internal")  # the project's default visibility of a new card
KEY = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
MAX_BUDGET_AMOUNT = Decimal("100000000")  # a hundred million in any currency: beyond it, a typo


@dataclass
class ClientInput:
    name: str
    currency: str
    hourly_rate: Decimal | None
    rounding_increment: int
    rounding_mode: str


def read_client_form(form: Form) -> ClientInput:
    increment = form.choice("rounding_increment", [str(i) for i in INCREMENTS])
    return ClientInput(
        name=form.text("name", max_length=100),
        currency=form.choice("currency", CURRENCIES),
        hourly_rate=form.money("hourly_rate"),
        rounding_increment=int(increment) if increment.isdigit() else 0,
        rounding_mode=form.choice("rounding_mode", MODES),
    )


@dataclass
class ProjectInput:
    client: int | None
    name: str
    key: str
    hourly_rate: Decimal | None
    budget_hours: int | None
    shared_with_client: bool
    weekly_capacity_hours: int | None
    # What the client's people see (issue 11): new cards' visibility, logged hours, who works on what.
    new_cards_internal: bool = False
    client_sees_hours: bool = True
    client_sees_people: bool = True
    # Budgets (issue 16): money in the client's currency, and what period the budgets cover.
    budget_amount: Decimal | None = None
    budget_period: str = BudgetPeriod.PROJECT.value
    budget_ends_on: date | None = None
    # A fixed-fee project (issue 16): its fee in the client's currency, per budget_period.
    fixed_fee: Decimal | None = None
    # Budget alerts (issue 16): the thresholds as saved ("80,100"), and the client's view of the hours budget.
    budget_thresholds: str = "80,100"
    client_sees_budget: bool = False


def key_taken(form: Form) -> None:
    form.error("key", _("Another project already uses this key."))


async def read_project_form(form: Form, *, project_id: int | None = None) -> ProjectInput:
    """A project's settings; `project_id` is the one being edited."""
    data = ProjectInput(
        client=form.id("client"),
        name=form.text("name", max_length=100),
        key=form.text("key", max_length=10).upper(),
        hourly_rate=form.money("hourly_rate"),
        budget_hours=form.integer("budget_hours", maximum=1_000_000),
        shared_with_client=form.boolean("shared_with_client"),
        weekly_capacity_hours=form.integer("weekly_capacity_hours", maximum=168),
        new_cards_internal=form.value("new_cards") != "" and form.choice("new_cards", NEW_CARDS) == "internal",
        client_sees_hours=form.boolean("client_sees_hours"),
        client_sees_people=form.boolean("client_sees_people"),
        budget_amount=form.money("budget_amount"),
        budget_period=form.choice("budget_period", [p.value for p in BudgetPeriod])
        if form.value("budget_period")
        else BudgetPeriod.PROJECT.value,
        budget_ends_on=form.date("budget_ends_on"),
    )
    data.fixed_fee = form.money("fixed_fee")
    data.budget_thresholds = _thresholds(form)
    data.client_sees_budget = form.boolean("client_sees_budget")
    if data.budget_ends_on is not None and data.budget_period == BudgetPeriod.MONTHLY.value:
        form.error("budget_ends_on", _("A monthly budget starts again each month: leave the end date empty."))
    if data.client is not None and not await client_exists(data.client):
        form.error("client", _("Choose one of the options."))
    await _check_budget_amount(form, data)
    await _check_fixed_fee(form, data)
    if data.key and "key" not in form.errors:
        if not KEY.match(data.key):
            form.error("key", _("Use 2 to 10 capital letters or digits, starting with a letter, like ACME."))
        elif await key_in_use(data.key, except_project=project_id):
            key_taken(form)
    return data


async def _check_budget_amount(form: Form, data: ProjectInput) -> None:
    """A money budget is in the client's currency: absurd sums and a client without one are refused."""
    if data.budget_amount is None or "budget_amount" in form.errors:
        return
    if data.budget_amount > MAX_BUDGET_AMOUNT:
        form.error("budget_amount", _("Enter an amount from 0 to 100,000,000."))
    elif data.client is not None and "client" not in form.errors and not await client_currency(data.client):
        form.error("budget_amount", _("Give the client a currency before setting a money budget."))


async def _check_fixed_fee(form: Form, data: ProjectInput) -> None:
    """A fixed fee is in the client's currency, like a money budget: absurd sums and a client without
    one are refused."""
    if data.fixed_fee is None or "fixed_fee" in form.errors:
        return
    if data.fixed_fee > MAX_BUDGET_AMOUNT:
        form.error("fixed_fee", _("Enter an amount from 0 to 100,000,000."))
    elif data.client is not None and "client" not in form.errors and not await client_currency(data.client):
        form.error("fixed_fee", _("Give the client a currency before setting a fixed fee."))


def _thresholds(form: Form) -> str:
    """A budget's alert thresholds as saved ("80,100"); the defaults when the field is left empty."""
    found = read_thresholds(form.value("budget_thresholds"))
    if found is None:
        form.error(
            "budget_thresholds", _("Use up to 6 whole percentages from 1 to 200, comma separated, like 80, 100.")
        )
        return ",".join(str(t) for t in DEFAULT_THRESHOLDS)
    return ",".join(str(t) for t in found)


@dataclass
class MembershipInput:
    user: int | None
    hourly_rate: Decimal | None


def already_on_team(form: Form) -> None:
    form.error("user", _("Already on this project."))


async def read_membership_form(form: Form, project_id: int) -> MembershipInput:
    """A person of the agency to put on this project's team, with their rate there (optional)."""
    data = MembershipInput(user=form.id("user"), hourly_rate=form.money("member_rate"))
    if data.user is not None and not await may_join_teams(data.user):
        form.error("user", _("Choose one of the options."))
    elif data.user is not None and await on_team(project_id, data.user):
        already_on_team(form)
    return data
