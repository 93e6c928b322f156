#!/usr/bin/env bash
# Formatting, lint rules and the import contracts between layers (docs/ARCHITECTURE.md).
source "$(dirname "$0")/common.sh"
.venv/bin/ruff format --check .
.venv/bin/ruff check .
.venv/bin/lint-imports
