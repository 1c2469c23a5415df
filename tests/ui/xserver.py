"""A real X server for window tests: Xvfb at a given size (a free display number chosen at run time), openbox on
request, and the kiosk started on it in a child process (the test process itself stays on the offscreen platform).

``KIOSK_TEST_DISPLAYS`` (e.g. ``25,35``) makes the tests use those display numbers instead of letting Xvfb pick.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() == "true"
_next_fixed = 0


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        if IN_CI:
            pytest.fail(f"CI=true but {', '.join(missing)} is not installed")
        pytest.skip(f"needs {', '.join(missing)}")


def _start_xvfb(width: int, height: int) -> tuple[subprocess.Popen[bytes], str]:
    global _next_fixed
    args = ["-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp", "-noreset"]
    fixed = [d for d in os.environ.get("KIOSK_TEST_DISPLAYS", "").split(",") if d.strip()]
    if fixed:
        number = fixed[_next_fixed % len(fixed)].strip().lstrip(":")
        _next_fixed += 1
        proc = subprocess.Popen(["Xvfb", f":{number}", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        display = f":{number}"
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists() or time.monotonic() < deadline - 9.5:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb did not start on {display} (is another X server using it?)")
            time.sleep(0.05)
        if proc.poll() is not None:  # the socket is another server's: ours exited
            raise RuntimeError(f"Xvfb did not start on {display}: another X server is using it")
        return proc, display
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), *args], pass_fds=(write,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    if not number:
        proc.kill()
        raise RuntimeError("Xvfb did not start")
    return proc, f":{number}"


@dataclass
class XServer:
    display: str
    width: int
    height: int
    env: dict[str, str]

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=20, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(args)}: {done.stderr}")
        return done.stdout


@contextmanager
def xserver(width: int, height: int, *, wm: bool = False) -> Iterator[XServer]:
    need("Xvfb", "xwininfo", "xdotool", *(["openbox"] if wm else []))
    proc, display = _start_xvfb(width, height)
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    wm_proc = None
    try:
        if wm:
            wm_proc = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            server = XServer(display, width, height, env)
            deadline = time.monotonic() + 10
            while "_NET_SUPPORTING_WM_CHECK(WINDOW)" not in server.run("xprop", "-root", check=False):
                if time.monotonic() > deadline:
                    raise RuntimeError("openbox did not start")
                time.sleep(0.1)
        yield XServer(display, width, height, env)
    finally:
        for p in (wm_proc, proc):
            if p is not None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()


CHILD = """
import json, os, sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from kiosk.ui import theme
from kiosk.ui.app import KioskOptions, build

app = QApplication(sys.argv[:1])
theme.apply(app)
window, flow = build(KioskOptions(url=f"sqlite:///{os.environ['KIOSK_DATA_DIR']}/k.sqlite3", camera=None))
window.present()
flow.start()

def report():
    g = window.geometry()
    handle = window.windowHandle()
    print(json.dumps({"geometry": [g.x(), g.y(), g.width(), g.height()], "restored": getattr(window, "restored", 0),
                      "active": QApplication.activeWindow() is window, "winid": int(window.winId()),
                      "exposed": bool(handle and handle.isExposed())}), flush=True)

timer = QTimer()
timer.timeout.connect(report)
timer.start(100)
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()  # stdin closed: the end
app.exec()
"""


@dataclass
class KioskProcess:
    proc: subprocess.Popen[str]
    server: XServer
    lines: queue.Queue[dict[str, object]] = field(default_factory=queue.Queue)
    last: dict[str, object] = field(default_factory=dict)

    def state(self, timeout: float = 30.0) -> dict[str, object]:
        """The newest state line the kiosk printed (waits for the first)."""
        try:
            while True:
                self.last = self.lines.get(timeout=timeout if not self.last else 0.3)
                timeout = 0
                if self.lines.empty():
                    break
        except queue.Empty:
            if not self.last:
                raise AssertionError("the kiosk printed nothing: " + (self.proc.stderr.read()
                                     if self.proc.poll() is not None and self.proc.stderr else "")) from None
        return self.last

    def window_id(self) -> str:
        return str(self.state()["winid"])

    def x_geometry(self) -> tuple[int, int, int, int, str]:
        """What the X server says of the window: x, y, width, height and its map state."""
        info = self.server.run("xwininfo", "-id", self.window_id())

        def num(key: str) -> int:
            m = re.search(rf"{key}:\s+(-?\d+)", info)
            assert m, info
            return int(m.group(1))

        state = re.search(r"Map State:\s+(\w+)", info)
        return (num("Absolute upper-left X"), num("Absolute upper-left Y"), num("Width"), num("Height"),
                state.group(1) if state else "?")

    def focused(self) -> bool:
        return self.server.run("xdotool", "getwindowfocus", check=False).strip() == self.window_id()


@contextmanager
def kiosk_on(server: XServer, data_dir: Path) -> Iterator[KioskProcess]:
    env = {**server.env, "KIOSK_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD], env=env, cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    k = KioskProcess(proc, server)

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("{"):
                k.lines.put(json.loads(line))

    threading.Thread(target=pump, daemon=True).start()
    try:
        yield k
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def wait_until(what: object, timeout: float, step: float = 0.05) -> float:
    """Seconds until ``what()`` is true; raises when it is not within ``timeout``."""
    start = time.monotonic()
    while True:
        if what():  # type: ignore[operator]
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout} s")
        time.sleep(step)
