"""The kiosk window on a real X server: full screen with and without a window manager, and back in front.

Offscreen tests cannot see a window manager: these start Xvfb (and openbox) and the kiosk in a child process,
and ask the X server (xwininfo, xdotool) where the window really is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
