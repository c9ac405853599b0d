"""The one validation of the notification settings form: a channel for each kind the person may get."""

from __future__ import annotations

from server.kernel.forms import Form
from server.kernel.i18n import _
from server.rules.notifications import KINDS_FOR, Channel, Kind
from server.rules.policy import Actor


def read_choices(form: Form, me: Actor) -> dict[Kind, Channel]:
    """{kind: channel} for each kind `me` can get; a missing or unknown channel is a field error."""
    choices: dict[Kind, Channel] = {}
    for kind in KINDS_FOR[me.role]:
        raw = form.value(kind.value)
        try:
            choices[kind] = Channel(raw)
        except ValueError:
            form.error(kind.value, _("Choose in the app, by email, or off."))
    return choices
