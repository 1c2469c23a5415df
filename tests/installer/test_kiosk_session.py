"""`kiosk-session`: the locked kiosk session is installed and removed cleanly, and its openbox has no way out.

The install runs inside a scratch root (``--root``) holding copies of this machine's account files, so the
test changes nothing on the machine. The window-manager test runs a real X server (Xvfb) with openbox.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.resources import resource_path

SESSION = resource_path("session", "kiosk-session")
ACCOUNT_FILES = ("passwd", "group", "shadow", "gshadow", "login.defs")


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.endswith("-") and p.name != ".pwd.lock"}


@pytest.fixture
def fake_root(tmp_path: Path) -> Path:
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("needs root and useradd (kiosk-session creates a user)")
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "home").mkdir()
    for name in ACCOUNT_FILES:
        if Path("/etc", name).exists():
            shutil.copy2(Path("/etc", name), root / "etc" / name)
    return root


def _session(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run(["bash", str(SESSION), *args], capture_output=True, text=True, env=env, timeout=60)


def test_install_makes_an_autologin_kiosk_user_and_uninstall_restores_the_pc(fake_root: Path) -> None:
    before = _tree(fake_root)
    done = _session("install", "--root", str(fake_root), "--display", "xorg")
    assert done.returncode == 0, done.stderr
    passwd = (fake_root / "etc/passwd").read_text()
    assert "\nkiosk:" in passwd
    assert "kiosk" in next(line for line in (fake_root / "etc/group").read_text().splitlines()
                           if line.startswith("video:"))
    autologin = (fake_root / "etc/systemd/system/getty@tty1.service.d/campus-kiosk-autologin.conf").read_text()
    assert "--autologin kiosk" in autologin
    xorg = (fake_root / "etc/X11/xorg.conf.d/90-campus-kiosk.conf").read_text()
    assert '"DontVTSwitch" "true"' in xorg and '"DontZap" "true"' in xorg
    assert "kiosk-session run xorg" in (fake_root / "home/kiosk/.bash_profile").read_text()
    assert _session("install", "--root", str(fake_root)).returncode == 2  # twice: refused, nothing doubled

    done = _session("uninstall", "--root", str(fake_root))
    assert done.returncode == 0, done.stderr
    assert _tree(fake_root) == before
    assert not (fake_root / "home/kiosk").exists()


def test_an_existing_user_keeps_their_account_and_gets_their_login_script_back(fake_root: Path) -> None:
    subprocess.run(["useradd", "--root", str(fake_root), "--create-home", "lab"], check=True)
    (fake_root / "home/lab/.bash_profile").write_text("echo mine\n")
    before = _tree(fake_root)
    assert _session("install", "--root", str(fake_root), "--user", "lab", "--display", "cage").returncode == 0
    assert "kiosk-session run cage" in (fake_root / "home/lab/.bash_profile").read_text()
    assert not (fake_root / "etc/X11").exists()  # cage needs no X server configuration
    assert _session("uninstall", "--root", str(fake_root)).returncode == 0
    assert _tree(fake_root) == before


def test_bad_options_get_a_message_and_change_nothing(fake_root: Path) -> None:
    before = _tree(fake_root)
    for args in (["--user", "Bad Name"], ["--display", "gnome"], ["--frobnicate"]):
        done = _session("install", "--root", str(fake_root), *args)
        assert done.returncode == 2 and "kiosk-session:" in done.stderr
    assert _session("uninstall", "--root", str(fake_root)).returncode == 2
    assert _tree(fake_root) == before


# --- openbox with the session's configuration, on a real X server ---

def _need(*tools: str) -> None:
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs {', '.join(missing)} (installer/setup.sh installs them)")
        pytest.skip(f"needs {', '.join(missing)}")


@pytest.fixture
def xserver() -> Iterator[dict[str, str]]:
    _need("Xvfb", "openbox", "xdotool", "xwininfo")
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    number = os.read(read, 16).decode().strip()  # the read end stays open: Xvfb dies of SIGPIPE otherwise
    env = dict(os.environ, DISPLAY=f":{number}")
    env.pop("QT_QPA_PLATFORM", None)
    try:
        yield env
    finally:
        xvfb.terminate()
        xvfb.wait(10)
        os.close(read)


WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
w = QLabel("kiosk"); w.setWindowTitle("kiosk-lock-test"); w.resize(400, 300); w.show()
app.exec()
"""


def _x(env: dict[str, str], *args: str) -> str:
    return subprocess.run(list(args), env=env, capture_output=True, text=True, timeout=20).stdout.strip()


def _wait_window(env: dict[str, str]) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = _x(env, "xdotool", "search", "--onlyvisible", "--name", "kiosk-lock-test")
        if found:
            return found.splitlines()[0]
        time.sleep(0.2)
    raise AssertionError("the test window never appeared")


def _escape_attempts(env: dict[str, str], window: str) -> tuple[str, str, bool]:
    """What a student tries: the window menu's Iconify, the next desktop, the desktop's right-click menu."""
    _x(env, "xdotool", "key", "--clearmodifiers", "alt+space")
    time.sleep(0.3)
    _x(env, "xdotool", "key", "n")  # openbox's client menu: "Iconify" has the mnemonic n
    time.sleep(0.3)
    _x(env, "xdotool", "key", "--clearmodifiers", "ctrl+alt+Right")
    time.sleep(0.3)
    desktop = _x(env, "xdotool", "get_desktop")
    _x(env, "xdotool", "mousemove", "1360", "760", "click", "3")
    time.sleep(0.3)
    _x(env, "xdotool", "key", "Escape")
    state = _x(env, "xwininfo", "-id", window)
    return desktop, _x(env, "xdotool", "get_num_desktops"), "IsViewable" in state


@pytest.mark.parametrize("config", ["kiosk", "openbox default"])
def test_the_session_window_manager_offers_no_way_out(xserver: dict[str, str], config: str) -> None:
    args = ["openbox"]
    if config == "kiosk":
        args += ["--config-file", str(resource_path("session", "openbox-rc.xml"))]
    elif not Path("/etc/xdg/openbox/rc.xml").exists():
        pytest.skip("openbox's default configuration is not installed")
    wm = subprocess.Popen(args, env=xserver, stderr=subprocess.DEVNULL)
    app = subprocess.Popen([sys.executable, "-c", WINDOW], env=xserver, stderr=subprocess.DEVNULL)
    try:
        window = _wait_window(xserver)
        time.sleep(0.5)
        desktop, desktops, viewable = _escape_attempts(xserver, window)
    finally:
        app.terminate()
        wm.terminate()
        app.wait(10)
        wm.wait(10)
    if config == "kiosk":
        assert (desktop, desktops, viewable) == ("0", "1", True)
    else:  # the negative control: openbox as installed lets the student iconify and switch desktops
        assert desktop != "0" or not viewable
