"""Plumbing every feature stands on: settings, database, request helpers, access loaders, forms,
errors, translations, templates. Imports no feature."""
