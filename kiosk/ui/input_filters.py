"""Application-wide input handling: wedge-scanner bursts, the idle timer, and the lockdown keys."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from kiosk.scan.wedge import WedgeDetector


class WedgeFilter(QObject):
    """Watches every key press in the app; a scanner burst ending in Enter becomes ``scanned(text)``.

    The characters a scanner typed into a focused text field are taken back out, and its Enter is
    swallowed, so a scan never submits a half-filled form.
    """

    scanned = Signal(str)

    def __init__(self, detector: WedgeDetector | None = None, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.detector = detector or WedgeDetector()
        self.clock = clock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.isAutoRepeat():
            return False
        # A key reaches the filter several times (the window, the focus widget, its parents): count it once.
        target = QApplication.focusWidget() or QApplication.activeWindow()
        if watched is not target:
            return False
        key = "Enter" if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else event.text()
        if not key:
            return False
        scan = self.detector.feed(key, self.clock())
        if scan is None:
            return False
        self._take_back(scan.text)
        self.scanned.emit(scan.text)
        return True  # swallow the scanner's Enter

    @staticmethod
    def _take_back(text: str) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit) and focus.text().endswith(text):
            focus.setText(focus.text()[: -len(text)])
        elif isinstance(focus, QPlainTextEdit) and focus.toPlainText().endswith(text):
            focus.setPlainText(focus.toPlainText()[: -len(text)])


class IdleWatcher(QObject):
    """Emits ``idle`` after ``seconds`` without a key press, click or touch anywhere in the app.

    ``warning(seconds_left)`` comes ``WARN_SECONDS`` before (the "Still there?" countdown), and ``resumed`` when
    someone touches the kiosk after a warning.
    """

    idle = Signal()
    warning = Signal(int)
    resumed = Signal()
    WARN_SECONDS = 10
    _INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.Wheel,
              QEvent.Type.MouseMove}

    def __init__(self, seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(seconds * 1000))
        self.timer.timeout.connect(self._idle)
        self.warn_timer = QTimer(self)
        self.warn_timer.setSingleShot(True)
        self.warn_timer.timeout.connect(self._warn)
        self.warned = False

    def set_seconds(self, seconds: float) -> None:
        self.timer.setInterval(int(seconds * 1000))
        if self.timer.isActive():
            self._restart()

    def start(self) -> None:
        self._restart()

    def poke(self) -> None:
        self._restart()

    def _restart(self) -> None:
        self.timer.start()
        before = self.timer.interval() - self.WARN_SECONDS * 1000
        if before > 0:
            self.warn_timer.start(before)
        else:
            self.warn_timer.stop()
        if self.warned:
            self.warned = False
            self.resumed.emit()

    def _warn(self) -> None:
        self.warned = True
        self.warning.emit(max(1, round(self.timer.remainingTime() / 1000)))

    def _idle(self) -> None:
        self.warned = False
        self.warn_timer.stop()
        self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in self._INPUT:
            self._restart()
        return False


class LockdownFilter(QObject):
    """While locked, the keys that close or leave a program do nothing: Alt+F4, Ctrl+Q, Ctrl+W, Esc."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.locked = True

    @staticmethod
    def is_escape_key(event: QKeyEvent) -> bool:
        mods = event.modifiers()
        key = event.key()
        combo = QKeySequence(event.keyCombination())
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        return (
            key == Qt.Key.Key_Escape
            or (key == Qt.Key.Key_F4 and alt)
            or (key in (Qt.Key.Key_Q, Qt.Key.Key_W) and ctrl)
            or combo.matches(QKeySequence(QKeySequence.StandardKey.Quit)) == QKeySequence.SequenceMatch.ExactMatch
            or combo.matches(QKeySequence(QKeySequence.StandardKey.Close)) == QKeySequence.SequenceMatch.ExactMatch
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        return (self.locked and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
                and isinstance(event, QKeyEvent) and self.is_escape_key(event))
