#!/usr/bin/env bash
# Install everything and run the test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
NEED_POPPLER=1 source "$(dirname "$0")/common.sh"
.venv/bin/python manage.py makemigrations --check --dry-run -v0 || { echo "Missing migrations" >&2; exit 1; }
exec .venv/bin/python -m pytest "$@"
