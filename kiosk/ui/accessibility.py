"""Accessible names for every control, so a screen reader (and the tests) can say what each one is.

Screens name what they can; ``name_controls`` fills the rest from what a sighted person reads: a field's
placeholder or the label beside it, an icon-only button's tooltip, a list's or table's title above it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)


def _visible_name(w: QWidget) -> str:
    if isinstance(w, QAbstractButton):
        return " ".join(w.text().replace("&", "").split()) or w.toolTip()
    if isinstance(w, QLineEdit | QPlainTextEdit):
        return w.placeholderText()
    return w.toolTip()


def _label_before(w: QWidget) -> str:
    """The text of the label just before ``w`` in its parent's layout (the question a field answers)."""
    parent = w.parentWidget()
    layout = parent.layout() if parent is not None else None
    if layout is None:
        return ""
    items = [layout.itemAt(i) for i in range(layout.count())]
    widgets = [it.widget() for it in items if it is not None and it.widget() is not None]
    if w in widgets:
        i = widgets.index(w)
        before = widgets[i - 1] if i > 0 else None
        if isinstance(before, QLabel):
            return before.text()
    for lab in parent.findChildren(QLabel) if parent is not None else []:
        if lab.buddy() is w:
            return lab.text()
    return ""


def _screen_title(w: QWidget) -> str:
    p = w.parentWidget()
    while p is not None:
        title = getattr(p, "title_label", None)
        if isinstance(title, QLabel):
            return title.text()
        p = p.parentWidget()
    return ""


def name_controls(root: QWidget) -> list[QWidget]:
    """Give every control under ``root`` without an accessible name one; returns those still without."""
    missing: list[QWidget] = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or isinstance(w, QHeaderView) or w.accessibleName():
            continue
        name = _visible_name(w) or _label_before(w)
        if not name and isinstance(w, QAbstractItemView):  # a screen's one list or table: named by its title
            name = _screen_title(w)
        if name:
            w.setAccessibleName(name)
        else:
            missing.append(w)
    return missing
