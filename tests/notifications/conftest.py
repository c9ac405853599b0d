"""The live server (tests/live.py) for the bell's socket test, shared with the rest of the run."""

from __future__ import annotations

from tests.live import live_server  # noqa: F401  (the fixture, re-exported)
from tests.portal.conftest import planned  # noqa: F401  (a week's plan of two cards, for review news)
