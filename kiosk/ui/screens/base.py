"""What every screen has: a title row with a Back/Home button, and a reset that clears what was typed.

The title row stays at the top; what a screen adds to ``outer`` sits below it in a scroll area, so a screen that
needs more height than a 1366x768 kiosk has scrolls (with a finger too) instead of being cut off. Walk-up screens
are laid out to fit without scrolling (tests/ui/test_window_size.py).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.widgets import OnScreenKeyboard, button, label, scroll_area


class Screen(QWidget):
    home_requested = Signal()

    def __init__(self, title: str, *, with_home: bool = True) -> None:
        super().__init__()
        self.root = QVBoxLayout(self)
        self.top = QHBoxLayout()
        self.title_label: QLabel = label(title, "title")
        self.top.addWidget(self.title_label, 1)
        if with_home:
            self.home_button = button(self.tr("Start over"), self.home_requested.emit, "small")
            self.top.addWidget(self.home_button)
        self.root.addLayout(self.top)
        self.body_widget = QWidget()
        self.outer = QVBoxLayout(self.body_widget)
        self.outer.setContentsMargins(0, 0, 0, 0)
        self.body_scroll = scroll_area(self.body_widget, "screenBody")
        self.root.addWidget(self.body_scroll, 1)
        self.error_label = label("", "error")
        self.error_label.hide()
        Screen.apply_sizes(self)  # a subclass's own sizes: its __init__ calls its apply_sizes when it is built

    def apply_sizes(self) -> None:
        """Margins and spacing for the current screen's scale (again after a new resolution: theme.restyle)."""
        self.root.setContentsMargins(theme.px(28), theme.px(20), theme.px(28), theme.px(20))
        self.root.setSpacing(theme.px(16))
        self.outer.setSpacing(theme.px(16))

    def show_error(self, text: str) -> None:
        from kiosk.ui.language import error

        text = error(text)  # a domain message in the kiosk's language
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def reset(self) -> None:
        """Forget everything typed or chosen (idle timeout, Start over)."""
        self.show_error("")
        for keyboard in self.findChildren(OnScreenKeyboard):
            keyboard.reset()
