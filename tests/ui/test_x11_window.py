"""The kiosk window on a real X server: full screen with and without a window manager, and back in front.

Offscreen tests cannot see a window manager: these start Xvfb (and openbox) and the kiosk in a child process,
and ask the X server (xwininfo, xdotool) where the window really is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from kiosk.ui import theme

from .xserver import kiosk_on, wait_until, xserver

SIZES = [(1366, 768), (1920, 1080), (1280, 1024), (1080, 1920)]


@pytest.mark.parametrize("wm", [False, True], ids=["bare-x", "openbox"])
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_kiosk_covers_the_whole_screen(tmp_path: Path, width: int, height: int, wm: bool) -> None:
    with xserver(width, height, wm=wm) as x, kiosk_on(x, tmp_path) as k:
        wait_until(lambda: k.x_geometry() == (0, 0, width, height, "IsViewable"), 30)
        assert k.state()["geometry"] == [0, 0, width, height]


def test_iconified_or_on_another_desktop_the_kiosk_is_back_in_front_within_2_s(tmp_path: Path) -> None:
    with xserver(1366, 768, wm=True) as x, kiosk_on(x, tmp_path) as k:
        wait_until(lambda: k.x_geometry() == (0, 0, 1366, 768, "IsViewable") and k.focused(), 30)
        took = []

        def in_front() -> bool:
            return k.x_geometry() == (0, 0, 1366, 768, "IsViewable") and k.focused()

        def restored_more_than(n: object) -> bool:
            return bool(int(k.state()["restored"]) > int(n) and in_front())  # type: ignore[call-overload]

        before = k.state()["restored"]
        x.run("xdotool", "windowminimize", k.window_id())
        took.append(wait_until(lambda: restored_more_than(before), 2.0))
        for desktop in ("1", "2"):
            before = k.state()["restored"]
            x.run("xdotool", "set_desktop", desktop)
            took.append(wait_until(lambda n=before: restored_more_than(n), 2.0))  # type: ignore[misc]
        print("back in front after", ", ".join(f"{t:.2f} s" for t in took))


def test_a_new_resolution_refills_the_screen(qtbot: object) -> None:
    """QScreen.geometryChanged (a new resolution, a monitor's layout changed) makes the window fill it again."""
    from PySide6.QtGui import QGuiApplication
    from pytestqt.qtbot import QtBot

    from kiosk.ui.main_window import KioskWindow

    assert isinstance(qtbot, QtBot)
    window = KioskWindow()
    qtbot.addWidget(window)
    window.present()
    screen = QGuiApplication.primaryScreen()
    qtbot.waitUntil(lambda: window.geometry() == screen.geometry())
    window.setGeometry(10, 10, 300, 200)  # as if the screen had grown under it
    assert window.geometry() != screen.geometry()
    screen.geometryChanged.emit(screen.geometry())
    qtbot.waitUntil(lambda: window.geometry() == screen.geometry(), timeout=2000)
    window.unlock()


RESIZES = [(1366, 768), (1920, 1080), (1280, 1024), (1080, 1920), (1366, 768)]  # grows, shrinks, turns portrait


@pytest.mark.parametrize("wm", [False, True], ids=["bare-x", "openbox"])
def test_the_kiosk_follows_a_new_resolution_within_2_s_with_nothing_clipped(tmp_path: Path, wm: bool) -> None:
    """xrandr switches the running X server's mode; the window refills the screen and the layout rescales."""
    with xserver(*RESIZES[0], wm=wm, max_size=(1920, 1920)) as x, kiosk_on(x, tmp_path) as k:
        wait_until(lambda: k.x_geometry() == (0, 0, *RESIZES[0], "IsViewable"), 30)
        assert k.clipped() == []
        took = []
        for width, height in RESIZES[1:]:
            x.set_size(width, height)
            took.append(wait_until(lambda w=width, h=height: k.x_geometry() == (0, 0, w, h, "IsViewable"), 2.0))
            # the theme is the one the new screen gets when the kiosk starts on it
            wait_until(lambda w=width, h=height: k.state()["scale"] == theme.scale_for(QSize(w, h)), 2.0)
            # Qt hears of the new size from the window manager a moment after the X server shows it
            wait_until(lambda w=width, h=height: k.state()["geometry"] == [0, 0, w, h], 2.0)
            assert k.clipped() == [], f"at {width}x{height}"
        print("refilled the screen after", ", ".join(f"{t:.2f} s" for t in took))


@pytest.mark.parametrize("wm", [False, True], ids=["bare-x", "openbox"])
def test_a_monitor_plugged_in_or_out_leaves_the_kiosk_covering_one_whole_screen(tmp_path: Path, wm: bool) -> None:
    """A second monitor plugged in: the kiosk stays on its own screen, not spread over both; moved to the new one,
    it fills that. The monitor it is on unplugged: it moves to the one left and fills it, within 2 s."""
    with xserver(1366, 768, wm=wm, max_size=(2646, 1024)) as x, kiosk_on(x, tmp_path) as k:
        wait_until(lambda: k.x_geometry() == (0, 0, 1366, 768, "IsViewable"), 30)
        x.plug_monitor("second", 1280, 1024, 1366)
        wait_until(lambda: k.state()["screens"] == 2, 2.0)
        assert k.x_geometry() == (0, 0, 1366, 768, "IsViewable")
        assert k.state()["geometry"] == [0, 0, 1366, 768]
        x.run("xdotool", "windowmove", k.window_id(), "1400", "100")  # someone drags it to the new monitor
        wait_until(lambda: k.x_geometry() == (1366, 0, 1280, 1024, "IsViewable"), 2.0)
        wait_until(lambda: k.state()["scale"] == theme.scale_for(QSize(1280, 1024)), 2.0)
        assert k.state()["screen"] == "second"
        assert k.clipped() == []
        x.unplug_monitor("second")
        took = wait_until(lambda: k.x_geometry() == (0, 0, 1366, 768, "IsViewable"), 2.0)
        wait_until(lambda: k.state()["scale"] == theme.scale_for(QSize(1366, 768)), 2.0)
        assert k.state()["geometry"] == [0, 0, 1366, 768]
        assert k.clipped() == []
        print(f"on the remaining monitor after {took:.2f} s")
