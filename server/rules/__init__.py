"""Domain rules as pure functions (no I/O): who may do what, ranks, durations, weeks, rates,
rounding, money, entry limits, sprints and reviews. Each module has its unit tests in tests/rules/."""
