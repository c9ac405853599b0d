"""My work (/me): the page an agency person lands on: every open card assigned to them across their
projects, grouped by when it is due; their running timer; the hours they logged today and this week
against their capacity; and plans of their projects waiting for the client's review."""
