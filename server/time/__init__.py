"""Time tracking: timers, manual entries, timesheets, locks; rates, rounding and weeks as pure rules."""
