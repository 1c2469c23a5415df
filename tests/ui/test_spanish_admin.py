"""Spanish on the district admin's screens: after a switch to Spanish, the admin menu, every setup section (staff,
campuses and rooms, the rotation calendar as a week and a month, the service catalog, SLA targets, working hours,
holidays, objectives) shows no English: not in its labels, buttons, form fields, combo items, table headers nor in
the words the kiosk writes in the table cells (statuses, yes/no, days, metrics, sign-in methods); nothing is cut
off at 1366x768 nor 1280x1024; and a switch back to English gives the English combo items again.

What the district typed (names of people, campuses, rooms, holidays, a category it renamed) stays as written, so
those cells are left out; so are the messages the domain writes after an action ("created campus NEW").
With ``KIOSK_SHOTS_DIR=docs/screenshots`` it writes ``docs/screenshots/es-admin-*.png``."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtWidgets import QComboBox, QLabel, QStyle, QStyleOptionComboBox, QWidget
from sqlalchemy import select

from kiosk.domain import admin_actions, auth
from kiosk.domain.district import METRICS
from kiosk.domain.models import Campus, Holiday, Room, ServiceCategory, StaffUser
from kiosk.ui.admin.controller import MENU, SECTIONS

from .conftest import Kiosk
from .shots import save_shot
from .test_spanish import english_patterns, untranslated
from .test_spanish_technician import combo_items, english_items, english_words, list_items, table_headers
from .test_technician import sign_in
from .test_window_size import problems

# Words the admin screens write in English when they are not translated (besides test_spanish_technician's).
ADMIN_WORDS = re.compile(r"\b(active|disabled|retired|yes|shown|hidden|closed|temporary|LOCKED|password|badge|"
                         r"today|extra|cancelled|technician|admin|device|room|any|Satisfaction|median|"
                         r"Mon|Tue|Wed|Thu|Fri|Sat|Sun|Monday|Sunday|elementary|middle|high)\b", re.IGNORECASE)
SAME_IN_SPANISH = {"P3 Normal"}
# The columns of each section's table that hold what the district typed (shown as written).
TYPED_COLUMNS = {"staff": (0, 1, 3), "campuses": (0, 1), "catalog": (0, 3), "sla": (), "hours": (1,),
                 "holidays": (0, 1, 2), "objectives": (1, 2)}


def typed_data(k: Kiosk) -> set[str]:
    """What the district typed: names of people, campuses, rooms and holidays (shown as written)."""
    with k.db.unit() as ctx:
        s = ctx.session
        out = set(s.scalars(select(StaffUser.username))) | set(s.scalars(select(StaffUser.first_name)))
        out |= {f"{u.first_name} {u.last_name}" for u in s.scalars(select(StaffUser))}
        out |= {f"{c.code} {c.name}" for c in s.scalars(select(Campus))} | set(s.scalars(select(Campus.name)))
        out |= set(s.scalars(select(Room.name))) | set(s.scalars(select(Holiday.name)))
    return out


def prepare(k: Kiosk) -> None:
    """Rows that show every word a table writes: a retired campus and room, a hidden category, a locked account,
    objectives (the seeded district has none)."""
    with k.db.unit(k.flow.tech.actor) as ctx:
        s = ctx.session

        def do(key: str, action: str, ref: object = None, **values: object) -> None:
            admin_actions.perform(ctx, key, action, ref, values)

        for metric, target in (("satisfaction_pct", "97"), ("first_response_met_pct", "90")):
            do("objectives", "save", metric=metric, comparator=">=", target=target, **{"from": date(2026, 7, 1)})
        do("campuses", "add_campus", code="NEW", name="New Elementary")
        do("campuses", "add_room", "NEW", room="Room 1")
        do("campuses", "retire_room", "NEW", room="Room 1")
        do("campuses", "retire", "NEW")
        do("catalog", "hide", s.scalars(select(ServiceCategory.code).order_by(ServiceCategory.sort_order)).first())
    for _ in range(auth.MAX_FAILURES):  # jcarter's account is locked
        with k.db.unit() as ctx:
            assert not auth.sign_in(ctx, "jcarter", "not the password").ok


def cells(screen: object, key: str, rooms: set[str]) -> list[str]:
    """The cells the kiosk wrote (not the district's typed ones), the rooms column without the rooms' names."""
    m = screen.model  # type: ignore[attr-defined]
    out = []
    for r in range(m.rowCount()):
        for c in range(m.columnCount()):
            if c in TYPED_COLUMNS[key]:
                continue
            text = str(m.data(m.index(r, c)))
            if key == "campuses" and c == 3:  # "38: A101, A102, ... (retired: Lab 3)"
                text = ", ".join(p for p in re.split(r", |: |\(|\)", text) if p.strip() not in rooms)
            out.append(text)
    return out


def test_every_admin_screen_is_spanish_and_english_comes_back(kiosk: Kiosk) -> None:
    k = kiosk
    patterns = english_patterns()
    admin = k.flow.tech.district_admin
    before = {id(c): items for s in admin.all_screens() for c, items in combo_items(s) if items}
    assert any("Technician" in items for items in before.values()), before
    k.flow.set_language("es")
    assert k.flow.language == "es"
    sign_in(k, "admin")
    prepare(k)
    typed = typed_data(k)
    with k.db.unit() as ctx:
        rooms = set(ctx.session.scalars(select(Room.name)))
    found: list[str] = []

    def check(screen: QWidget, shown_cells: list[str] = (), shot: str = "") -> None:  # type: ignore[assignment]
        k.wait_for(screen)
        k.idle_workers()
        found.extend(untranslated(screen, patterns))
        found.extend(english_items(screen, patterns))
        found.extend(english_words(screen, typed))
        for size in (QSize(1366, 768), QSize(1280, 1024)):  # nothing cut off, at the two kiosk screens
            found.extend(problems(k, screen, walk_up=False, size=size))
            found.extend(cut_items(screen, typed))
            if shot and size == QSize(1366, 768):
                save_shot(k.window, f"es-admin-{shot}")
        for cell in [*shown_cells, *table_headers(screen), *list_items(screen)]:
            found.extend(f"{type(screen).__name__} cell: {cell!r} (English {s!r})" for rx, s in patterns
                         if rx.match(cell))
            if m := ADMIN_WORDS.search(cell):
                found.append(f"{type(screen).__name__} cell: {cell!r} (English word {m.group(0)!r})")

    k.flow.tech.home.setup_button.click()
    check(admin.home, shot="01-menu")
    assert list(admin.home.buttons) == [key for key, _ in MENU]
    for n, (key, _title) in enumerate(MENU, start=2):
        admin.open_menu()
        k.idle_workers()
        k.wait_for(admin.home)
        admin.home.buttons[key].click()
        if key == "rotation":
            typed |= walk_rotation(k, check, found, n)
            continue
        screen = admin.screens[key]
        k.wait_for(screen)
        k.idle_workers()
        assert screen.model.rowCount() > 0, key
        if key == "staff":  # a result the screen writes itself: the temporary PIN's line
            screen.select_row(next(r for r in range(screen.model.rowCount())
                                   if screen.model.items[r].username == "mlopez"))
            screen.action_buttons["reset_pin"].click()
            k.qtbot.waitUntil(_shows_text(screen.result), timeout=10_000)
            if not screen.result.text().startswith("PIN temporal de mlopez"):
                found.append(f"AdminTableScreen result: {screen.result.text()!r}")
        check(screen, cells(screen, key, rooms), shot=f"{n:02d}-{key}")
    assert not found, "\n".join(found)

    k.flow.set_language("en")
    after = {id(c): items for s in admin.all_screens() for c, items in combo_items(s) if id(c) in before}
    assert after == before  # English again, item for item


def cut_items(screen: QWidget, typed: set[str]) -> list[str]:
    """Combo-box items wider than their box's text field (problems() reads the box's minimum size, which does not
    grow with its items): a longer Spanish choice cut off. What the district typed is left out."""
    out = []
    for c in screen.findChildren(QComboBox):
        if not c.isVisibleTo(screen):
            continue
        opt = QStyleOptionComboBox()
        c.initStyleOption(opt)
        field = c.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                         QStyle.SubControl.SC_ComboBoxEditField, c).width()
        out += [f"{type(screen).__name__} combo {c.accessibleName()!r}: {text!r} needs "
                f"{c.fontMetrics().horizontalAdvance(text)} px, has {field}"
                for text in (c.itemText(i) for i in range(c.count()))
                if text not in typed and c.fontMetrics().horizontalAdvance(text) > field]
    return out


def _shows_text(label: QLabel) -> Callable[[], bool]:
    return lambda: bool(label.text())


def walk_rotation(k: Kiosk, check: Callable[..., None], found: list[str], n: int) -> set[str]:
    """The rotation calendar as a month and a week, with a cancelled and an extra visit, and the screen's own
    message (no window for the extra visit); returns the campus and technician names (typed) its combos show."""
    cal = k.flow.tech.district_admin.rotation
    k.wait_for(cal)
    k.qtbot.waitUntil(lambda: cal.calendar is not None, timeout=10_000)
    k.idle_workers()
    names = {t for _c, items in combo_items(cal) for t in items if t not in ("Semana", "Mes", "Week", "Month")}
    cal.mode.setCurrentIndex(cal.mode.findData(42))
    k.qtbot.waitUntil(lambda: cal.grid.rowCount() == 6, timeout=10_000)
    k.idle_workers()
    assert cal.calendar is not None
    visit = next(v for v in cal.calendar.visits if not v.cancelled)  # cancel it; add an extra visit on a Saturday
    for day, window in ((visit.day, ""), (date(2026, 9, 19), "09:00-11:00")):
        cal.select_day(day)
        cal.technician.setCurrentIndex(next(i for i in range(cal.technician.count())
                                            if cal.technician.itemText(i).startswith(visit.technician + " ")))
        cal.window_edit.setText(window)
        (cal.extra_button if window else cal.cancel_button).click()
        k.qtbot.waitUntil(lambda: bool(cal.result.text()) or cal.error_label.isVisible(), timeout=10_000)
        k.idle_workers()
        assert not cal.error_label.isVisible(), cal.error_label.text()
        cal.result.clear()  # "created rotation_exception ...": the domain's words
    k.idle_workers()
    month = [line for r in range(6) for c in range(7) for line in
             (cal.grid.item(r, c).text() + "\n" + cal.grid.item(r, c).toolTip()).splitlines() if line]
    assert any(line.startswith("✕ ") for line in month), month
    check(cal, month, shot=f"{n:02d}-rotation-month")
    if cal.heading.text() != "septiembre de 2026":
        found.append(f"RotationCalendarScreen heading: {cal.heading.text()!r}")
    cal.mode.setCurrentIndex(cal.mode.findData(7))
    k.qtbot.waitUntil(lambda: cal.grid.rowCount() == 1, timeout=10_000)
    k.idle_workers()
    cal.select_day(date(2026, 9, 19))
    week = [line for c in range(7) for line in cal.grid.item(0, c).text().splitlines()]
    check(cal, week, shot=f"{n:02d}-rotation-week")
    if cal.heading.text() != "14 de sept - 20 de sept de 2026":
        found.append(f"RotationCalendarScreen heading: {cal.heading.text()!r}")
    cal.window_edit.setText("")
    cal.extra_button.click()  # no window: the screen's own message, in Spanish
    k.qtbot.waitUntil(cal.error_label.isVisible, timeout=10_000)
    check(cal)
    cal.show_error("")
    return names


def test_every_admin_word_from_a_table_has_its_spanish(qapp: object) -> None:
    """The sections' titles, fields, actions and choices, the menu, the metrics' names (the domain's): each has a
    Spanish translation in the context it is shown with."""
    from kiosk.ui import language

    tr = language.Translations()
    assert tr.switch("es")
    try:
        missing: list[str] = []
        for s in SECTIONS:
            texts = [s.title, s.intro, *(f.label for f in s.fields), *(a.label for a in s.actions),
                     *(shown for f in s.fields for _v, shown in f.choices if re.search("[a-z]{2}", shown))]
            missing += [t for t in texts if QCoreApplication.translate("AdminScreen", t) == t
                        and t not in SAME_IN_SPANISH]
            missing += [h for h in s.headers if QCoreApplication.translate("RowsModel", h) == h]
        missing += [t for _k, t in MENU if QCoreApplication.translate("AdminScreen", t) == t]
        missing += [t for t in METRICS.values() if QCoreApplication.translate("AdminScreen", t) == t]
        assert not missing, missing
    finally:
        tr.switch("en")
