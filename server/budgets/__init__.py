"""Budgets: every active project's burn against its hours and money budgets (the overview at /budgets)."""
