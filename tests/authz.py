"""The vocabulary of the authorization matrix: who asks (roles), what they should get (Expect),
and short helpers so that a route's expectation is one line of its feature's tests/<feature>/matrix.py.

Roles are seen from the route's objects, which the matrix fills from the agency fixture (the ACME
project, its member max, its client Acme):

- ada: agency admin
- max: member of the project
- mia: member, but not of this project (Globex only)
- cleo: client user of the project's client (Acme)
- cole: client user of another client (Globex)
- anonymous: not signed in
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ROLES = ("ada", "max", "mia", "cleo", "cole", "anonymous")
SIGNED_IN = ROLES[:-1]
NON_ADMINS = ("max", "mia", "cleo", "cole")
ROLE_NAMES = {
    "ada": "admin",
    "max": "member of the project",
    "mia": "member not of the project",
    "cleo": "client of the project's client",
    "cole": "client of another client",
    "anonymous": "anonymous",
}
SKIPPED_METHODS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Expect:
    """A status, and for redirects where they must lead (a prefix of the Location header)."""

    status: int
    location: str | None = None
    json: bool = False

    def __str__(self) -> str:
        return f"{self.status} to {self.location}" if self.location else str(self.status)


LOGIN = Expect(303, "/login?next=")  # a page asks an anonymous visitor to sign in first
API_LOGIN = Expect(401, json=True)  # the JSON API answers a problem detail instead

Status = int | Expect
Row = dict[str, Expect]


def expect(value: Status) -> Expect:
    return value if isinstance(value, Expect) else Expect(value)


def public(status: Status, *, anonymous: Status | None = None) -> Row:
    """Everyone gets the same answer (the anonymous visitor may differ)."""
    row = dict.fromkeys(ROLES, expect(status))
    if anonymous is not None:
        row["anonymous"] = expect(anonymous)
    return row


def signed_in(status: Status) -> Row:
    """Any signed-in user; the anonymous visitor is sent to sign in."""
    return {**dict.fromkeys(SIGNED_IN, expect(status)), "anonymous": LOGIN}


def admin_only(status: Status) -> Row:
    """Agency administration: to everyone else the page does not exist."""
    return {"ada": expect(status), **dict.fromkeys(NON_ADMINS, Expect(404)), "anonymous": LOGIN}


def project_page(status: Status, *, clients: bool = True) -> Row:
    """A page of the ACME project: its members and admins; its client's users when shared (ACME is)."""
    row = {**dict.fromkeys(ROLES, Expect(404)), "ada": expect(status), "max": expect(status), "anonymous": LOGIN}
    if clients:
        row["cleo"] = expect(status)
    return row


def project_work(status: Status, *, client_status: Status = 403) -> Row:
    """A change to the ACME project: members and admins; its client may look but not change (403)."""
    return {**project_page(status), "cleo": expect(client_status)}


def agency(status: Status) -> Row:
    """The agency's own pages (time tracking): every admin and member; clients' users get 404."""
    return {
        **dict.fromkeys(("ada", "max", "mia"), expect(status)),
        "cleo": Expect(404),
        "cole": Expect(404),
        "anonymous": LOGIN,
    }


def own_entry(status: Status) -> Row:
    """max's time entry on ACME: max and admins; nobody else may know it exists."""
    return {**dict.fromkeys(ROLES, Expect(404)), "ada": expect(status), "max": expect(status), "anonymous": LOGIN}


def api(row: Mapping[str, Status]) -> Row:
    """A JSON API route: like a page, except that anonymous gets 401 with a problem detail."""
    return {**{role: expect(status) for role, status in row.items()}, "anonymous": API_LOGIN}


def route_key(method: str, path: str) -> str:
    return f"{method} {path}"


def route_keys(app: Any) -> list[str]:
    """'METHOD /path/{param:type}' for every route handler the app serves, HEAD and OPTIONS aside."""
    keys: set[str] = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            for method in getattr(handler, "http_methods", ()):
                if method not in SKIPPED_METHODS:
                    keys.add(route_key(method, route.path))
    return sorted(keys, key=lambda k: (k.split(" ", 1)[1], k))


PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def fill(path: str, values: Mapping[str, Any]) -> str:
    """The path template with each parameter replaced; an unknown parameter is a KeyError naming it."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"no value for path parameter {name!r} in {path}: add one to its feature's values()")
        return str(values[name])

    return PARAM.sub(value, path)
