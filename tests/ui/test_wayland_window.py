"""The kiosk window under cage (the Wayland kiosk compositor ``kiosk-session`` uses), headless: full screen.

Offscreen tests cannot see a compositor: this starts cage on wlroots' headless backend and the kiosk in a child
process on Qt's wayland platform, and checks the window's geometry (Qt's, as the compositor configured it)
against the output's, and that the kiosk does not fight the compositor (docs/kiosk-pc.md, "Wayland").
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .test_x11_window import SIZES
from .xserver import cage, kiosk_on, wait_until, weston

OUTPUT = [0, 0, 1280, 720]  # wlroots' headless output


def test_under_cage_the_kiosk_covers_the_whole_output_and_leaves_it_be(tmp_path: Path) -> None:
    with cage() as wl, kiosk_on(wl, tmp_path) as k:  # skips, with the reason, only when cage is not installed
        wait_until(lambda: k.state()["geometry"] == OUTPUT and bool(k.state()["exposed"]), 30)
        assert k.state()["screen_geometry"] == OUTPUT
        assert k.clipped() == []
        restored = int(k.state()["restored"])  # type: ignore[call-overload]
        time.sleep(1.5)  # three watchdog ticks
        # a Wayland client cannot see its focus or stacking: the watchdog must not keep hiding and re-showing
        # the window (that destroys its surface; it did, twice a second, before it knew about Wayland)
        assert int(k.state()["restored"]) == restored  # type: ignore[call-overload]
        assert k.state()["geometry"] == OUTPUT


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_under_weston_kiosk_shell_the_kiosk_covers_the_output_at_every_size(tmp_path: Path, width: int,
                                                                             height: int) -> None:
    """The four kiosk screens on Wayland (weston's kiosk shell, headless, at each size), nothing clipped.

    Exposed at least once, not throughout: headless weston stops sending frame callbacks once nothing changes on
    screen, and Qt then counts the window as not exposed (seen after about 2 s at 1366x768)."""
    with weston(width, height) as wl, kiosk_on(wl, tmp_path) as k:
        wait_until(lambda: k.state()["geometry"] == [0, 0, width, height] and k.was_exposed, 30)
        assert k.state()["screen_geometry"] == [0, 0, width, height]
        assert k.clipped() == []
        restored = int(k.state()["restored"])  # type: ignore[call-overload]
        time.sleep(1.5)  # three watchdog ticks: it leaves the compositor's full-screen window be
        assert int(k.state()["restored"]) == restored  # type: ignore[call-overload]
        assert k.state()["geometry"] == [0, 0, width, height]
