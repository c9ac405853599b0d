"""Boardroom: realtime Kanban, time tracking, sprints and billing for agencies."""
