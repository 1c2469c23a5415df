"""`kiosk` and `kiosk run`: open the walk-up kiosk window."""

from __future__ import annotations

import argparse
from typing import TextIO


def _no_display() -> bool:
    import os
    import sys

    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import CliError
    from kiosk.settings import demo_database_url, resolve_database_url

    if _no_display():
        raise CliError("no display to open the kiosk window on: run it in a desktop session, or under "
                       "`xvfb-run -a .venv/bin/kiosk --demo`; `kiosk demo` prints the demo district instead")
    from kiosk.ui.app import KioskOptions, run

    demo = bool(getattr(args, "demo", False))
    url = args.url if getattr(args, "url", None) else demo_database_url() if demo else resolve_database_url(None)
    camera = getattr(args, "camera", "0")
    return run(KioskOptions(url=url, demo=demo, windowed=bool(getattr(args, "windowed", False)),
                            camera=None if camera in (None, "", "none") else camera,
                            config_name="kiosk-demo.json" if demo else "kiosk.json"))


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("run", parents=[common], help="open the kiosk (the default command)")
    p.add_argument("--windowed", action="store_true", default=argparse.SUPPRESS)
    p.add_argument("--camera", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_run)
