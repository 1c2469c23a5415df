"""What every screen has: a title row with a Back/Home button, and a reset that clears what was typed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.widgets import button, label


class Screen(QWidget):
    home_requested = Signal()

    def __init__(self, title: str, *, with_home: bool = True) -> None:
        super().__init__()
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(28, 20, 28, 20)
        self.outer.setSpacing(16)
        top = QHBoxLayout()
        self.title_label: QLabel = label(title, "title")
        top.addWidget(self.title_label, 1)
        if with_home:
            self.home_button = button(self.tr("Start over"), self.home_requested.emit, "small")
            top.addWidget(self.home_button)
        self.outer.addLayout(top)
        self.error_label = label("", "error")
        self.error_label.hide()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def reset(self) -> None:
        """Forget everything typed or chosen (idle timeout, Start over)."""
        self.show_error("")
