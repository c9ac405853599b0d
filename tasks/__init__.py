"""The arq worker: background jobs. Jobs call into server/ features; they hold no queries of their own."""
