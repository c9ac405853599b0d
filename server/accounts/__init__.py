"""Signing in and out, sessions, login throttling and the admin's user pages."""
