"""Reading the accounts' forms into checked values: a user (the admin's form and
`boardroom create-user` alike), a new password, a token's name, and where to go after signing in."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import list_currencies

from server.accounts.store import client_exists, email_in_use
from server.kernel.forms import Form
from server.kernel.i18n import SUPPORTED, _
from server.kernel.passwords import MAX_LENGTH, MIN_LENGTH
from server.rules.margin import MAX_COST_RATE
from server.rules.policy import Role


@dataclass
class UserInput:
    email: str
    name: str
    role: str
    client: int | None
    hourly_rate: Decimal | None
    locale: str


def typed(form: Form, name: str) -> str:
    """A password field exactly as typed, unstripped: spaces at either end are part of it. Anything
    but text (a file upload) is empty."""
    raw = form.raw.get(name, "")
    return raw if isinstance(raw, str) else ""


def read_password(form: Form, name: str = "password") -> str:
    """A new password, as typed: the same characters must sign in later."""
    password = typed(form, name)
    if not password.strip():
        form.error(name, _("This field is required."))
    elif len(password) < MIN_LENGTH:
        form.error(name, _("Use at least %(n)s characters.", n=MIN_LENGTH))
    elif len(password) > MAX_LENGTH:
        form.error(name, _("Use at most %(n)s characters.", n=MAX_LENGTH))
    return password


def email_taken(form: Form) -> None:
    form.error("email", _("Another user already has this email address."))


async def read_user_form(form: Form, *, user_id: int | None = None) -> UserInput:
    """A user as the admin (or the command line) describes them; `user_id` is the one being edited."""
    data = UserInput(
        email=form.email("email"),
        name=form.text("name", max_length=100),
        role=form.choice("role", [r.value for r in Role]),
        client=form.id("client", required=form.value("role") == Role.CLIENT),
        hourly_rate=form.money("hourly_rate"),
        locale=form.choice("locale", SUPPORTED),
    )
    if data.role != Role.CLIENT:
        data.client = None
    elif data.client is not None and not await client_exists(data.client):
        form.error("client", _("Choose one of the options."))
    if data.email and "email" not in form.errors and await email_in_use(data.email, except_user=user_id):
        email_taken(form)
    return data


@dataclass
class CostRateInput:
    """What an hour of a person costs the agency: an amount and its ISO 4217 currency (None and
    "": no cost rate)."""

    cost_rate: Decimal | None
    cost_currency: str


def read_cost_rate(form: Form) -> CostRateInput:
    """A person's cost rate, as the admin sets it on their page; an empty amount clears it."""
    amount = form.money("cost_rate")
    currency = form.value("cost_currency").upper()
    if amount is not None and amount > MAX_COST_RATE:
        form.error("cost_rate", _("Enter an amount from 0 to 100,000."))
    if amount is None and "cost_rate" not in form.errors:
        return CostRateInput(None, "")
    if currency not in list_currencies() or len(currency) != 3:
        form.error("cost_currency", _("Choose a currency by its ISO code, like EUR."))
    return CostRateInput(amount, currency)


def read_token_name(form: Form) -> str:
    return form.text("name", max_length=100)


def safe_next(target: str) -> str:
    """Only same-site paths: an open redirect would help phishing. Browsers drop tabs and newlines
    from a URL ("/\t/evil.test" is "//evil.test"), so no whitespace or control character passes."""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and all(ord(c) > 0x20 and c != "\x7f" for c in target)
    ):
        return target
    return "/"
