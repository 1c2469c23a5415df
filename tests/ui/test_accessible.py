"""Accessible and kind at a public kiosk: names on every control, a focus ring and placeholders you can see,
Tab starting at the main action, a "Still there?" countdown before the idle reset, a keyboard for sentences and
emails, and a camera message meant for a student."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QHeaderView, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.domain import walkup
from kiosk.ui import theme
from kiosk.ui.accessibility import CONTROLS
from kiosk.ui.screens.report import ReportInput
from kiosk.ui.widgets import OnScreenKeyboard

from .conftest import Kiosk
from .test_technician import sign_in


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours."""

    def lum(c: QColor) -> float:
        def chan(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * chan(c.redF()) + 0.7152 * chan(c.greenF()) + 0.0722 * chan(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def unnamed(root: QWidget) -> list[str]:
    return [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r} in {type(root).__name__}"
            for w in root.findChildren(QWidget)
            if isinstance(w, CONTROLS) and not isinstance(w, QHeaderView) and w.isVisibleTo(root)
            and not w.accessibleName()]


def test_every_control_on_every_screen_has_an_accessible_name(kiosk: Kiosk) -> None:
    k, flow = kiosk, kiosk.flow
    missing: list[str] = []

    def visit(screen: QWidget) -> None:
        k.wait_for(screen)
        k.idle_workers()
        missing.extend(unnamed(screen))

    visit(flow.home)
    flow.show(flow.type_tag)
    visit(flow.type_tag)
    flow.on_tag(k.tag_with_open_ticket)
    visit(flow.card)
    flow.start_device_report()
    visit(flow.categories)
    with k.db.unit() as ctx:
        choice = next(c for c in walkup.categories(ctx.session) if c.code == k.open_category_code)
    flow.on_category(choice)
    visit(flow.duplicate)
    flow.on_file_new()
    visit(flow.details)
    flow.on_submit(ReportInput("The screen has a crack across the top.", "204511", "P3", None))
    visit(flow.receipt)
    flow.go_home()
    flow.show(flow.check)
    visit(flow.check)
    flow.on_tag("DS999999")
    visit(flow.unknown)
    flow.start_room_problem()
    visit(flow.rooms)
    flow.survey.prepare("LE01-7KQ2MX", "Printer")
    flow.show(flow.survey)
    visit(flow.survey)
    flow.survey.pages.setCurrentIndex(1)
    missing.extend(unnamed(flow.survey))
    flow.go_home()
    sign_in(k, "admin")
    tech = flow.tech
    visit(tech.home)
    tech.open_queue()
    visit(tech.queue)
    assert not missing, "\n".join(missing)


def _ring(widget: QWidget) -> tuple[QColor, QColor]:
    """The colour of ``widget``'s border (left edge, middle) and of the page just outside it."""
    page = QWidget()
    box = QVBoxLayout(page)
    box.setContentsMargins(20, 20, 20, 20)
    box.addWidget(widget)
    page.resize(400, 140)
    page.show()
    widget.setFocus()
    QApplication.processEvents()
    image: QImage = page.grab().toImage()
    y = widget.y() + widget.height() // 2
    border = image.pixelColor(widget.x() + 2, y)
    outside = image.pixelColor(widget.x() - 6, y)
    page.close()
    return border, outside


def test_the_focus_ring_stands_out_3_to_1_and_placeholders_read_4_5_to_1(qtbot: object) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app, QSize(1366, 768))
    plain, primary, field = QPushButton("Check a ticket"), QPushButton("Type the tag"), QLineEdit()
    primary.setObjectName("primary")
    for w in (plain, primary, field):
        border, outside = _ring(w)
        assert contrast(border, outside) >= 3.0, (type(w).__name__, w.objectName(), border.name(), outside.name())
    # the focused ring differs 3:1 from the unfocused border it replaces, too
    unfocused = QPushButton("Check a ticket")
    unfocused.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    page = QWidget()
    QVBoxLayout(page).addWidget(unfocused)
    page.show()
    QApplication.processEvents()
    image = page.grab().toImage()
    resting = image.pixelColor(unfocused.x() + 1, unfocused.y() + unfocused.height() // 2)
    assert contrast(_ring(QPushButton("Check a ticket"))[0], resting) >= 3.0
    page.close()

    edit = QLineEdit()
    edit.setPlaceholderText("Asset tag, e.g. DS104233")
    edit.resize(500, 70)
    edit.show()
    QApplication.processEvents()
    shot = edit.grab().toImage()
    pixels = [shot.pixelColor(x, y) for x in range(20, shot.width() - 20) for y in range(12, shot.height() - 12)]
    darkest = min(pixels, key=lambda c: c.lightness())
    assert contrast(darkest, QColor("#ffffff")) >= 4.5, darkest.name()
    edit.close()


def test_tab_starts_at_the_main_action_and_staff_comes_last(kiosk: Kiosk) -> None:
    home = kiosk.flow.home
    kiosk.flow.show(kiosk.flow.type_tag)
    kiosk.flow.go_home()
    assert home.type_button.hasFocus() or QApplication.focusWidget() in (None, home.type_button)
    order = []
    w = home.type_button
    for _ in range(6):
        order.append(w)
        w = w.nextInFocusChain()
        while not (w.focusPolicy().value & 1) or not w.isVisibleTo(home) or not home.isAncestorOf(w):
            w = w.nextInFocusChain()
    assert order == [home.type_button, home.room_button, home.check_button, home.language_buttons["en"],
                     home.language_buttons["es"], home.staff_button]


def test_still_there_counts_down_before_the_idle_reset_clears_what_was_typed(kiosk: Kiosk) -> None:
    k, flow = kiosk, kiosk.flow
    flow.idle.WARN_SECONDS = 1  # type: ignore[misc]  # the real one is 10 s
    flow.show(flow.type_tag)
    flow.type_tag.field.setText("DS10")
    flow.idle.set_seconds(2)
    k.qtbot.waitUntil(lambda: flow.still_there.isVisible(), timeout=3000)
    assert "Still there?" in flow.still_there.title.text()
    assert "1 second" in flow.still_there.message.text()
    assert flow.type_tag.field.text() == "DS10"  # not yet cleared
    flow.still_there.still_here.click()  # I'm still here
    assert not flow.still_there.isVisible()
    assert flow.window.current is flow.type_tag and flow.type_tag.field.text() == "DS10"
    k.qtbot.waitUntil(lambda: flow.still_there.isVisible(), timeout=3000)  # asked again, nobody answers
    k.qtbot.waitUntil(lambda: flow.window.current is flow.home, timeout=3000)
    assert not flow.still_there.isVisible()
    assert flow.type_tag.field.text() == ""


def test_the_idle_reset_on_home_with_nothing_typed_asks_nothing(kiosk: Kiosk) -> None:
    flow = kiosk.flow
    flow.idle.WARN_SECONDS = 1  # type: ignore[misc]
    flow.go_home()
    flow.idle.set_seconds(1.5)
    kiosk.qtbot.wait(1200)
    assert not flow.still_there.isVisible()


def test_the_keyboard_starts_in_lower_case_and_has_the_punctuation_people_type(qtbot: object) -> None:
    keyboard = OnScreenKeyboard()
    field = QLineEdit()
    keyboard.attach(field)
    keys = {b.text(): b for b in keyboard.findChildren(QPushButton)}
    for ch in "',.?/@-":
        assert ch in keys, ch
    for ch in "ana":
        keys[ch].click()
    keys["@"].click()
    keys["Shift"].click()
    keys["d"].click()  # the same key, showing D now
    assert field.text() == "ana@D"
    keyboard.reset()
    assert "q" in {b.text() for b in keyboard.findChildren(QPushButton)}


def test_the_camera_message_speaks_to_a_student(kiosk: Kiosk) -> None:
    home = kiosk.flow.home
    home.set_camera_status("missing", "no camera at 0; retrying every 2 s")
    assert home.camera.status_text == "The camera isn't working. Type the tag instead."
