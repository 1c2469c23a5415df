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
from typing import IO

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
    args = ["-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp", "-noreset", "+extension", "RANDR"]
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

    def set_size(self, width: int, height: int) -> None:
        """A new resolution, as a monitor's settings or ``xrandr -s`` give one: the screen's one output switches
        to a ``width`` x ``height`` mode and the root window follows (RandR sends Qt the change).

        Xvfb cannot grow its framebuffer past the size it started with: start it with ``max_size``.
        """
        name = f"{width}x{height}_kiosk"
        if name not in self.run("xrandr"):
            # Xvfb draws nothing on a monitor, so the timings only need to be a valid mode line
            self.run("xrandr", "--newmode", name, "60", str(width), str(width + 8), str(width + 16),
                     str(width + 24), str(height), str(height + 1), str(height + 2), str(height + 3))
            self.run("xrandr", "--addmode", OUTPUT, name)
        self.run("xrandr", "--output", OUTPUT, "--mode", name, "--pos", "0x0", "--fb", f"{width}x{height}")
        self.width, self.height = width, height

    def plug_monitor(self, name: str, width: int, height: int, x: int, y: int = 0) -> None:
        """A second monitor at ``x``, ``y`` (a RandR 1.5 monitor on the grown framebuffer, which Qt takes for a
        screen of its own, as it does a monitor plugged in); ``unplug_monitor`` takes it away again."""
        fb_w, fb_h = max(self.width, x + width), max(self.height, y + height)
        self.run("xrandr", "--fb", f"{fb_w}x{fb_h}")
        self.run("xrandr", "--setmonitor", name, f"{width}/{width * 254 // 960}x{height}/{height * 254 // 960}"
                 f"+{x}+{y}", "none")

    def unplug_monitor(self, name: str) -> None:
        self.run("xrandr", "--delmonitor", name)
        self.run("xrandr", "--fb", f"{self.width}x{self.height}")


OUTPUT = "screen"  # the name of Xvfb's one RandR output


@contextmanager
def xserver(width: int, height: int, *, wm: bool = False, max_size: tuple[int, int] | None = None) -> Iterator[XServer]:
    """Xvfb showing ``width`` x ``height``; with ``max_size``, its framebuffer can later grow to that (set_size)."""
    need("Xvfb", "xwininfo", "xdotool", *(["openbox"] if wm else []), *(["xrandr"] if max_size else []))
    proc, display = _start_xvfb(*(max_size or (width, height)))
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    wm_proc = None
    try:
        if max_size:
            XServer(display, *max_size, env).set_size(width, height)
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
from PySide6.QtCore import QObject, QPoint, QRect, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget
from kiosk.ui import theme
from kiosk.ui.app import KioskOptions, build
from tests.ui.test_window_size import CHECKED, clipped_text

app = QApplication(sys.argv[:1])
theme.apply(app)
window, flow = build(KioskOptions(url=f"sqlite:///{os.environ['KIOSK_DATA_DIR']}/k.sqlite3", camera=None))
window.present()
flow.start()

def clipped():
    # what is cut off on the screen shown: text wider than its control, a control outside the window
    out, screen, seen = [], window.current, window.rect()
    for w in screen.findChildren(QWidget):
        if not isinstance(w, CHECKED) or not w.isVisibleTo(window):
            continue
        where = QRect(w.mapTo(window, QPoint(0, 0)), w.size())
        text = getattr(w, "text", lambda: "")() or type(w).__name__
        if not seen.contains(where):
            out.append(f"{text[:30]!r} is outside the window: {where.getRect()}")
        why = clipped_text(w)
        if why:
            out.append(f"{text[:30]!r}: {why}")
    return out

def report(check=False):
    g = window.geometry()
    handle = window.windowHandle()
    state = {"geometry": [g.x(), g.y(), g.width(), g.height()], "restored": getattr(window, "restored", 0),
             "active": QApplication.activeWindow() is window, "winid": int(window.winId()),
             "exposed": bool(handle and handle.isExposed()), "scale": theme.scale(),
             "screen": window.screen().name() if window.screen() else None, "screens": len(app.screens()),
             "screen_geometry": window.screen().geometry().getRect() if window.screen() else None}
    if check:
        state["clipped"] = clipped()
    print(json.dumps(state), flush=True)

class Commands(QObject):
    check = Signal()

commands = Commands()
commands.check.connect(lambda: report(check=True))  # queued: runs on the GUI thread
timer = QTimer()
timer.timeout.connect(report)
timer.start(100)

def read_commands():
    for line in sys.stdin:  # "check": report what is clipped; stdin closed: the end
        if line.strip() == "check":
            commands.check.emit()
    os._exit(0)

threading.Thread(target=read_commands, daemon=True).start()
app.exec()
"""


@dataclass
class KioskProcess:
    proc: subprocess.Popen[str]
    server: XServer
    lines: queue.Queue[dict[str, object]] = field(default_factory=queue.Queue)
    last: dict[str, object] = field(default_factory=dict)
    was_exposed: bool = False  # some state line, read or skipped, said the window was exposed

    def state(self, timeout: float = 30.0) -> dict[str, object]:
        """The newest state line the kiosk printed (waits for the first)."""
        try:
            while True:
                self.last = self.lines.get(timeout=timeout if not self.last else 0.3)
                self.was_exposed = self.was_exposed or bool(self.last.get("exposed"))
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
        done = subprocess.run(["xwininfo", "-id", self.window_id()], env=self.server.env, capture_output=True,
                              text=True, timeout=20, check=False)
        if done.returncode != 0:  # the window manager was just re-framing it (BadDrawable): not there this time
            return (0, 0, 0, 0, "error: " + done.stderr.strip()[:80])
        info = done.stdout

        def num(key: str) -> int:
            m = re.search(rf"{key}:\s+(-?\d+)", info)
            assert m, info
            return int(m.group(1))

        state = re.search(r"Map State:\s+(\w+)", info)
        return (num("Absolute upper-left X"), num("Absolute upper-left Y"), num("Width"), num("Height"),
                state.group(1) if state else "?")

    def clipped(self, timeout: float = 10.0) -> list[str]:
        """What is cut off on the screen the kiosk shows (text wider than its control, a control off the window)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("check\n")
        self.proc.stdin.flush()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.last = line
            if "clipped" in line:
                return list(line["clipped"])  # type: ignore[call-overload]
        raise AssertionError("the kiosk did not answer 'check'")

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


def _stop_compositor(proc: subprocess.Popen[bytes], log: IO[str], runtime: Path) -> None:
    """Stop a Wayland compositor started by ``cage`` or ``weston`` and remove its runtime folder and log."""
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    log.close()
    shutil.rmtree(runtime, ignore_errors=True)
    Path(log.name).unlink(missing_ok=True)


@contextmanager
def cage() -> Iterator[XServer]:
    """cage, the Wayland kiosk compositor the locked session uses, on wlroots' headless backend (no GPU, no input
    devices, one 1280x720 output, drawn with pixman): the ``env`` of what it yields points a Wayland client at it.

    cage refuses to run as root (it cannot drop root's rights for good): as root it runs as ``nobody`` and the
    kiosk, started by ``kiosk_on`` as this user, connects to its socket (root may). Its own child only waits: in a
    real session the kiosk is that child (``kiosk-session run``), which changes nothing the window sees.
    """
    import pwd
    import tempfile

    need("cage")
    runtime = Path(tempfile.mkdtemp(prefix="kiosk-cage-"))
    as_user: list[str] = []
    if os.getuid() == 0:
        try:
            nobody = pwd.getpwnam("nobody")
        except KeyError:
            pytest.skip("running as root and there is no 'nobody' user for cage to run as")
        os.chown(runtime, nobody.pw_uid, nobody.pw_gid)
        as_user = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    runtime.chmod(0o700)
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    compositor_env = {**base, "XDG_RUNTIME_DIR": str(runtime), "WLR_BACKENDS": "headless",
                      "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman", "HOME": str(runtime)}
    log = open(runtime.parent / f"{runtime.name}.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([*as_user, "cage", "--", "sleep", "3600"], env=compositor_env, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while not (sockets := sorted(runtime.glob("wayland-*[0-9]"))):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError("cage did not start: " + Path(log.name).read_text()[-800:])
            time.sleep(0.05)
        env = {**base, "XDG_RUNTIME_DIR": str(runtime), "WAYLAND_DISPLAY": sockets[0].name,
               "QT_QPA_PLATFORM": "wayland"}
        yield XServer(sockets[0].name, 1280, 720, env)
    finally:
        _stop_compositor(proc, log, runtime)


@contextmanager
def weston(width: int, height: int) -> Iterator[XServer]:
    """Weston with its kiosk shell (every window full screen, as in a kiosk session) on its headless backend at
    ``width`` x ``height``: the second Wayland compositor, and the one whose output size can be chosen (cage's
    headless output is always 1280x720). The ``env`` of what it yields points a Wayland client at it."""
    import tempfile

    need("weston")
    runtime = Path(tempfile.mkdtemp(prefix="kiosk-weston-"))
    runtime.chmod(0o700)
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env = {**base, "XDG_RUNTIME_DIR": str(runtime)}
    log = open(runtime.parent / f"{runtime.name}.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(["weston", "--backend=headless-backend.so", "--shell=kiosk-shell.so", "--use-pixman",
                             f"--width={width}", f"--height={height}", "--socket=wayland-kiosk", "--idle-time=0"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while not (runtime / "wayland-kiosk").exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError("weston did not start: " + Path(log.name).read_text()[-800:])
            time.sleep(0.05)
        yield XServer("wayland-kiosk", width, height,
                      {**env, "WAYLAND_DISPLAY": "wayland-kiosk", "QT_QPA_PLATFORM": "wayland"})
    finally:
        _stop_compositor(proc, log, runtime)
