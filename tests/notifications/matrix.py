"""The authorization matrix's lines for notifications: the bell and its list, a person's own
notification (to anyone else it does not exist), their settings, the signed unsubscribe link (no
login), `@` suggestions on a card, and the admin's outbox."""

from __future__ import annotations

import os
from typing import Any

from server.rules.notifications import Kind, unsubscribe_token
from server.tables import Notification, OutboxMail
from tests.authz import LOGIN, ROLES, Expect, Row, admin_only, project_page, public, signed_in
from tests.conftest import Agency


def maxs_own(status: Expect) -> Row:
    """max's own notification: max alone; an admin included, nobody else may know it exists."""
    return {**dict.fromkeys(ROLES, Expect(404)), "max": status, "anonymous": LOGIN}


ROWS: dict[str, Row] = {
    "GET /notifications": signed_in(200),
    "GET /notifications/bell": signed_in(200),
    "POST /notifications/read-all": signed_in(Expect(303, "/notifications")),
    "POST /notifications/{notification_id:int}/open": maxs_own(Expect(303, "/tasks/")),
    "POST /notifications/{notification_id:int}/read": maxs_own(Expect(303, "/notifications")),
    "GET /notifications/settings": signed_in(200),
    "POST /notifications/settings": signed_in(422),  # an empty form chooses nothing
    # The link in an email: signed, so it needs no login and works for whoever holds it
    "GET /unsubscribe/{signed:str}": public(200),
    "POST /unsubscribe/{signed:str}": public(200),
    "GET /tasks/{task_id:int}/mentions": project_page(200),
    "GET /admin/outbox": admin_only(200),
    "GET /admin/outbox/{mail_id:int}": admin_only(200),
    "POST /admin/outbox/{mail_id:int}/send": admin_only(Expect(303, "/admin/outbox/")),
}


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    """A notification of max's about the board's card, an email in the outbox, max's unsubscribe link."""
    task_id = earlier["task_id"]
    rows = await Notification.insert(
        Notification(
            recipient=agency.max,
            kind=Kind.ASSIGNED.value,
            actor=agency.ada,
            task=task_id,
            link=f"/tasks/{task_id}",
            data={"card": "ACME-1", "title": "Homepage hero copy", "actor": "Ada Admin"},
            key="matrix",
        )
    ).returning(Notification.id)
    mails = await OutboxMail.insert(
        OutboxMail(recipient=agency.max, to_address="max@agency.test", subject="Ada assigned you", text="…", html="…")
    ).returning(OutboxMail.id)
    return {
        "notification_id": rows[0]["id"],
        "mail_id": mails[0]["id"],
        "signed": unsubscribe_token(os.environ["SECRET_KEY"], agency.max, Kind.ASSIGNED),
    }
