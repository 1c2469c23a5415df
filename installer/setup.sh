#!/usr/bin/env bash
# Sets up the campus kiosk on Debian/Ubuntu: system packages, a virtualenv in .venv, the package itself.
#   bash installer/setup.sh          # runtime + developer tools (tests, ruff, mypy)
# Needs Python 3.11+ with venv. System packages (installed with apt-get when missing and we are root or have sudo):
#   see APT_PKGS below (Qt xcb libraries, zbar, fonts, Xvfb)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
APT_PKGS=(python3-venv libzbar0 libgl1 libglib2.0-0 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 fonts-dejavu-core libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 xvfb xauth openbox xdotool x11-utils x11-xserver-utils cage weston xwayland imagemagick)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
    echo "setup: installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install these system packages first: ${missing[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -c installer/constraints.txt -e ".[dev]"
.venv/bin/python -m kiosk.i18n compile resources/translations >/dev/null  # the .qm files (not committed)
echo "setup: ready (.venv/bin/kiosk)"
