"""A question over the walk-up screen when a tag is scanned while someone is writing a report.

"Report DS100123 instead?" with two big buttons; nothing the person typed is thrown away unless they say so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.widgets import button, label


class ScanPrompt(QFrame):
    switch = Signal(str)  # report this other tag instead
    keep = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("scanPrompt")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#scanPrompt { background: #fff6d6; border: 2px solid #b58900; "
                           "border-radius: 8px; }")
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 14, 20, 14)
        self.text = label("", "subtitle")
        box.addWidget(self.text)
        row = QHBoxLayout()
        self.switch_button = button("", self._switch, "primary")
        self.keep_button = button(self.tr("No, keep my report"), self._keep)
        for b in (self.switch_button, self.keep_button):
            b.setMinimumHeight(64)
            row.addWidget(b, 1)
        box.addLayout(row)
        self.tag: str | None = None
        self.hide()

    def ask(self, tag: str, current: str | None) -> None:
        self.tag = tag
        what = self.tr(" (your report about {0} is kept until you choose)").format(current) if current else \
            self.tr(" (what you typed is kept until you choose)")
        self.text.setText(self.tr("A tag was scanned: {0}. Report this other device instead?{1}").format(tag, what))
        self.switch_button.setText(self.tr("Yes, report {0}").format(tag))
        parent = self.parentWidget()
        if parent is not None:
            width = min(parent.width() - 80, 900)
            self.setFixedWidth(max(width, 400))
            self.adjustSize()
            self.move((parent.width() - self.width()) // 2, 90)
        self.show()
        self.raise_()
        self.keep_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _switch(self) -> None:
        tag = self.tag
        self.dismiss()
        if tag:
            self.switch.emit(tag)

    def _keep(self) -> None:
        self.dismiss()
        self.keep.emit()

    def dismiss(self) -> None:
        self.tag = None
        self.hide()
