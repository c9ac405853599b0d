"""Clients of the agency and their projects: the admin's pages and the projects list."""
