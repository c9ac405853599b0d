"""Accounts: signing in and out, sessions, login throttling, personal API tokens, the profile page and
the admin's user pages."""
