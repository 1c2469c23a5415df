"""The "Still there?" card: ten seconds before the idle reset clears what someone typed, the kiosk asks first."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.widgets import button, label


class StillThere(QFrame):
    """Covers the window with a dimmed layer and a card counting down; any touch (the button too) keeps going."""

    keep = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("stillThereShade")
        self.setStyleSheet("QFrame#stillThereShade { background: rgba(0, 0, 0, 150); }")
        self.left = 0
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = card = QFrame()
        card.setObjectName("panel")
        self.box = box = QVBoxLayout(card)
        self.apply_sizes()
        self.title = label(self.tr("Still there?"), "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = label("")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.still_here = button(self.tr("I'm still here"), self._keep, "primary")
        self.still_here.setAccessibleName(self.tr("I'm still here: keep what I typed"))
        box.addWidget(self.title)
        box.addWidget(self.message)
        box.addWidget(self.still_here)
        outer.addWidget(card)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        parent.installEventFilter(self)
        self.hide()

    def apply_sizes(self) -> None:
        """The card's width and margins for the current screen's scale (again after a new resolution)."""
        self.card.setMaximumWidth(theme.px(720))
        self.box.setContentsMargins(theme.px(32), theme.px(24), theme.px(32), theme.px(24))
        self.box.setSpacing(theme.px(16))

    def start(self, seconds: int) -> None:
        self.left = seconds
        self._show_left()
        self._cover()
        self.show()
        self.raise_()
        self.still_here.setFocus()
        self.ticker.start()

    def stop(self) -> None:
        self.ticker.stop()
        self.hide()

    def _keep(self) -> None:
        self.stop()
        self.keep.emit()

    def _tick(self) -> None:
        self.left = max(0, self.left - 1)
        self._show_left()

    def _show_left(self) -> None:
        self.message.setText(self.tr("In {0} seconds this screen starts over and what you typed is cleared.")
                             .format(self.left))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._cover()
        return False

    def _cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
