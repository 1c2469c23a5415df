"""Reusable kiosk widgets: the camera view with its target box, an on-screen keyboard, small helpers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import icons, theme


def label(text: str, name: str | None = None, wrap: bool = True) -> QLabel:
    lab = QLabel(text)
    if name:
        lab.setObjectName(name)
    lab.setWordWrap(wrap)
    return lab


def compact(*widgets: QWidget) -> None:
    """Technician form fields at 48 px high (the theme's ``compact`` style) rather than the walk-up 70 px."""
    for w in widgets:
        w.setProperty("compact", True)
        w.setMinimumHeight(0)


def touch_rows(*combos: QComboBox) -> None:
    """Drop-down lists whose rows a finger can hit: at least 48 px each (Qt's default is about 24)."""
    for combo in combos:
        view = QListView()
        view.setObjectName("touchRows")
        view.setUniformItemSizes(True)
        view.setStyleSheet("QListView#touchRows::item { min-height: 48px; }")
        combo.setView(view)


def button(text: str, on_click: Callable[[], None] | None = None, name: str | None = None) -> QPushButton:
    btn = QPushButton(text)
    if name:
        btn.setObjectName(name)
    btn.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    btn.setAutoDefault(True)
    if on_click is not None:
        btn.clicked.connect(on_click)
    return btn


class CurrentPageStack(QStackedWidget):
    """A stack of pages that is as big as the page shown, not as big as its biggest page.

    QStackedWidget asks for the largest size and minimum of all its pages, so one tall page made every page (and
    the kiosk window) taller than a 1366x768 screen. Here the pages out of view have an Ignored size policy and
    the size hints are the current page's.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(self._current_changed)

    def addWidget(self, widget: QWidget) -> int:  # noqa: N802 - Qt's name
        index = super().addWidget(widget)
        self._current_changed()
        return index

    def _current_changed(self, _index: int = -1) -> None:
        current = self.currentWidget()
        for i in range(self.count()):
            page = self.widget(i)
            if page is None:
                continue
            ignored = QSizePolicy.Policy.Ignored
            if page is current:
                page.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            elif page.sizePolicy().verticalPolicy() != ignored:
                page.setSizePolicy(ignored, ignored)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else super().minimumSizeHint()


def touch_scroll(area: QScrollArea) -> QScrollArea:
    """Kinetic scrolling with a finger on the kiosk's touch screen (a mouse still uses the scroll bar)."""
    scroller = QScroller.scroller(area.viewport())
    props = scroller.scrollerProperties()
    never = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, never)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, never)
    scroller.setScrollerProperties(props)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return area


def scroll_area(content: QWidget, name: str | None = None) -> QScrollArea:
    """``content`` at the full width of the area, scrolling up and down only when it needs more height."""
    area = QScrollArea()
    if name:
        area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields inside, and scrolls them into view
    area.setWidget(content)
    return touch_scroll(area)


class CameraView(QWidget):
    """The live preview, scaled to fit, with a target box and a caption; a status text when there is no camera."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.image: QImage | None = None
        self.status_text = ""
        self.flash_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(caption)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(theme.px(480), theme.px(300))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.minimumSizeHint()

    def show_frame(self, image: QImage) -> None:
        self.image = image
        self.update()

    def set_status(self, text: str) -> None:
        self.status_text = text
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#1b1f24"))
        if self.image is not None and not self.image.isNull():
            scaled = self.image.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.FastTransformation)
            x = (self.width() - scaled.width()) // 2
            y = (self.height() - scaled.height()) // 2
            p.drawImage(x, y, scaled)
        w, h = self.width(), self.height()
        box = QRect(int(w * 0.2), int(h * 0.22), int(w * 0.6), int(h * 0.5))
        p.setPen(QPen(QColor("#ffb300"), theme.px(6)))
        corner = min(box.width(), box.height()) // 5
        for (cx, cy, dx, dy) in ((box.left(), box.top(), 1, 1), (box.right(), box.top(), -1, 1),
                                 (box.left(), box.bottom(), 1, -1), (box.right(), box.bottom(), -1, -1)):
            p.drawLine(cx, cy, cx + dx * corner, cy)
            p.drawLine(cx, cy, cx, cy + dy * corner)
        font = QFont(self.font())
        font.setPixelSize(theme.px(27))
        font.setBold(True)
        p.setFont(font)
        band = QRect(0, h - theme.px(70), w, theme.px(70))
        p.fillRect(band, QColor(0, 0, 0, 170))
        p.setPen(QColor("#ffffff"))
        # the accessible name is the caption: a language switch retranslates it with the other texts
        p.drawText(band, Qt.AlignmentFlag.AlignCenter, self.flash_text or self.accessibleName() or self.caption)
        if self.status_text:
            top = QRect(0, 0, w, theme.px(56))
            p.fillRect(top, QColor(155, 0, 0, 200))
            font.setPixelSize(theme.px(20))
            p.setFont(font)
            p.drawText(top, Qt.AlignmentFlag.AlignCenter, self.status_text)
        p.end()


class OnScreenKeyboard(QWidget):
    """A touch keyboard that types into whichever of its target fields last had focus."""

    typed = Signal()
    # lower case to start (names, emails, sentences); the punctuation people type is on the keys, no mode switch
    ROWS = ("1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm,.?")
    EXTRA = "@-/_"  # beside the space bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._targets: list[QLineEdit | QPlainTextEdit] = []
        self._target: QLineEdit | QPlainTextEdit | None = None
        self._shift = False
        grid = QGridLayout(self)
        grid.setSpacing(5)
        grid.setContentsMargins(0, 0, 0, 0)
        self._letter_keys: list[QPushButton] = []
        for r, row in enumerate(self.ROWS):
            for c, ch in enumerate(row):
                grid.addWidget(self._char_key(ch), r, c)
        bottom = QHBoxLayout()
        self.shift_key = self._key(self.tr("Shift"), self._toggle_shift)
        self.shift_key.setCheckable(True)
        bottom.addWidget(self.shift_key, 1)
        for ch in self.EXTRA[:2]:
            bottom.addWidget(self._char_key(ch), 1)
        space = self._key(self.tr("Space"), lambda: self._type(" "))
        bottom.addWidget(space, 3)
        for ch in self.EXTRA[2:]:
            bottom.addWidget(self._char_key(ch), 1)
        delete = self._key(self.tr("Delete"), self._backspace)
        icons.set_icon(delete, "delete-key", 24)
        delete.setAccessibleName(self.tr("Delete the last character"))
        bottom.addWidget(delete, 1)
        bottom.addWidget(self._key(self.tr("Clear"), self._clear), 1)
        box = QVBoxLayout()
        box.addLayout(bottom)
        grid.addLayout(box, len(self.ROWS), 0, 1, 10)

    def _key(self, text: str, on_click: Callable[[], None]) -> QPushButton:
        key = QPushButton(text)
        key.setObjectName("key")
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing must not steal focus from the field
        key.setAccessibleName(text)
        key.clicked.connect(on_click)
        return key

    def _char_key(self, ch: str) -> QPushButton:
        key = self._key(ch, lambda: None)
        key.clicked.disconnect()
        key.clicked.connect(lambda _=False, k=key: self._type(k.text()))
        if ch.isalpha():
            self._letter_keys.append(key)
        return key

    def attach(self, *fields: QLineEdit | QPlainTextEdit) -> None:
        for f in fields:
            self._targets.append(f)
            f.installEventFilter(self)
        if self._target is None and fields:
            self._target = fields[0]

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802 - Qt's name
        from PySide6.QtCore import QEvent

        if isinstance(event, QEvent) and event.type() == QEvent.Type.FocusIn and watched in self._targets:
            self._target = watched
        return False

    def _type(self, text: str) -> None:
        t = self._target
        if t is None:
            return
        if len(text) == 1 and text.isalpha():
            text = text.upper() if self._shift else text.lower()
        if isinstance(t, QLineEdit):
            t.insert(text)
        else:
            t.insertPlainText(text)
        self.typed.emit()

    def _backspace(self) -> None:
        t = self._target
        if isinstance(t, QLineEdit):
            t.backspace()
        elif t is not None:
            t.textCursor().deletePreviousChar()
        self.typed.emit()

    def _clear(self) -> None:
        if self._target is not None:
            self._target.clear()
        self.typed.emit()

    def _toggle_shift(self) -> None:
        self._shift = not self._shift
        self.shift_key.setChecked(self._shift)
        for key in self._letter_keys:
            key.setText(key.text().upper() if self._shift else key.text().lower())
            key.setAccessibleName(key.text())

    def reset(self) -> None:
        """Back to lower case (the next person starts afresh)."""
        if self._shift:
            self._toggle_shift()
