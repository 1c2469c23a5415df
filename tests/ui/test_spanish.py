"""Spanish: every walk-up screen has every text translated (and nothing clipped), the language button and the
idle reset to the district's default, the reporter's language kept with the ticket for the emails and the
survey page, and the .ts file complete (pyside6-lupdate finds no new or unfinished string)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QWidget
from sqlalchemy import select

from kiosk import i18n
from kiosk.domain import walkup
from kiosk.domain.language import SPANISH, message
from kiosk.domain.models import EmailMessage, Ticket
from kiosk.ui.screens.report import ReportInput
from kiosk.ui.widgets import CameraView

from .conftest import Kiosk
from .test_window_size import problems

NOT_WORDS = {"English", "Español", "PIN", "Ticket", "Normal", "No", "Chromebook", "min", "OK"}  # same in both


def english_patterns() -> list[tuple[re.Pattern[str], str]]:
    """Every English source of the Spanish .ts whose translation differs, as a pattern its filled text matches."""
    out = []
    for msg in ET.parse(i18n.ts_file("es")).getroot().iter("message"):
        source, tr = msg.findtext("source") or "", msg.findtext("translation") or ""
        if not re.search(r"[A-Za-z]{2}", source) or source == tr or source.strip() in NOT_WORDS:
            continue
        parts = re.split(r"\{\d+\}", source)
        rx = "(.+?)".join(re.escape(p) for p in parts)
        out.append((re.compile(f"^{rx}$" if len(parts) > 1 else f"^{re.escape(source)}$", re.DOTALL), source))
    return out


def texts(screen: QWidget) -> list[tuple[str, str]]:
    """What a person can read or hear on ``screen``: (where, text)."""
    out = []
    for w in [screen, *screen.findChildren(QWidget)]:
        if not w.isVisibleTo(screen):
            continue
        name = type(w).__name__
        if isinstance(w, QLabel | QAbstractButton) and w.text():
            out.append((name, w.text()))
        if isinstance(w, QLineEdit | QPlainTextEdit) and w.placeholderText():
            out.append((f"{name} placeholder", w.placeholderText()))
        if w.accessibleName():
            out.append((f"{name} accessible name", w.accessibleName()))
        if isinstance(w, CameraView):
            out.append(("camera caption", w.accessibleName()))
            if w.status_text:
                out.append(("camera status", w.status_text))
    return out


def catalog_names() -> list[str]:
    """The default catalogue's English category names (data, so they may sit inside a longer text)."""
    return [msg.findtext("source") or "" for c in ET.parse(i18n.ts_file("es")).getroot().iter("context")
            if c.findtext("name") == "Catalog" for msg in c.iter("message") if " " in (msg.findtext("source") or "")]


SPANISH_MONTHS = ("enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
                  "ene|feb|mar|abr|jun|jul|ago|sept|oct|nov|dic")
CLOCK_12H = re.compile(r"\b\d{1,2}:\d{2} ?(AM|PM)\b")  # "8:00 AM" is English
DAY_WITHOUT_DE = re.compile(rf"\b\d{{1,2}} ({SPANISH_MONTHS})\b")  # "2 diciembre": Spanish says "2 de diciembre"
ENGLISH_UPDATES = ("Ticket received", "Status: ", "Update")  # a ticket's last public update, as the domain writes it


def untranslated(screen: QWidget, patterns: list[tuple[re.Pattern[str], str]]) -> list[str]:
    found = []
    names = catalog_names()
    for where, text in texts(screen):
        if m := DAY_WITHOUT_DE.search(text):
            found.append(f"{type(screen).__name__} {where}: {m.group(0)!r} in {text!r} (a Spanish date has 'de')")
        if m := CLOCK_12H.search(text):
            found.append(f"{type(screen).__name__} {where}: {m.group(0)!r} in {text!r} (Spanish reads 24 hours)")
        found.extend(f"{type(screen).__name__} {where}: {text!r} (English update {e!r})" for e in ENGLISH_UPDATES
                     if re.search(rf"(^|: ){re.escape(e)}", text))
        for piece in re.split(r"<br>|\n| · ", re.sub(r"</?(b|span)[^>]*>", "", text)):
            piece = piece.strip()
            for rx, source in patterns:
                if piece and rx.match(piece):
                    found.append(f"{type(screen).__name__} {where}: {piece!r} (English {source!r})")
                    break
            else:
                found.extend(f"{type(screen).__name__} {where}: {piece!r} (English category {name!r})"
                             for name in names if name in piece)
    return found


def test_every_walk_up_screen_is_spanish_with_nothing_clipped(kiosk: Kiosk) -> None:
    k, flow = kiosk, kiosk.flow
    patterns = english_patterns()
    assert len(patterns) > 200
    flow.set_language("es")
    assert flow.language == "es"
    found: list[str] = []

    def check(screen: QWidget) -> None:
        k.wait_for(screen)
        k.idle_workers()
        found.extend(untranslated(screen, patterns))
        found.extend(problems(k, screen, walk_up=True, size=QSize(1366, 768)))

    flow.home.set_camera_status("missing", "no camera at 0")
    check(flow.home)
    from datetime import timedelta

    from kiosk.sync.client import SyncStatus, describe

    now = k.db.clock.now()
    for status in (SyncStatus("online", now, 2, 1), SyncStatus("online", now - timedelta(days=3), 1),
                   SyncStatus("offline", now, 3), SyncStatus("offline", None, 2), SyncStatus("never", None, 0),
                   SyncStatus("error", now, 0, message="the server refused this kiosk (403)")):
        flow.home.set_sync(describe(status, now))  # an enrolled kiosk's sync line
        check(flow.home)
    flow.show(flow.type_tag)
    flow.type_tag.field.setText("x")
    flow.type_tag._enter()  # not a tag: the domain's message, in Spanish
    check(flow.type_tag)
    flow.on_tag(k.tag_with_open_ticket)
    k.wait_for(flow.card)
    k.idle_workers()
    flow.card.offer_survey("LE01-7KQ2MX")
    check(flow.card)
    cells = [str(flow.card.model.index(r, c).data()) for r in range(flow.card.model.rowCount())
             for c in range(flow.card.model.columnCount())]
    assert cells and not [c for c in cells if any(re.match(re.escape(e), c) for e in ENGLISH_UPDATES)], cells
    assert not [c for c in cells if DAY_WITHOUT_DE.search(c)], cells
    flow.start_device_report()
    check(flow.categories)
    with k.db.unit() as ctx:
        choice = next(c for c in walkup.categories(ctx.session) if c.code == k.open_category_code)
    flow.on_category(choice)
    check(flow.duplicate)
    flow.on_file_new()
    k.wait_for(flow.details)
    flow.details.description.setPlainText("x")
    flow.details.submit_button.click()  # too short
    assert flow.details.error_label.text().startswith("La descripción es demasiado corta")
    check(flow.details)
    flow.details.reporter.setText("no")
    flow.details.description.setPlainText("La pantalla tiene una grieta arriba.")
    flow.details.submit_button.click()  # not an ID or an email
    check(flow.details)
    flow.on_submit(ReportInput("La pantalla tiene una grieta arriba.", "204511", "P3", None))
    check(flow.receipt)
    number = flow.receipt.number.text()
    flow.show(flow.check)
    flow.on_check(number)
    k.qtbot.waitUntil(lambda: bool(flow.check.detail.text()))
    check(flow.check)
    assert "Ticket recibido" in flow.check.detail.text()  # the last update of the new ticket, in Spanish
    flow.on_check("ZZ99-NOPE")
    k.qtbot.waitUntil(lambda: bool(flow.check.error_label.text()))
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
    flow.survey._send()  # nothing answered
    check(flow.survey)
    flow.idle.WARN_SECONDS = 1  # type: ignore[misc]
    flow.show(flow.type_tag)
    flow.still_there.start(9)
    check(flow.type_tag)
    flow.still_there.stop()
    flow.start_staff_sign_in()
    check(flow.sign_in)
    assert not found, "\n".join(found)
    with k.db.unit() as ctx:
        ticket = ctx.session.scalars(select(Ticket).where(Ticket.number == number)).one()
        assert ticket.language == "es"


def test_the_walk_fails_on_an_english_string(kiosk: Kiosk) -> None:
    """The check above can fail: an English text left on a Spanish screen is found."""
    kiosk.flow.set_language("es")
    kiosk.flow.show(kiosk.flow.type_tag)
    kiosk.flow.type_tag.title_label.setText("Type the tag")
    kiosk.flow.type_tag.show_error("No device with tag DS1 is registered.")  # a filled-in English pattern
    found = untranslated(kiosk.flow.type_tag, english_patterns())
    assert any("'Type the tag'" in f for f in found) and any("No device with tag {0}" in f for f in found), found
    kiosk.flow.details.context.setText("Liquid or physical damage · dispositivo DS100151")  # a data name inside
    kiosk.flow.show(kiosk.flow.details)
    assert any("'Liquid or physical damage'" in f for f in untranslated(kiosk.flow.details, english_patterns()))
    kiosk.flow.home.sync_label.setText("● Synced 14:02 · 2 changes waiting to send")  # as the sync client writes it
    kiosk.flow.home.rotation.next_label.setText("<b>lun 2 dic</b> · 9:00 AM")  # a date without "de"
    kiosk.flow.show(kiosk.flow.home)
    found = untranslated(kiosk.flow.home, english_patterns())
    assert any("● Synced {0}" in f for f in found) and any("changes waiting" in f for f in found), found
    assert any("a Spanish date has 'de'" in f for f in found), found
    kiosk.flow.check.detail.setText("Última actualización (lun 2 de dic): Ticket received")
    kiosk.flow.show(kiosk.flow.check)
    assert any("English update" in f for f in untranslated(kiosk.flow.check, english_patterns()))


def test_spanish_dates_say_de_and_english_ones_do_not(kiosk: Kiosk) -> None:
    from datetime import date

    from kiosk.domain.language import long_date
    from kiosk.ui.language import dates

    assert long_date("es", date(2026, 12, 2)) == "miércoles 2 de diciembre"
    assert long_date("en", date(2026, 12, 2)) == "Wednesday 2 December"
    assert long_date("es", date(2026, 12, 2), weekday=False) == "2 de diciembre"
    kiosk.flow.set_language("es")
    assert dates("Wednesday 2 December") == "miércoles 2 de diciembre"
    assert dates("Wed 2 Dec, 2:00 PM") == "mié 2 de dic, 14:00"  # Spanish reads the 24-hour clock
    assert dates("8:05 AM") == "8:05" and dates("12:30 PM") == "12:30" and dates("12:10 AM") == "0:10"
    assert dates("Wednesday 2 December 2026") == "miércoles 2 de diciembre de 2026"
    assert dates("Dec 02 14:00") == "2 de dic 14:00"  # the sync line's older "last sync"
    kiosk.flow.set_language("en")
    assert dates("Wednesday 2 December") == "Wednesday 2 December"
    assert dates("Wed 2 Dec, 2:00 PM") == "Wed 2 Dec, 2:00 PM"


def test_the_language_button_and_the_idle_reset_to_the_district_default(kiosk: Kiosk) -> None:
    flow = kiosk.flow
    assert flow.home.type_button.text() == "Type the tag"
    flow.home.language_buttons["es"].click()
    assert flow.home.type_button.text() == "Escribir la etiqueta"
    assert flow.home.language_buttons["es"].isChecked() and not flow.home.language_buttons["en"].isChecked()
    flow.show(flow.type_tag)
    assert flow.type_tag.title_label.text() == "Escribir la etiqueta"
    flow.on_idle()
    assert flow.window.current is flow.home and flow.language == "en"
    assert flow.home.type_button.text() == "Type the tag" and flow.type_tag.field.placeholderText().startswith("Asset")
    flow.home.language_buttons["es"].click()
    flow.home.language_buttons["en"].click()  # and back by hand
    assert flow.home.type_button.text() == "Type the tag"
    assert flow.home.staff_button.text() == "Staff"


def test_a_district_whose_language_is_spanish_starts_and_resets_in_spanish(kiosk: Kiosk) -> None:
    from kiosk.domain.models import District

    k, flow = kiosk, kiosk.flow
    with k.db.unit() as ctx:
        for d in ctx.session.scalars(select(District)):
            d.language = "es"
    flow._after_prepare()
    k.qtbot.waitUntil(lambda: flow.language == "es")
    flow.set_language("en")
    flow.on_idle()
    assert flow.language == "es" and flow.home.check_button.text() == "Consultar un ticket"


def test_emails_and_the_survey_page_speak_the_reporters_language() -> None:
    assert message("es", "Ticket {number} received", number="LE01-7KQ2MX") == "Recibimos el ticket LE01-7KQ2MX"
    assert message("en", "Ticket {number} received", number="LE01-7KQ2MX") == "Ticket LE01-7KQ2MX received"
    assert message(None, "Send") == "Send"
    assert all(v for v in SPANISH.values())


def test_a_spanish_reporters_received_email_is_in_spanish(db: object) -> None:
    from kiosk.domain import seed, tickets
    from kiosk.domain.db import Actor, Database

    assert isinstance(db, Database)
    seed.seed(db, seed.SeedOptions(devices=20, tickets=0))
    with db.unit(Actor(label="kiosk")) as ctx:
        cat = walkup.categories(ctx.session)[0]
        campus = walkup.campuses(ctx.session)[0][0]
        t = tickets.create_ticket(ctx, category=cat.code, description="La impresora no imprime.",
                                  reporter="ana@example.org", campus=campus, language="es")
        en = tickets.create_ticket(ctx, category=cat.code, description="The printer jams.",
                                   reporter="bob@example.org", campus=campus)
        numbers = {t.number: "es", en.number: "en"}
    with db.unit() as ctx:
        mails = {m.to_address: m for m in ctx.session.scalars(select(EmailMessage))}
    assert mails["ana@example.org"].subject.startswith("Recibimos el ticket")
    assert "Puede ver cómo va" in mails["ana@example.org"].body
    assert re.search(rf"antes del [a-zé]+ \d{{1,2}} de ({SPANISH_MONTHS}), \d\d:\d\d UTC",
                     mails["ana@example.org"].body), mails["ana@example.org"].body
    assert mails["bob@example.org"].subject.endswith("received")
    assert re.search(r"by [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+, \d\d:\d\d UTC", mails["bob@example.org"].body)
    assert set(numbers.values()) == {"es", "en"}


def test_lupdate_finds_no_new_or_unfinished_string(tmp_path: Path) -> None:
    """pyside6-lupdate over the UI sources, into a copy of the .ts: every string is there and translated."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists() and shutil.which("pyside6-lupdate") is None:
        pytest.fail("pyside6-lupdate is not installed (it comes with PySide6)")
    copy = tmp_path / "kiosk_es.ts"
    shutil.copy(i18n.ts_file("es"), copy)
    done = subprocess.run([str(lupdate if lupdate.exists() else "pyside6-lupdate"), *map(str, i18n.sources()),
                           "-ts", str(copy), "-source-language", "en", "-target-language", "es",
                           "-locations", "none", "-no-obsolete"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "0 new" in done.stdout, done.stdout
    assert not i18n.unfinished(copy), i18n.unfinished(copy)[:20]


def test_the_compiled_translation_loads(tmp_path: Path) -> None:
    from PySide6.QtCore import QTranslator

    (qm,) = i18n.compile_translations(tmp_path)
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("HomeScreen", "Type the tag") == "Escribir la etiqueta"


def test_a_district_renamed_category_shows_the_districts_name_and_its_spanish_name(kiosk: Kiosk) -> None:
    """The district file renames a category and may give it a Spanish name (name_es): the walk-up shows the
    district's name in English and its Spanish name in Spanish, on the buttons, the form and the ticket."""
    from kiosk.domain import district_file
    from kiosk.domain.db import Actor
    from kiosk.domain.models import ServiceCategory
    from kiosk.resources import resource_path

    k, flow = kiosk, kiosk.flow
    text = resource_path("district.example.toml").read_text(encoding="utf-8")
    assert 'name_es = "No enciende"' in text
    spec = district_file.read(text, "district.example.toml")
    assert spec.categories is not None
    fields = {c.key: c.fields for c in spec.categories}
    assert fields["wont_turn_on"]["name"] == "Won't turn on" and fields["wont_turn_on"]["name_es"] == "No enciende"
    with k.db.unit(Actor(label="test")) as ctx:
        district_file.apply(ctx, spec)
        assert 'name_es = "No enciende"' in district_file.export(ctx)  # and it is written back out
        again = district_file.apply(ctx, district_file.read(district_file.export(ctx), "export.toml"))
        assert not [c for c in again if "categor" in str(c)], again  # applying the export changes nothing
    with k.db.unit() as ctx:
        cat = ctx.session.scalars(select(ServiceCategory).where(ServiceCategory.code == "wont_turn_on")).one()
        assert (cat.name, cat.name_es) == ("Won't turn on", "No enciende")
    flow.set_language("es")
    flow.start_device_report()
    k.wait_for(flow.categories)
    k.idle_workers()
    shown = [b.text() for b in flow.categories.buttons]
    assert "No enciende" in shown and "Sin internet" in shown and "Won't turn on" not in shown, shown
    assert not untranslated(flow.categories, english_patterns())
    choice = next(c for c in flow.categories.buttons if c.text() == "No enciende")
    choice.click()
    k.wait_for(flow.details)
    assert flow.details.context.text().startswith("No enciende · "), flow.details.context.text()
    flow.set_language("en")
    flow.start_device_report()
    k.wait_for(flow.categories)
    k.idle_workers()
    assert "Won't turn on" in [b.text() for b in flow.categories.buttons]


def test_a_wrong_sign_in_is_told_in_spanish(kiosk: Kiosk) -> None:
    """The refusal comes from the domain (or the service) in English; the Spanish screen shows it in Spanish."""
    k = kiosk
    k.flow.set_language("es")
    k.flow.home.staff_button.click()
    k.wait_for(k.flow.sign_in)
    k.flow.sign_in.username.setText("admin")
    k.flow.sign_in.password.setText("not-the-password")
    k.flow.sign_in.go.click()
    k.qtbot.waitUntil(lambda: k.flow.sign_in.error_label.isVisible())
    assert k.flow.sign_in.error_label.text() == "Datos de inicio de sesión incorrectos."
    assert not untranslated(k.flow.sign_in, english_patterns())
