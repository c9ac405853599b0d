"""The client portal: a client user's overview of their shared projects, plans awaiting their review
and hours logged per week (never rates, amounts or internal comments)."""
