#!/usr/bin/env bash
# Checks the kiosk PC's installer as a school would meet it (run as root, after installer/build-deb.sh):
#   1. `dpkg -i` with the network cut off (a new network namespace with no interfaces but loopback);
#   2. the installed `kiosk` (not the checkout, not the venv) upgrades a new database and starts the demo kiosk
#      to Home on a bare Xvfb 1366x768 (no window manager); a screenshot is kept;
#   3. `dpkg -r` removes it again.
#   bash installer/check-deb.sh [dist/campus-kiosk_*.deb] [screenshot.png]
set -euo pipefail
cd "$(dirname "$0")/.."
DEB=${1:-$(ls dist/campus-kiosk_*.deb | tail -1)}
SHOT=${2:-build/deb/installed-home.png}
[ "$(id -u)" -eq 0 ] || { echo "check-deb: run as root (it installs the package)" >&2; exit 2; }
command -v unshare >/dev/null && command -v Xvfb >/dev/null && command -v xdotool >/dev/null \
  || { echo "check-deb: needs unshare, Xvfb and xdotool" >&2; exit 2; }

WORK=$(mktemp -d)
cleanup() {
  [ -n "${KPID:-}" ] && kill "$KPID" 2>/dev/null || true
  [ -n "${XPID:-}" ] && kill "$XPID" 2>/dev/null || true
  dpkg -r campus-kiosk >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "check-deb: 1/3 dpkg -i with no network: $DEB"
unshare --net sh -c 'ip link set lo up 2>/dev/null; ! getent ahosts pypi.org >/dev/null 2>&1 || echo "check-deb: warning: names still resolve"; dpkg -i "$0"' "$DEB" >/dev/null
[ "$(readlink -f "$(command -v kiosk)")" = /opt/campus-kiosk/kiosk ] || { echo "check-deb: kiosk on PATH is not the package's" >&2; exit 1; }
[ -x /usr/sbin/kiosk-session ] || { echo "check-deb: kiosk-session missing" >&2; exit 1; }

echo "check-deb: 2/3 the installed kiosk"
export HOME="$WORK/home" KIOSK_DATA_DIR="$WORK/data"
mkdir -p "$HOME"
unshare --net /usr/bin/kiosk db upgrade --url "sqlite:///$WORK/new.db"
unshare --net /usr/bin/kiosk resources session/kiosk-loop >/dev/null
exec 3< <(Xvfb -displayfd 1 -screen 0 1366x768x24 -nolisten tcp 2>/dev/null & echo "pid $!"; wait)
read -r _ XPID <&3
read -r NUM <&3
export DISPLAY=":$NUM"
unset QT_QPA_PLATFORM
unshare --net /usr/bin/kiosk --demo --camera none >"$WORK/kiosk.log" 2>&1 &
KPID=$!
WIN=""
for _ in $(seq 1 120); do
  WIN=$(xdotool search --onlyvisible --name "kiosk" 2>/dev/null | head -1 || true)
  [ -n "$WIN" ] && break
  kill -0 "$KPID" 2>/dev/null || { cat "$WORK/kiosk.log" >&2; echo "check-deb: the kiosk exited" >&2; exit 1; }
  sleep 0.5
done
[ -n "$WIN" ] || { cat "$WORK/kiosk.log" >&2; echo "check-deb: no kiosk window within 60 s" >&2; exit 1; }
sleep 3
GEOM=$(xdotool getwindowgeometry "$WIN" | sed -n 's/.*Geometry: //p')
mkdir -p "$(dirname "$SHOT")"
import -window root "$SHOT" 2>/dev/null || true
COLOURS=$(convert "$SHOT" -format '%k' info: 2>/dev/null || echo 0)
echo "check-deb: kiosk window $WIN, $GEOM, screenshot $SHOT ($COLOURS colours)"
[ "${COLOURS:-0}" -gt 16 ] || { echo "check-deb: the screen is blank" >&2; exit 1; }
kill "$KPID"; wait "$KPID" 2>/dev/null || true; KPID=""

echo "check-deb: 3/3 dpkg -r"
dpkg -r campus-kiosk >/dev/null
[ ! -e /opt/campus-kiosk/kiosk ] || { echo "check-deb: /opt/campus-kiosk left behind" >&2; exit 1; }
echo "check-deb: ok"
