"""Notifications: the bell, @mentions, email (issue 13)."""
