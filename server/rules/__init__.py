"""Domain rules as pure functions (no I/O, no framework): who may do what (policy), ranks, durations,
Markdown sanitising, weeks, days, periods, rates, rounding, pricing, money, time-entry limits, sprint and
review rules, summary states. Each module has its unit tests in tests/rules/."""
