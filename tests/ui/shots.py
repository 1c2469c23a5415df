"""Screenshots from a story test: ``KIOSK_SHOTS_DIR=docs/screenshots pytest tests/ui/test_x.py`` saves the screen
a test reached (the window as the person sees it); without the variable nothing is written."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget


def save_shot(window: QWidget, name: str) -> Path | None:
    folder = os.environ.get("KIOSK_SHOTS_DIR")
    if not folder:
        return None
    QApplication.processEvents()
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(path))
    return path
