"""Billing: summaries of billable hours aggregated in SQL (compute), finalising and sharing them
(ledger), exports (export) and the hours not yet billed (unbilled); pages and jobs build on these."""
