"""Live updates: board channels, websockets, presence, catch-up after a gap or a reconnect."""
