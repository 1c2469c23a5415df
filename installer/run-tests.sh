#!/usr/bin/env bash
# Sets up the project (installer/setup.sh) and runs the whole check: ruff, mypy, then pytest.
# With CI=true the PostgreSQL tests must run (server on 127.0.0.1:5432, user postgres); a skip is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff"; .venv/bin/ruff check kiosk tests migrations
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/python -m pytest "$@"
