"""Imports as states and choices (pure): what kind of file, where a run is in its life, which
Boardroom person a Trello member or a tracker's person is, and the size limit of an upload."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from enum import StrEnum

# An upload larger than this is refused before it is read: a Trello export of 5,000 cards with
# 10,000 comments is about 15 MB.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportKind(StrEnum):
    TRELLO = "trello"
    TIME = "time"


class ImportStatus(StrEnum):
    PREVIEW = "preview"  # uploaded and checked; the admin has not confirmed it
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class Outcome(StrEnum):
    """What an import did with one object, for its report."""

    CREATED = "created"
    UPDATED = "updated"
    SKIPPED = "skipped"


def folded(text: str) -> str:
    """A name or email as people mean it: case, accents and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def match_person(
    people: Iterable[Mapping[str, object]], *, email: str = "", name: str = "", username: str = ""
) -> int | None:
    """The person (id) with this email, else the one person with this name (or a name equal to the
    username); None when nobody or several people match."""
    people = list(people)
    if email:
        for person in people:
            if folded(str(person["email"])) == folded(email):
                return int(str(person["id"]))
    for wanted in (name, username):
        if not wanted:
            continue
        same = [p for p in people if folded(str(p["name"])) == folded(wanted)]
        if len(same) == 1:
            return int(str(same[0]["id"]))
        by_mailbox = [p for p in people if folded(str(p["email"]).split("@")[0]) == folded(wanted)]
        if len(by_mailbox) == 1:
            return int(str(by_mailbox[0]["id"]))
    return None
