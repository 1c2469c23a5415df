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
# The kiosk PC's installer: built from a wheel (which must carry its migrations and resources), installed with
# the network off, started to Home under Xvfb, removed. Needs root for dpkg; KIOSK_SKIP_DEB=1 skips it locally.
if [ "${KIOSK_SKIP_DEB:-}" != 1 ] && [ "$(id -u)" -eq 0 ] && command -v dpkg-deb >/dev/null; then
  echo "== installer"
  PYTHON=.venv/bin/python bash installer/build-deb.sh
  bash installer/check-deb.sh
elif [ "${CI:-}" = true ]; then
  echo "run-tests: CI=true but the installer check cannot run here (needs root and dpkg)" >&2
  exit 1
fi
