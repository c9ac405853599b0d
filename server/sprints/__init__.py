"""Weekly sprints and the client's review of the week's plan (issue 5; the rules come first)."""
