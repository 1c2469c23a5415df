"""The kiosk's high-contrast look: large type, 48 px+ touch targets, a focus ring you can see from a step back.

Technician forms mark their fields ``compact`` (48 px high instead of 70) so a record and its form fit 768 px.
Scroll bars are wide enough to drag with a finger.

Every size is designed for a 1366x768 screen and scaled with the screen the kiosk fills (``scale_for``): fonts,
padding, touch targets and the few sizes screens set in code (``px``), so a 1920x1080 screen gets bigger type and
a portrait 1080x1920 stand gets the same layout narrower, with nothing clipped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

DESIGN = QSize(1366, 768)  # the screen the pixel sizes below are drawn for
_scale = 1.0
_portrait = False

MIN_TOUCH = 56  # px; WCAG asks for 44, the design asks for 48: we use a little more for gloved fingers
ACCENT = "#0b57d0"
FOCUS = "#c2410c"  # 5.2:1 on white and 3.6:1 against the black border it replaces (the old amber was 1.79:1)
FOCUS_ON_ACCENT = "#111111"  # a primary (blue) button's ring: 18:1 on white, 3.4:1 against the blue
PLACEHOLDER = "#595959"  # 7:1 on white (Qt's default grey was 3.54:1)

STYLE = f"""
QWidget {{ background: #ffffff; color: #111111; font-size: 20px; }}
QLabel#title {{ font-size: 34px; font-weight: 700; }}
QLabel#subtitle {{ font-size: 24px; font-weight: 600; }}
QLabel#muted {{ color: #444444; font-size: 18px; }}
QLabel#error {{ color: #9b0000; font-size: 20px; font-weight: 600; }}
QLabel#banner {{ background: #0d6e2f; color: #ffffff; font-size: 22px; font-weight: 700; padding: 10px;
                 border-radius: 6px; }}
QLabel#ticketNumber {{ font-size: 48px; font-weight: 800; letter-spacing: 2px; }}
QLabel#sync {{ color: #333333; font-size: 16px; }}
QFrame#panel {{ background: #f2f4f7; border: 2px solid #c4c9d2; border-radius: 10px; }}
QFrame#panel QLabel {{ background: transparent; }}
QFrame#panel QLabel#banner {{ background: #0d6e2f; color: #ffffff; }}
QPushButton {{ min-height: {MIN_TOUCH}px; min-width: {MIN_TOUCH}px; padding: 6px 18px; border: 3px solid #111111;
               border-radius: 10px; background: #ffffff; font-size: 22px; font-weight: 600; }}
QPushButton:hover {{ background: #e8eefc; }}
QPushButton:pressed {{ background: #c9d7f8; }}
QPushButton:focus {{ border: 5px solid {FOCUS}; }}
QPushButton:checked {{ background: {ACCENT}; color: #ffffff; }}
QPushButton:disabled {{ color: #777777; border-color: #999999; }}
QPushButton#primary {{ background: {ACCENT}; color: #ffffff; border-color: {ACCENT}; }}
QPushButton#primary:focus {{ border: 5px solid {FOCUS_ON_ACCENT}; }}
QPushButton#primary:disabled {{ background: #9aa7bd; border-color: #9aa7bd; }}
QPushButton#category {{ text-align: left; padding: 8px 12px; font-size: 20px; min-height: 62px; }}
QPushButton[choice="true"] {{ min-height: 54px; padding: 6px 12px; }}
QPushButton#key {{ min-width: 52px; min-height: 48px; padding: 2px; font-size: 21px; }}
QPushButton#small {{ min-height: 48px; font-size: 17px; padding: 4px 12px; border-width: 2px; }}
QLineEdit, QPlainTextEdit {{ min-height: {MIN_TOUCH}px; border: 3px solid #111111; border-radius: 8px;
                             padding: 4px 10px; font-size: 24px; background: #ffffff;
                             placeholder-text-color: {PLACEHOLDER}; }}
QLineEdit:focus, QPlainTextEdit:focus {{ border: 4px solid {FOCUS}; }}
QComboBox, QSpinBox {{ min-height: 48px; min-width: 90px; border: 3px solid #111111; border-radius: 8px;
                       padding: 2px 10px; font-size: 21px; background: #ffffff; }}
QComboBox:focus, QSpinBox:focus {{ border: 4px solid {FOCUS}; }}
QCheckBox {{ font-size: 20px; spacing: 10px; }}
QCheckBox::indicator {{ width: 28px; height: 28px; }}
QTableView {{ font-size: 19px; gridline-color: #c4c9d2; border: 2px solid #c4c9d2; }}
QHeaderView::section {{ background: #e4e8ee; font-weight: 700; padding: 6px; border: 0; }}
QListView {{ font-size: 22px; border: 2px solid #c4c9d2; }}
QListView::item {{ min-height: {MIN_TOUCH}px; padding: 4px 10px; }}
QListView::item:selected {{ background: {ACCENT}; color: #ffffff; }}
QLineEdit[compact="true"] {{ min-height: 34px; font-size: 20px; }}
QComboBox[compact="true"], QSpinBox[compact="true"] {{ min-height: 38px; font-size: 20px; }}
QScrollBar:vertical {{ width: 22px; background: #eef0f3; margin: 0; border: 0; }}
QScrollBar:horizontal {{ height: 22px; background: #eef0f3; margin: 0; border: 0; }}
QScrollBar::handle:vertical {{ background: #8a93a3; min-height: {MIN_TOUCH}px; border-radius: 8px; margin: 3px; }}
QScrollBar::handle:horizontal {{ background: #8a93a3; min-width: {MIN_TOUCH}px; border-radius: 8px; margin: 3px; }}
QScrollBar::handle:pressed {{ background: {ACCENT}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
"""


def scale_for(size: QSize) -> float:
    """How much bigger (or smaller) than the 1366x768 design a screen of ``size`` draws everything."""
    if size.width() <= 0 or size.height() <= 0:
        return 1.0
    factor = min(size.width() / DESIGN.width(), size.height() / DESIGN.height())
    return round(min(max(factor, 0.6), 3.0), 3)


def scale() -> float:
    return _scale


def portrait() -> bool:
    """The kiosk's screen is taller than wide (a portrait stand): screens may stack instead of sitting side by side."""
    return _portrait


def px(n: float) -> int:
    """A size drawn for the 1366x768 design, at the current screen's scale."""
    return max(1, round(n * _scale)) if n > 0 else 0


def style(factor: float) -> str:
    """The style sheet with every pixel size multiplied by ``factor``."""
    return re.sub(r"(\d+)px", lambda m: f"{max(1, round(int(m.group(1)) * factor))}px", STYLE)


def apply(app: QApplication, size: QSize | None = None) -> bool:
    """The kiosk look for a screen of ``size`` (default: the primary screen); again when the screen changes.

    Call it before the window is built: it re-styles every widget there is (see ``follow`` for a running kiosk).
    True when the scale changed.
    """
    global _scale, _portrait
    if size is None:
        primary = QGuiApplication.primaryScreen()
        size = primary.size() if primary is not None else DESIGN
    _portrait = size.height() > size.width()
    factor = scale_for(size)
    if factor == _scale and app.property("kiosk_scale") == factor:
        return False
    _scale = factor
    app.setProperty("kiosk_scale", factor)
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(PLACEHOLDER))
    app.setPalette(palette)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(14 * factor)
    app.setFont(font)
    app.setStyleSheet(style(factor))
    return True


def follow(size: QSize) -> bool:
    """The screen the kiosk fills has a new size (a new resolution, another monitor): True when the scale changed.

    Cheap on purpose: the application's style sheet stays as it is, because re-styling every screen at once
    takes seconds (about 40 screens and 2,900 widgets: 5.6 to 7.6 s at load 6.5 on this 2-core machine). The
    window re-styles the screen it shows now (``restyle``, about 30 ms) and each other one when it is shown.
    """
    global _scale, _portrait
    _portrait = size.height() > size.width()
    factor = scale_for(size)
    if factor == _scale:
        return False
    _scale = factor
    return True


@lru_cache(maxsize=8)
def _sheet(factor: float) -> str:
    return style(factor)


def restyle(widget: QWidget) -> None:
    """``widget`` (a screen) drawn at the current scale: its type and touch targets (a style sheet of its own when
    the application's is drawn for another scale), the sizes it sets in code (``apply_sizes()``) and its icons.
    Does nothing when it is at the current scale already."""
    from kiosk.ui import icons

    if widget.property("kiosk_scale") == _scale:
        return
    app = QApplication.instance()
    own = widget.property("kiosk_own_sheet")
    if own is None:  # what the widget set itself (a shade's background): kept after the theme's rules
        own = widget.styleSheet()
        widget.setProperty("kiosk_own_sheet", own)
    app_scale = app.property("kiosk_scale") if app is not None else None
    sheet = own if app_scale == _scale else _sheet(_scale) + own
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)
    widget.setProperty("kiosk_scale", _scale)
    for w in (widget, *widget.findChildren(QWidget)):
        sizes = getattr(w, "apply_sizes", None)
        if callable(sizes):
            sizes()
        icons.rescale(w)
        w.updateGeometry()
