"""Monthly client reports (issue 16): hours, budgets, approved plans and delivered cards of a month."""
