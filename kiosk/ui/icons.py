"""The kiosk's icons: SVG files in ``resources/icons/``, drawn in the colour of the text they sit beside.

Icons are drawn, not glyphs from a font (a glyph the font lacks shows as an empty box, as the printer and the
fire once did). Each file strokes in ``#111111``; ``icon(name, colour)`` repaints it for a dark button.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kiosk.resources import ResourceMissing, resource_path

INK = "#111111"
ON_ACCENT = "#ffffff"  # on the blue primary buttons


FALLBACK = "help-circle"  # for an icon name a district's catalogue has and we do not draw


@lru_cache(maxsize=256)
def _svg(name: str, colour: str) -> bytes:
    try:
        path = resource_path("icons", f"{name}.svg")
    except ResourceMissing:
        path = resource_path("icons", f"{FALLBACK}.svg")
    return path.read_bytes().replace(INK.encode(), colour.encode())


def pixmap(name: str, size: int, colour: str = INK, ratio: float = 2.0) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(_svg(name, colour)))
    side = max(1, round(size * ratio))
    pix = QPixmap(side, side)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    pix.setDevicePixelRatio(ratio)
    return pix


def icon(name: str, colour: str = INK, size: int = 48) -> QIcon:
    result = QIcon()
    result.addPixmap(pixmap(name, size, colour))
    result.addPixmap(pixmap(name, size, "#777777"), QIcon.Mode.Disabled)
    return result


def set_icon(button: object, name: str, size: int, colour: str = INK) -> None:
    """Put icon ``name`` on a QAbstractButton, ``size`` px on the 1366x768 design (scaled for the screen, and
    again by ``rescale`` when the screen changes)."""
    from PySide6.QtWidgets import QAbstractButton

    from kiosk.ui import theme

    assert isinstance(button, QAbstractButton)
    side = theme.px(size)
    button.setProperty("kioskIcon", (name, size, colour, side))
    button.setIcon(icon(name, colour, side))
    button.setIconSize(QSize(side, side))


def rescale(widget: object) -> None:
    """Redraw the icon ``set_icon`` put on ``widget`` at the current scale (nothing for other widgets)."""
    from PySide6.QtWidgets import QAbstractButton

    from kiosk.ui import theme

    if not isinstance(widget, QAbstractButton):
        return
    spec = widget.property("kioskIcon")
    if not spec:
        return
    name, size, colour, side = spec
    if theme.px(size) != side:
        set_icon(widget, name, size, colour)
