"""Several web processes and workers, started from the Procfile's lines, and what operators read
beside it (docker-compose.yml)."""
