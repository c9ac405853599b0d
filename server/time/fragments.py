"""The live HTML of time tracking: the header timer, and what answers a timer change (the header timer
and the changed cards, swapped out of band)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from server.boards.fragments import render_update
from server.kernel.access import row_or_404
from server.kernel.i18n import _, duration
from server.kernel.templating import render_fragment
from server.realtime.hub import AGENCY
from server.rules.entries import is_long_running
from server.rules.policy import Actor, Role
from server.tables import Project
from server.time.store import running_timer


async def timer_fragment(me: Actor, *, oob: bool = False) -> str:
    """The header timer: the running entry's card and elapsed time, or an empty slot."""
    running = await running_timer(me.id) if me.role is not Role.CLIENT else None
    long = running is not None and is_long_running(running["started_at"], datetime.now(UTC))
    return render_fragment("time/_timer.html", running=running, long=long, me=me, oob=oob)


async def timer_changed(me: Actor, project: dict[str, Any], task_ids: set[int]) -> str:
    """The header timer and the changed cards, for the browser that started or stopped it.
    Unnumbered, like every writer's answer (see boards.fragments.current_state): the numbered event
    reaches this browser over its websocket."""
    # The one place time draws board cards: the board's renderer is named here only.
    cards = await render_update(project, None, AGENCY, columns=set(), card_ids=task_ids, layout=False)
    return await timer_fragment(me, oob=True) + cards


async def timer_stopped(me: Actor, stopped: dict[str, Any]) -> tuple[str, str]:
    """The answer to stopping a timer, and the toast saying how much it logged."""
    project = await row_or_404(Project, stopped["project"])
    html = await timer_changed(me, project, {stopped["task"]})
    return html, _("Stopped: %(time)s logged.", time=duration(stopped["minutes"]))
