"""Every screen works on a 1366x768 kiosk: the window really is that size, and nothing is cut off or squeezed.

For each screen the walk-up flow and the technician flow can show, the window is set to 1366x768 and checked:
its minimum size fits the screen, every visible control lies inside the window (or inside a scroll area that
can scroll it into view), and no control is squeezed below the height it needs. Walk-up screens must fit
without scrolling: a student at the kiosk should never have to find a scroll bar.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabBar,
    QWidget,
)
from sqlalchemy import select

from kiosk.domain import walkup
from kiosk.domain.models import Device, Room, Ticket
from kiosk.ui.screens.report import ReportInput
from kiosk.ui.widgets import CameraView

from .conftest import Kiosk
from .test_technician import sign_in

KIOSK = QSize(1366, 768)
SIZES = [QSize(1366, 768), QSize(1920, 1080), QSize(1280, 1024), QSize(1080, 1920)]  # the kiosk screens we meet
SIZE_IDS = [f"{s.width()}x{s.height()}" for s in SIZES]
ROOT = Path(__file__).resolve().parents[2]
CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QLabel)
CHECKED = (*CONTROLS, QAbstractItemView, CameraView, QSvgWidget)
COMPOSITE = (QAbstractItemView, QComboBox, QAbstractSpinBox, QTabBar)  # their inner parts are theirs to lay out
MIN_TABLE_HEIGHT = 120  # a table shorter than this shows about two rows: not usable


def _scroll_area_of(w: QWidget, screen: QWidget) -> QScrollArea | None:
    """The nearest scroll area whose content holds ``w`` (between ``w`` and the screen), if any."""
    p = w.parentWidget()
    while p is not None and p is not screen.parentWidget():
        area = p.parentWidget().parentWidget() if p.parentWidget() is not None else None
        if isinstance(area, QScrollArea) and area.widget() is p:
            return area
        p = p.parentWidget()
    return None


def _inside_composite(w: QWidget, screen: QWidget) -> bool:
    p = w.parentWidget()
    while p is not None and p is not screen:
        if isinstance(p, COMPOSITE):
            return True
        p = p.parentWidget()
    return False


def _needed_height(w: QWidget) -> int:
    """The height a layout should give ``w`` (as Qt's layouts work it out: an explicit minimum wins)."""
    if w.minimumHeight() > 0:
        return w.minimumHeight()
    need = w.heightForWidth(w.width()) if w.hasHeightForWidth() else w.minimumSizeHint().height()
    return min(need, w.maximumHeight())


def _name(w: QWidget) -> str:
    text = w.text() if isinstance(w, QAbstractButton | QLabel | QLineEdit) else ""
    text = text or w.accessibleName() or (w.placeholderText() if isinstance(w, QLineEdit) else "")
    text = text or (w.currentText() if isinstance(w, QComboBox) else "")
    return f"{type(w).__name__} {text[:40]!r}"


def clipped_text(w: QWidget) -> str | None:
    """Why ``w``'s text does not fit inside it (QFontMetrics of its own font), or None when it fits."""
    if isinstance(w, QLabel):
        text = w.text()
        if not text or ("<" in text and ">" in text) or w.textFormat() == Qt.TextFormat.RichText:
            return None
        rect = w.contentsRect()
        fm = w.fontMetrics()
        if not w.wordWrap():
            need = max(fm.horizontalAdvance(line) for line in text.split("\n"))
            return f"needs {need} px across, has {rect.width()}" if need > rect.width() + 1 else None
        words = max(fm.horizontalAdvance(word) for word in text.split()) if text.split() else 0
        if words > rect.width() + 1:
            return f"a word needs {words} px, the label has {rect.width()}"
        need = fm.boundingRect(QRect(0, 0, rect.width(), 100_000), int(Qt.TextFlag.TextWordWrap), text).height()
        return f"needs {need} px of height, has {rect.height()}" if need > rect.height() + 1 else None
    if isinstance(w, QAbstractButton) and w.text():
        fm = w.fontMetrics()
        need = max(fm.horizontalAdvance(line) for line in w.text().split("\n"))
        has = w.contentsRect().width() - (w.iconSize().width() if not w.icon().isNull() else 0)
        return f"needs {need} px across, has {has}" if need > has + 1 else None
    return None


def problems(k: Kiosk, screen: QWidget, *, walk_up: bool, size: QSize = KIOSK) -> list[str]:
    """What is wrong with ``screen`` shown full screen on a screen of ``size`` (empty when it fits)."""
    window = k.window
    k.idle_workers()
    assert k.window.current is screen
    window.resize(size)
    for _ in range(5):
        QApplication.processEvents()
    out: list[str] = []
    if window.size() != size:
        out.append(f"the window is {window.width()}x{window.height()}, not {size.width()}x{size.height()}")
    hint = window.minimumSizeHint()
    if hint.height() > size.height() or hint.width() > size.width():
        out.append(f"the window needs at least {hint.width()}x{hint.height()}")
    seen = window.rect()
    for w in screen.findChildren(QWidget):
        if not isinstance(w, CHECKED) or not w.isVisibleTo(window) or _inside_composite(w, screen):
            continue
        if isinstance(w, QLabel) and not w.text() and w.pixmap().isNull():
            continue
        area = _scroll_area_of(w, screen)
        if area is None:
            where = QRect(w.mapTo(window, QPoint(0, 0)), w.size())
            if not seen.contains(where):
                out.append(f"{_name(w)} is cut off: {where.getRect()} in a {seen.width()}x{seen.height()} window")
        else:
            content, view = area.widget(), area.viewport()
            where = QRect(w.mapTo(content, QPoint(0, 0)), w.size())
            if not content.rect().contains(where):
                out.append(f"{_name(w)} is cut off inside its scroll area: {where.getRect()}")
            if content.height() > view.height():
                if walk_up and area.objectName() == "screenBody":
                    out.append(f"it needs {content.height()} px of height and has {view.height()}: walk-up "
                               "screens must fit without scrolling")
                if area.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff \
                        or area.verticalScrollBar().maximum() < content.height() - view.height():
                    out.append(f"{_name(w)} cannot be scrolled into view")
        if isinstance(w, CONTROLS):
            need = _needed_height(w)
            if w.height() < need - 1:
                out.append(f"{_name(w)} is squeezed: {w.height()} px high, needs {need}")
        if isinstance(w, QAbstractButton | QComboBox) and w.width() < w.minimumSizeHint().width() - 1:
            out.append(f"{_name(w)} is cut short: {w.width()} px wide, needs {w.minimumSizeHint().width()}")
        if isinstance(w, QAbstractItemView) and w.height() < MIN_TABLE_HEIGHT:
            out.append(f"{_name(w)} is only {w.height()} px high")
        why = clipped_text(w)
        if why:
            out.append(f"{_name(w)}: the text is clipped ({why})")
    return [f"{type(screen).__name__}: {p}" for p in dict.fromkeys(out)]


@pytest.mark.parametrize("kiosk_screen_size", [(s.width(), s.height()) for s in SIZES], ids=SIZE_IDS)
def test_every_walk_up_screen_fits_every_kiosk_screen(kiosk: Kiosk, kiosk_screen_size: tuple[int, int]) -> None:
    """The kiosk built for each screen (as it starts on one: the theme scaled for it) fits it, nothing clipped."""
    k, flow = kiosk, kiosk.flow
    found: list[str] = []
    size = QSize(*kiosk_screen_size)

    def check(screen: QWidget) -> None:
        k.wait_for(screen)
        found.extend(problems(k, screen, walk_up=True, size=size))

    flow.home.set_scan_message("That is not a tag this kiosk knows: try holding it a little further away.")
    flow.home.set_camera_status("missing", "no camera found")
    flow.home.show_error("Something went wrong on this kiosk. Please try again or tell a teacher.")
    check(flow.home)
    flow.home.show_error("")
    flow.show(flow.type_tag)
    flow.type_tag.show_error("No device with that tag: check the sticker and try again.")
    check(flow.type_tag)
    flow.on_tag(k.tag_with_open_ticket)
    k.wait_for(flow.card)
    k.idle_workers()
    flow.card.offer_survey("LE01-7KQ2MX")
    flow.card.show_error("Something went wrong on this kiosk. Please try again or tell a teacher.")
    check(flow.card)
    flow.start_device_report()
    check(flow.categories)
    with k.db.unit() as ctx:
        choice = next(c for c in walkup.categories(ctx.session) if c.code == k.open_category_code)
    flow.on_category(choice)
    check(flow.duplicate)
    flow.on_file_new()
    k.wait_for(flow.details)
    flow.details.description.setPlainText("x")
    flow.details.submit_button.click()  # too short: the error shows under the form
    assert flow.details.error_label.isVisibleTo(flow.details)
    check(flow.details)
    flow.on_submit(ReportInput("The screen has a crack across the top and flickers.", "204511", "P3", None))
    check(flow.receipt)
    number = flow.receipt.number.text()
    flow.go_home()
    flow.show(flow.check)
    flow.on_check(number)
    k.qtbot.waitUntil(lambda: bool(flow.check.detail.text()))
    check(flow.check)
    flow.on_tag("DS999999")
    check(flow.unknown)
    flow.start_room_problem()
    check(flow.rooms)
    flow.survey.prepare(number, "Liquid or physical damage")
    flow.show(flow.survey)
    check(flow.survey)
    flow.survey.reporter.setText("204511")
    flow.survey._next()
    flow.survey._send()  # nothing answered: the error shows under the questions
    check(flow.survey)
    flow.sign_in.set_intro("First run: a technician signs in and chooses this kiosk's campus.")
    flow.start_staff_sign_in()
    flow.sign_in.failed("Wrong username or password. 4 tries left before the account locks for 15 minutes.")
    check(flow.sign_in)
    flow.start_campus_pick()
    check(flow.campus_pick)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("kiosk_screen_size", [(s.width(), s.height()) for s in SIZES], ids=SIZE_IDS)
def test_every_technician_screen_fits_every_kiosk_screen(kiosk: Kiosk, kiosk_screen_size: tuple[int, int]) -> None:
    k, flow = kiosk, kiosk.flow
    tech = flow.tech
    found: list[str] = []
    size = QSize(*kiosk_screen_size)

    def check(screen: QWidget) -> None:
        k.wait_for(screen)
        found.extend(problems(k, screen, walk_up=False, size=size))

    sign_in(k, "admin")
    tech.home.set_refused(3)
    tech.home.show_error("Something went wrong on this kiosk. Please try again or tell a teacher.")
    check(tech.home)
    tech.home.show_error("")
    tech.open_queue()
    check(tech.queue)
    with k.db.unit() as ctx:
        number = ctx.session.scalars(select(Ticket.number).join(Device, Device.id == Ticket.device_id)
                                     .where(Device.asset_tag == k.tag_with_open_ticket)).first()
        campus_id = ctx.session.scalars(select(Device.campus_id)
                                        .where(Device.asset_tag == k.tag_with_open_ticket)).one()
        room_id = ctx.session.scalars(select(Room.id).where(Room.campus_id == campus_id).order_by(Room.name)).first()
    assert number is not None and room_id is not None
    tech.open_ticket(number)
    check(tech.ticket)
    tech.open_device(k.tag_with_open_ticket)
    k.wait_for(tech.device)
    tech.device.flag.setText("Troublesome: repeated repairs in a short time")
    tech.device.flag.show()
    tech.device.show_error("Room: no room named 'Lab 9' on this campus")
    check(tech.device)
    tech._start_register("ZZ0042")
    check(tech.register)
    tech.open_audit_rooms()
    check(tech.audit)
    tech.start_audit(room_id)
    k.wait_for(tech.audit)
    k.qtbot.waitUntil(lambda: tech.audit.controls.isVisibleTo(tech.audit))
    for tag in (k.tag_with_open_ticket, k.quiet_tag, k.quiet_tag, "ZZ0042"):
        tech.audit_scan(tag)
        k.idle_workers()
    check(tech.audit)
    tech.finish_audit()
    k.qtbot.waitUntil(lambda: tech.audit.apply_button.isVisibleTo(tech.audit))
    check(tech.audit)
    tech.open_unknown()
    check(tech.unknown)
    tech.open_troublesome()
    check(tech.trouble)
    tech.open_not_audited()
    check(tech.stale)
    flow.show(tech.labels)
    tech.labels.done("/home/tech/.local/share/kiosk/labels/room-labels-2026-09-14.pdf", 30, 1)
    check(tech.labels)
    tech.admin_reports.open()
    k.wait_for(tech.reports)
    screen = tech.reports
    for name in ("weekly", "objectives", "service"):
        screen.which.setCurrentIndex(screen.which.findData(name))
        screen.go.click()
        k.qtbot.waitUntil(lambda: screen.go.isEnabled(), timeout=30_000)
        assert screen.report is not None and screen.report.name == name, screen.error_label.text()
        check(screen)
    tech.refused_edits.open()
    check(tech.refused)
    assert not found, "\n".join(found)


FULL_SCREEN = textwrap.dedent("""
    import os, sys
    from PySide6.QtWidgets import QApplication
    from kiosk.ui import theme
    from kiosk.ui.app import KioskOptions, build

    app = QApplication(sys.argv[:1])
    theme.apply(app)
    width, height = (int(n) for n in os.environ["SCREEN"].split("x"))
    window, flow = build(KioskOptions(url=f"sqlite:///{os.environ['KIOSK_DATA_DIR']}/k.sqlite3", camera=None))
    window.present()  # not windowed: full screen, as on a kiosk
    for screen in window.screens():
        window.show_screen(screen)
        for _ in range(10):
            app.processEvents()
        least = window.minimumSize().expandedTo(window.minimumSizeHint())  # less than this and the layout clips
        print(type(screen).__name__, window.isFullScreen(), window.width(), window.height(),
              least.width() <= width and least.height() <= height)
    window.unlock()
""")


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_kiosk_runs_full_screen_on_every_kiosk_screen(tmp_path: Path, size: QSize) -> None:
    """On a display of each size (Qt's offscreen platform told so), every screen is full screen at that size and
    needs no more than that (full screen forces the size: a window whose minimum is taller is clipped, not grown).
    The real X server (with and without a window manager) is tests/ui/test_x11_window.py."""
    width, height = size.width(), size.height()
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "kiosk", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "KIOSK_DATA_DIR": str(tmp_path),
           "SCREEN": f"{width}x{height}"}
    done = subprocess.run([sys.executable, "-c", FULL_SCREEN], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) >= 20, done.stdout
    wrong = [line for line in lines if not line.endswith(f" True {width} {height} True")]
    assert not wrong, "\n".join(wrong)
