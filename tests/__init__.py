"""Boardroom's tests. Importing this package first points the environment at the test database
and Redis (see settings.py), before any server module builds an engine."""

from tests import settings  # noqa: F401
