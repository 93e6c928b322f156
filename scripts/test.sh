#!/usr/bin/env bash
# Install everything and run the test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
NEED_POPPLER=1 source "$(dirname "$0")/common.sh"
# The suite keeps files in a folder whatever a developer's .env says (an empty value wins over .env;
# tests/reports/test_storage_s3.py starts an S3 server of its own).
export S3_BUCKET=
.venv/bin/python manage.py makemigrations --check --dry-run -v0 || { echo "Missing migrations" >&2; exit 1; }
# The browser journeys check accessibility with axe-core, pinned in tests/e2e/package-lock.json (npm ci, never committed).
if [[ " $* " == *e2e* && ! -f tests/e2e/node_modules/axe-core/axe.min.js ]]; then
  command -v npm >/dev/null || { echo "The browser tests need npm for axe-core:  sudo apt-get install npm" >&2; exit 1; }
  npm ci --prefix tests/e2e --no-audit --no-fund --silent
fi
# The suite runs on every core (pytest-xdist; each worker has its own test database). The browser
# journeys run in two processes, each with its own live server, database and Chromium, a file
# each at a time (they wait on the browser as much as they compute); `-n 0` (or `-n N`) overrides.
parallel=(-n auto --dist loadscope)
if [[ " $* " == *e2e* ]]; then
  parallel=(-n 2 --dist loadfile)
fi
if [[ " $* " == *" -n "* || " $* " == *" -n0 "* || " $* " == *" -p no:xdist "* ]]; then
  parallel=()
fi
exec .venv/bin/python -m pytest "${parallel[@]}" "$@"
