#!/usr/bin/env bash
# Builds the kiosk PC's offline installer: dist/campus-kiosk_<version>_<arch>.deb
#
#   bash installer/build-deb.sh            # needs the network (PyPI) once, on the build machine only
#
# The .deb carries a PyInstaller one-folder bundle (its own Python, Qt and every library) in /opt/campus-kiosk,
# so the kiosk PC needs neither PyPI nor a Python of its own: `dpkg -i` works with the network off.
# Steps: 1. a wheel of the project; 2. a fresh venv with that wheel installed (the wheel check: the installed
# package upgrades a new database with the migrations it carries); 3. the bundle; 4. the .deb.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
OUT=${OUT:-dist}
BUILD=${BUILD:-build/deb}
rm -rf "$BUILD"
mkdir -p "$BUILD" "$OUT"

echo "build-deb: 1/4 wheel"
"$PY" -m pip wheel -q --no-deps -w "$BUILD/wheel" . 2>&1 | grep -v "Location .* is ignored" || true
WHEEL=$(ls "$BUILD"/wheel/campus_kiosk-*.whl)

echo "build-deb: 2/4 venv from the wheel"
"$PY" -m venv "$BUILD/venv"
"$BUILD/venv/bin/python" -m pip install -q -c installer/constraints.txt "$WHEEL" pyinstaller 2>&1 \
  | grep -v "Location .* is ignored" || true
# The wheel check: the installed package (not the checkout) finds its migrations and resources.
(cd "$BUILD" && venv/bin/python -c "import kiosk, sys; assert 'site-packages' in kiosk.__file__, kiosk.__file__")
"$BUILD/venv/bin/kiosk" db upgrade --url "sqlite:///$PWD/$BUILD/wheel-check.db"
"$BUILD/venv/bin/kiosk" resources README.md >/dev/null
# ... and files a walk-up report with a photo from it (the test runs against the installed package: the
# build folder is the working directory, so the checkout's kiosk/ is not importable).
"$BUILD/venv/bin/python" -m pip install -q -c installer/constraints.txt pytest pytest-qt 2>&1 \
  | grep -v "Location .* is ignored" || true
(cd "$BUILD" && QT_QPA_PLATFORM=offscreen venv/bin/python -m pytest -q -p no:cacheprovider --rootdir ../.. \
  -c ../../pyproject.toml ../../tests/ui/test_walkup_photo.py -W ignore::DeprecationWarning)

echo "build-deb: 3/4 bundle (PyInstaller)"
cp installer/kiosk.spec installer/kiosk-entry.py "$BUILD/"
(cd "$BUILD" && venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath work kiosk.spec)
BUNDLE="$BUILD/dist/campus-kiosk"
"$BUNDLE/kiosk" --version >/dev/null

echo "build-deb: 4/4 package"
VERSION=$("$BUILD/venv/bin/python" -c "import kiosk; print(kiosk.__version__)")
ARCH=$(dpkg --print-architecture)
ROOTFS="$BUILD/root"
mkdir -p "$ROOTFS/DEBIAN" "$ROOTFS/opt" "$ROOTFS/usr/bin" "$ROOTFS/usr/sbin" "$ROOTFS/usr/share/applications" \
  "$ROOTFS/usr/share/doc/campus-kiosk"
cp -a "$BUNDLE" "$ROOTFS/opt/campus-kiosk"
RES=/opt/campus-kiosk/_internal/kiosk/_resources
chmod 0755 "$ROOTFS$RES/session/kiosk-session" "$ROOTFS$RES/session/kiosk-loop" "$ROOTFS$RES/session/xinitrc"
ln -s /opt/campus-kiosk/kiosk "$ROOTFS/usr/bin/kiosk"
ln -s "$RES/session/kiosk-session" "$ROOTFS/usr/sbin/kiosk-session"
cp resources/session/campus-kiosk.desktop "$ROOTFS/usr/share/applications/"
cp README.md "$ROOTFS/usr/share/doc/campus-kiosk/"
[ -f docs/kiosk-pc.md ] && cp docs/kiosk-pc.md "$ROOTFS/usr/share/doc/campus-kiosk/"
SIZE=$(du -sk "$ROOTFS" | cut -f1)
GLIBC=$(ldd --version | head -1 | grep -oE '[0-9]+\.[0-9]+$')
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" -e "s/@GLIBC@/$GLIBC/" \
  installer/deb/control > "$ROOTFS/DEBIAN/control"
DEB="$OUT/campus-kiosk_${VERSION}_${ARCH}.deb"
dpkg-deb --build -Zgzip -z6 --root-owner-group "$ROOTFS" "$DEB" >/dev/null
echo "build-deb: $DEB ($(du -h "$DEB" | cut -f1))"
