"""Kiosk benchmark (run by hand): cold start to a visible Home screen, and scan-to-card latency.

    .venv/bin/python tests/bench/bench_kiosk.py [--runs 5] [--scans 40]

Cold start is measured from outside: the wall time from launching `kiosk --demo --camera none` under Xvfb
until it prints that the Home screen is visible (interpreter start and imports included). Scan-to-card is
measured inside the app (offscreen): from the moment a decoded ScanEvent reaches the flow to the device card
being the current screen, and also from the moment a label is held up to the fake camera (decode included).
Targets (issue 4): start <= 1.5 s, scan-to-card <= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cold_start(runs: int) -> list[float]:
    data = tempfile.mkdtemp(prefix="kiosk-bench-")
    env = {**os.environ, "KIOSK_DATA_DIR": data}
    env.pop("QT_QPA_PLATFORM", None)
    kiosk = str(ROOT / ".venv" / "bin" / "kiosk")
    # the first run seeds the demo database; it is not counted
    times = []
    xvfb = shutil.which("Xvfb")
    assert xvfb, "Xvfb is needed (apt-get install xvfb)"
    display = ":97"
    server = subprocess.Popen([xvfb, display, "-screen", "0", "1920x1080x24"], stderr=subprocess.DEVNULL)
    env["DISPLAY"] = display
    time.sleep(1.0)
    try:
        for i in range(runs + 1):
            t0 = time.perf_counter()
            proc = subprocess.Popen([kiosk, "--demo", "--camera", "none"], env=env, stderr=subprocess.PIPE,
                                    text=True)
            assert proc.stderr is not None
            for line in proc.stderr:
                if "home screen visible" in line:
                    break
            elapsed = time.perf_counter() - t0
            proc.kill()
            proc.wait()
            if i > 0:
                times.append(elapsed)
    finally:
        server.kill()
        shutil.rmtree(data, ignore_errors=True)
    return times


def scan_to_card(scans: int) -> tuple[list[float], list[float]]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    data = tempfile.mkdtemp(prefix="kiosk-bench-")
    os.environ["KIOSK_DATA_DIR"] = data
    sys.path.insert(0, str(ROOT / "tests"))
    from datetime import date

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select
    from ui.conftest import FakeCamera, code128

    from kiosk.domain import schema, seed
    from kiosk.domain.db import Database
    from kiosk.domain.models import Device
    from kiosk.scan.model import ScanEvent
    from kiosk.settings import KioskPrefs
    from kiosk.ui.app import KioskOptions, build, make_scan_adapter

    app = QApplication(sys.argv[:1])
    url = f"sqlite:///{data}/bench.sqlite3"
    db = Database(url)
    schema.upgrade(db.engine)
    seed.seed(db, seed.SeedOptions(devices=20000, tickets=8000, hash_passwords=False, as_of=date.today()))
    with db.unit() as ctx:
        rows = ctx.session.execute(select(Device.asset_tag, Device.campus_id).limit(scans)).all()
    KioskPrefs(campus_id=str(rows[0][1])).save("bench.json")
    window, flow = build(KioskOptions(url=url, windowed=True, camera=None, config_name="bench.json"))
    window.resize(1920, 1080)
    window.show()
    flow.start()

    def wait(pred: object, timeout: float = 10.0) -> None:
        end = time.monotonic() + timeout
        while not pred() and time.monotonic() < end:  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.0005)

    wait(lambda: flow.runner.pending == 0)
    after_decode = []
    for tag, _ in rows:
        flow.go_home()
        wait(lambda: flow.runner.pending == 0)
        flow.on_scan(ScanEvent(tag, tag, "Code128", "camera", "zxing", time.monotonic()))
        wait(lambda: window.current is flow.card)
        assert flow.last_scan_to_card_ms is not None
        after_decode.append(flow.last_scan_to_card_ms)
    camera = FakeCamera()
    adapter = make_scan_adapter(lambda: camera, flow)
    adapter.start()
    held = []
    tmp = Path(data)
    for tag, _ in rows[: max(5, scans // 4)]:
        flow.go_home()
        wait(lambda: flow.runner.pending == 0)
        frame = code128(tag, tmp)
        t0 = time.monotonic()
        camera.hold(frame)
        wait(lambda: window.current is flow.card)
        held.append((time.monotonic() - t0) * 1000)
        camera.hold(None)
        time.sleep(0.05)
        app.processEvents()
    adapter.stop()
    flow.runner.wait()
    shutil.rmtree(data, ignore_errors=True)
    return after_decode, held


def describe(label: str, values: list[float], unit: str, target: str) -> None:
    values = sorted(values)
    p95 = values[int(0.95 * (len(values) - 1))]
    print(f"{label:<38} n={len(values):<3} median {statistics.median(values):8.1f} {unit}  p95 {p95:8.1f} {unit}"
          f"  max {values[-1]:8.1f} {unit}   ({target})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scans", type=int, default=40)
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    starts = cold_start(args.runs)
    describe("cold start to visible Home", [s * 1000 for s in starts], "ms", "target <= 1500 ms")
    after_decode, held = scan_to_card(args.scans)
    describe("scan event to device card", after_decode, "ms", "target <= 100 ms")
    describe("label held up to card (decode incl.)", held, "ms", "for information")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: Qt and the decoder threads are done, and it only adds noise
