"""The kiosk's language at run time: the Qt translator, putting every shown text into the chosen language,
and the words that come from data (category names, statuses, day and month names).

Screens build their texts with ``self.tr`` as usual. ``Translations.switch`` installs the translator and walks
every widget: each text it has seen is remembered with its English source, so switching back and forth (the
language button, the idle reset to the district's default) never translates a translation.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, time

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from kiosk import i18n
from kiosk.domain.language import DEFAULT, LANGUAGES
from kiosk.domain.models import DeviceStatus, TicketStatus
from kiosk.ui.domain_text import MESSAGES

log = logging.getLogger(__name__)

# Words from data, so lupdate extracts them. The default catalogue's categories (a district that renames one
# gets its own name, untranslated), ticket statuses, and the names strftime writes in English.
CATALOG = (
    QT_TRANSLATE_NOOP("Catalog", "Cracked or broken screen"), QT_TRANSLATE_NOOP("Catalog", "Won't turn on or charge"),
    QT_TRANSLATE_NOOP("Catalog", "Keyboard, trackpad or keys"), QT_TRANSLATE_NOOP("Catalog", "Can't sign in"),
    QT_TRANSLATE_NOOP("Catalog", "App or website not working"),
    QT_TRANSLATE_NOOP("Catalog", "Liquid or physical damage"),
    QT_TRANSLATE_NOOP("Catalog", "Sound, camera or microphone"), QT_TRANSLATE_NOOP("Catalog", "Lost or stolen"),
    QT_TRANSLATE_NOOP("Catalog", "Wi-Fi or network down"), QT_TRANSLATE_NOOP("Catalog", "Projector or display panel"),
    QT_TRANSLATE_NOOP("Catalog", "Printer"), QT_TRANSLATE_NOOP("Catalog", "Personal or home device"),
    QT_TRANSLATE_NOOP("Catalog", "Something else"),
    QT_TRANSLATE_NOOP("Catalog", "laptop"), QT_TRANSLATE_NOOP("Catalog", "chromebook"),
    QT_TRANSLATE_NOOP("Catalog", "tablet"), QT_TRANSLATE_NOOP("Catalog", "desktop"),
    QT_TRANSLATE_NOOP("Catalog", "projector"), QT_TRANSLATE_NOOP("Catalog", "printer"),
    QT_TRANSLATE_NOOP("Catalog", "display"), QT_TRANSLATE_NOOP("Catalog", "hotspot"),
    QT_TRANSLATE_NOOP("Catalog", "interactive panel"), QT_TRANSLATE_NOOP("Catalog", "document camera"),
    QT_TRANSLATE_NOOP("Catalog", "access point"),
)
HEADERS = (  # RowsModel translates its headers in its own context (the walk-up device card's table)
    QT_TRANSLATE_NOOP("RowsModel", "Ticket"), QT_TRANSLATE_NOOP("RowsModel", "Problem"),
    QT_TRANSLATE_NOOP("RowsModel", "Status"), QT_TRANSLATE_NOOP("RowsModel", "Opened"),
    QT_TRANSLATE_NOOP("RowsModel", "Last update"),
)
TECH_HEADERS = (  # the technician screens' tables (RowsModel translates its headers in its own context)
    QT_TRANSLATE_NOOP("RowsModel", "Loaner"), QT_TRANSLATE_NOOP("RowsModel", "To"),
    QT_TRANSLATE_NOOP("RowsModel", "For"), QT_TRANSLATE_NOOP("RowsModel", "Due"),
    QT_TRANSLATE_NOOP("RowsModel", "State"), QT_TRANSLATE_NOOP("RowsModel", "Lent at"),
    QT_TRANSLATE_NOOP("RowsModel", "Part"), QT_TRANSLATE_NOOP("RowsModel", "Name"),
    QT_TRANSLATE_NOOP("RowsModel", "In stock"), QT_TRANSLATE_NOOP("RowsModel", "Reorder at"),
    QT_TRANSLATE_NOOP("RowsModel", "Expected"), QT_TRANSLATE_NOOP("RowsModel", "Counted"),
    QT_TRANSLATE_NOOP("RowsModel", "Difference"), QT_TRANSLATE_NOOP("RowsModel", "When"),
    QT_TRANSLATE_NOOP("RowsModel", "Record"), QT_TRANSLATE_NOOP("RowsModel", "What was changed"),
    QT_TRANSLATE_NOOP("RowsModel", "Why the server refused it"), QT_TRANSLATE_NOOP("RowsModel", "Tag"),
    QT_TRANSLATE_NOOP("RowsModel", "Device"), QT_TRANSLATE_NOOP("RowsModel", "Campus"),
    QT_TRANSLATE_NOOP("RowsModel", "Room"), QT_TRANSLATE_NOOP("RowsModel", "Assignee"),
    QT_TRANSLATE_NOOP("RowsModel", "Serial"), QT_TRANSLATE_NOOP("RowsModel", "What"),
    QT_TRANSLATE_NOOP("RowsModel", "By"), QT_TRANSLATE_NOOP("RowsModel", "Visible to"),
    QT_TRANSLATE_NOOP("RowsModel", "Change"), QT_TRANSLATE_NOOP("RowsModel", "Text"),
    QT_TRANSLATE_NOOP("RowsModel", "Kind"), QT_TRANSLATE_NOOP("RowsModel", "Minutes"),
    QT_TRANSLATE_NOOP("RowsModel", "Result"), QT_TRANSLATE_NOOP("RowsModel", "Outcome"),
    QT_TRANSLATE_NOOP("RowsModel", "Registered room"), QT_TRANSLATE_NOOP("RowsModel", "Needs a decision"),
    QT_TRANSLATE_NOOP("RowsModel", "Note"), QT_TRANSLATE_NOOP("RowsModel", "Times"),
    QT_TRANSLATE_NOOP("RowsModel", "First seen"), QT_TRANSLATE_NOOP("RowsModel", "Last seen"),
    QT_TRANSLATE_NOOP("RowsModel", "Device or model"), QT_TRANSLATE_NOOP("RowsModel", "Repairs"),
    QT_TRANSLATE_NOOP("RowsModel", "Minutes or rate"), QT_TRANSLATE_NOOP("RowsModel", "Detail"),
    QT_TRANSLATE_NOOP("RowsModel", "Last audit"), QT_TRANSLATE_NOOP("RowsModel", "Days"),
)
STATUSES = (
    QT_TRANSLATE_NOOP("Status", "new"), QT_TRANSLATE_NOOP("Status", "assigned"),
    QT_TRANSLATE_NOOP("Status", "in progress"), QT_TRANSLATE_NOOP("Status", "on hold"),
    QT_TRANSLATE_NOOP("Status", "resolved"), QT_TRANSLATE_NOOP("Status", "closed"),
    QT_TRANSLATE_NOOP("Status", "reopened"),
    # a device's status (the technician's screens)
    QT_TRANSLATE_NOOP("Status", "in service"), QT_TRANSLATE_NOOP("Status", "in repair"),
    QT_TRANSLATE_NOOP("Status", "loaner"), QT_TRANSLATE_NOOP("Status", "spare"),
    QT_TRANSLATE_NOOP("Status", "retired"), QT_TRANSLATE_NOOP("Status", "missing"),
    # who reported a ticket
    QT_TRANSLATE_NOOP("Status", "student"), QT_TRANSLATE_NOOP("Status", "teacher"),
    QT_TRANSLATE_NOOP("Status", "staff"),
)
# The repair desk's defaults (kiosk.domain.desk_settings): a district that sets its own keeps its own words.
DESK = (
    QT_TRANSLATE_NOOP("Desk", "Repaired on site"), QT_TRANSLATE_NOOP("Desk", "Part replaced"),
    QT_TRANSLATE_NOOP("Desk", "Sent to depot"), QT_TRANSLATE_NOOP("Desk", "Replaced with spare"),
    QT_TRANSLATE_NOOP("Desk", "User training"), QT_TRANSLATE_NOOP("Desk", "No fault found"),
    QT_TRANSLATE_NOOP("Desk", "Repair at no charge; go over device care with the student"),
    QT_TRANSLATE_NOOP("Desk", "Fee of $25; the school calls home"),
    QT_TRANSLATE_NOOP("Desk", "Fee of the full repair cost; meeting with a parent; the device stays at school"),
    QT_TRANSLATE_NOOP("Desk", "Remove the device from the management console (Chromebooks: Google Admin, "
                              "deprovision)"),
    QT_TRANSLATE_NOOP("Desk", "Note the serial number and the vendor's case number on the ticket"),
    QT_TRANSLATE_NOOP("Desk", "Photograph the damage"),
    QT_TRANSLATE_NOOP("Desk", "Keep the charger and the asset tag record at school"),
)
DATES = (
    QT_TRANSLATE_NOOP("Dates", "Monday"), QT_TRANSLATE_NOOP("Dates", "Tuesday"),
    QT_TRANSLATE_NOOP("Dates", "Wednesday"), QT_TRANSLATE_NOOP("Dates", "Thursday"),
    QT_TRANSLATE_NOOP("Dates", "Friday"), QT_TRANSLATE_NOOP("Dates", "Saturday"),
    QT_TRANSLATE_NOOP("Dates", "Sunday"),
    QT_TRANSLATE_NOOP("Dates", "Mon"), QT_TRANSLATE_NOOP("Dates", "Tue"), QT_TRANSLATE_NOOP("Dates", "Wed"),
    QT_TRANSLATE_NOOP("Dates", "Thu"), QT_TRANSLATE_NOOP("Dates", "Fri"), QT_TRANSLATE_NOOP("Dates", "Sat"),
    QT_TRANSLATE_NOOP("Dates", "Sun"),
    QT_TRANSLATE_NOOP("Dates", "January"), QT_TRANSLATE_NOOP("Dates", "February"),
    QT_TRANSLATE_NOOP("Dates", "March"), QT_TRANSLATE_NOOP("Dates", "April"), QT_TRANSLATE_NOOP("Dates", "May"),
    QT_TRANSLATE_NOOP("Dates", "June"), QT_TRANSLATE_NOOP("Dates", "July"), QT_TRANSLATE_NOOP("Dates", "August"),
    QT_TRANSLATE_NOOP("Dates", "September"), QT_TRANSLATE_NOOP("Dates", "October"),
    QT_TRANSLATE_NOOP("Dates", "November"), QT_TRANSLATE_NOOP("Dates", "December"),
    QT_TRANSLATE_NOOP("Dates", "Jan"), QT_TRANSLATE_NOOP("Dates", "Feb"), QT_TRANSLATE_NOOP("Dates", "Mar"),
    QT_TRANSLATE_NOOP("Dates", "Apr"), QT_TRANSLATE_NOOP("Dates", "Jun"), QT_TRANSLATE_NOOP("Dates", "Jul"),
    QT_TRANSLATE_NOOP("Dates", "Aug"), QT_TRANSLATE_NOOP("Dates", "Sep"), QT_TRANSLATE_NOOP("Dates", "Oct"),
    QT_TRANSLATE_NOOP("Dates", "Nov"), QT_TRANSLATE_NOOP("Dates", "Dec"),
)
DATE_ORDER = (  # a day and its month ("2 December", "2 December 2026"): Spanish puts "de" between them
    QT_TRANSLATE_NOOP("Dates", "{0} {1}"), QT_TRANSLATE_NOOP("Dates", "{0} {1} {2}"),
)
_MONTH_WORDS = "|".join(sorted((str(d) for d in DATES[14:]), key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}) ({_MONTH_WORDS})\b(?: (\d{{4}})\b)?")
_MONTH_DAY = re.compile(rf"\b({_MONTH_WORDS}) (\d{{1,2}})\b(?!:)")  # "Dec 02 14:00" (the sync line's)
_DATE_WORDS = re.compile(r"\b(" + "|".join(sorted((str(d) for d in DATES), key=len, reverse=True)) + r")\b")
_PROPERTIES = ("text", "placeholderText", "accessibleName", "toolTip")
# Contexts tried after a widget's own classes: texts a controller (a QObject, not a parent widget) set on a
# screen, such as the technician flow's "Menu" buttons, and the words from data (statuses, the catalogue).
FALLBACK_CONTEXTS = ("TechFlow", "RepairDesk", "Status", "Catalog", "Desk")
# A combo-box item's [English source, shown text], in a role of its own (Qt.UserRole holds the item's key).
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 0x1A18


_current = [DEFAULT]  # the language Translations.switch last put on screen


def current() -> str:
    return _current[0]


def catalog(name: str) -> str:
    """A category (or device kind) name from the default catalogue, in the kiosk's language."""
    return QCoreApplication.translate("Catalog", name.replace("_", " "))


def category(name: str, name_es: str | None = None) -> str:
    """A service category's name in the kiosk's language: in Spanish, the district's own Spanish name when its
    district file gives one (``name_es``); else the default catalogue's translation; else the district's name."""
    if name_es and current() == "es":
        return name_es
    return catalog(name)


def desk(text: str) -> str:
    """A repair-desk default (resolution code, damage policy, depot checklist) in the kiosk's language."""
    return QCoreApplication.translate("Desk", text)


def status(value: str) -> str:
    return QCoreApplication.translate("Status", value.replace("_", " "))


def dates(text: str) -> str:
    """strftime's English day and month names in the kiosk's language, in its order ("2 de diciembre")."""

    def day_month(m: re.Match[str]) -> str:
        day, month, year = m.group(1).lstrip("0") or "0", QCoreApplication.translate("Dates", m.group(2)), m.group(3)
        if year:
            return QCoreApplication.translate("Dates", "{0} {1} {2}").format(day, month, year)
        return QCoreApplication.translate("Dates", "{0} {1}").format(day, month)

    text = _MONTH_DAY.sub(lambda m: f"{m.group(2)} {m.group(1)}", text)
    text = _DAY_MONTH.sub(day_month, text)
    if current() != "en":  # "2:00 PM" is English: Spanish reads the 24-hour clock ("14:00")
        text = _CLOCK_12H.sub(_clock_24h, text)
    return _DATE_WORDS.sub(lambda m: QCoreApplication.translate("Dates", m.group(1)), text)


_CLOCK_12H = re.compile(r"\b(\d{1,2}):(\d{2}) ?(AM|PM)\b")


def _clock_24h(m: re.Match[str]) -> str:
    return f"{int(m.group(1)) % 12 + (12 if m.group(3) == 'PM' else 0)}:{m.group(2)}"


def clock(t: time | datetime) -> str:
    """A time of day as the kiosk's language writes it: "8:00 AM" in English, "8:00" and "14:00" in Spanish."""
    return dates(t.strftime("%I:%M %p").lstrip("0"))


def _contexts(w: QWidget) -> list[str]:
    """The tr() contexts a widget's text may come from: the classes of it and its parents, nearest first."""
    out: list[str] = []
    p: QWidget | None = w
    while p is not None:
        for cls in type(p).__mro__:
            if cls.__module__.startswith("PySide6") or cls is object:
                break
            if cls.__name__ not in out:
                out.append(cls.__name__)
        p = p.parentWidget()
    return out + [c for c in FALLBACK_CONTEXTS if c not in out]


def _get(w: QWidget, prop: str) -> str | None:
    if prop == "text":
        return w.text() if isinstance(w, QLabel | QAbstractButton) else None
    if prop == "placeholderText":
        return w.placeholderText() if isinstance(w, QLineEdit | QPlainTextEdit) else None
    if prop == "accessibleName":
        return w.accessibleName()
    return w.toolTip()


def _set(w: QWidget, prop: str, value: str) -> None:
    if prop == "text":
        w.setText(value)  # type: ignore[attr-defined]
    elif prop == "placeholderText":
        w.setPlaceholderText(value)  # type: ignore[attr-defined]
    elif prop == "accessibleName":
        w.setAccessibleName(value)
    else:
        w.setToolTip(value)


class Translations:
    """The one Qt translator of the kiosk; ``switch(lang, root)`` changes language and the texts on screen."""

    def __init__(self) -> None:
        self.lang = DEFAULT
        self._translator: QTranslator | None = None
        self._reverse: dict[str, str] = {}

    def switch(self, lang: str, *roots: QWidget) -> bool:
        lang = lang if lang in LANGUAGES else DEFAULT
        app = QCoreApplication.instance()
        if app is None:
            return False
        if lang != self.lang:
            if self._translator is not None:
                app.removeTranslator(self._translator)
                self._translator = None
            if lang != "en":
                translator = QTranslator(app)
                qm = i18n.qm_file(lang)
                if qm is None or not translator.load(str(qm)):
                    log.error("no %s translation (%s): staying in %s", lang, qm, self.lang)
                    return False
                app.installTranslator(translator)
                self._translator = translator
                self._reverse.update(i18n.reverse_catalogue(lang))
            self.lang = lang
        _current[0] = lang
        for root in roots:
            self.retranslate(root)
        return True

    def _source(self, seen: object, current: str) -> str:
        """The English source of a text on screen: the one remembered with it, else the reverse catalogue's."""
        if isinstance(seen, list) and len(seen) == 2 and seen[1] == current:
            return str(seen[0])
        return self._reverse.get(current, current)  # a text set since the last switch

    @staticmethod
    def _translated(source: str, contexts: list[str]) -> str:
        for context in contexts:
            translated = QCoreApplication.translate(context, source)
            if translated != source:
                return translated
        return source

    def retranslate(self, root: QWidget) -> None:
        for w in [root, *root.findChildren(QWidget)]:
            contexts: list[str] | None = None
            if isinstance(w, QComboBox) and w.count():
                contexts = _contexts(w)
                for i in range(w.count()):
                    item = w.itemText(i)
                    if not item:
                        continue
                    source = self._source(w.itemData(i, SOURCE_ROLE), item)
                    shown = self._translated(source, contexts)
                    if shown != item:
                        w.setItemText(i, shown)
                    w.setItemData(i, [source, shown], SOURCE_ROLE)
            for prop in _PROPERTIES:
                current = _get(w, prop)
                if not current:
                    continue
                key = f"_i18n_{prop}"
                source = self._source(w.property(key), current)
                if contexts is None:
                    contexts = _contexts(w)
                shown = self._translated(source, contexts)
                if shown != current:
                    _set(w, prop, shown)
                w.setProperty(key, [source, shown])


Rules = list[tuple[re.Pattern[str], str]]


def _rules(pairs: tuple[tuple[str, object], ...], flags: int = 0) -> Rules:
    """(pattern of the English text the domain writes, its translatable message with {0}, {1} for the groups)."""
    return [(re.compile(f"^{rx}$", flags), str(msg)) for rx, msg in pairs]


def _by_rules(rules: Rules, context: str, text: str, value: Callable[[str], str] = str) -> str | None:
    """``text`` through the first rule it matches, each group passed through ``value``; None when none matches."""
    for rx, msg in rules:
        if m := rx.match(text):
            return QCoreApplication.translate(context, msg).format(*(value(g) for g in m.groups()))
    return None


# Messages the domain raises on walk-up screens (English, without Qt): shown in the kiosk's language.
_ERRORS = (
    (r"(.+) is not an asset tag \(3-32 letters, digits or '-'\)",
     QT_TRANSLATE_NOOP("Errors", "{0} is not an asset tag (3-32 letters, digits or '-')")),
    (r"that email address does not look right", QT_TRANSLATE_NOOP("Errors", "that email address does not look right")),
    (r"enter your school ID number \(4-16 letters or digits\) or your school email",
     QT_TRANSLATE_NOOP("Errors", "enter your school ID number (4-16 letters or digits) or your school email")),
    (r"the (\w+) contains a control character", QT_TRANSLATE_NOOP("Errors", "the {0} contains a control character")),
    (r"the (\w+) is too short \(at least (\d+) characters\)",
     QT_TRANSLATE_NOOP("Errors", "the {0} is too short (at least {1} characters)")),
    (r"the (\w+) is too long \((\d+) of at most (\d+) characters\)",
     QT_TRANSLATE_NOOP("Errors", "the {0} is too long ({1} of at most {2} characters)")),
    (r"this survey belongs to the person who reported the ticket: enter the school ID or email you gave then",
     QT_TRANSLATE_NOOP("Errors", "this survey belongs to the person who reported the ticket: enter the school ID "
                                 "or email you gave then")),
    (r"no device has asset tag (.+)", QT_TRANSLATE_NOOP("Errors", "no device has asset tag {0}")),
    (r"(\S+@\S+) is not a school email: use your address at (.+), or your school ID number",
     QT_TRANSLATE_NOOP("Errors", "{0} is not a school email: use your address at {1}, or your school ID number")),
    (r"are you a student or staff\? Tap one beside your email",
     QT_TRANSLATE_NOOP("Errors", "are you a student or staff? Tap one beside your email")),
    (r"no printer is set up on this kiosk: ask the district to set a default printer",
     QT_TRANSLATE_NOOP("Errors", "no printer is set up on this kiosk: ask the district to set a default printer")),
    (r"printing cancelled", QT_TRANSLATE_NOOP("Errors", "printing cancelled")),
    (r"Wrong sign-in details\.", QT_TRANSLATE_NOOP("Errors", "Wrong sign-in details.")),
    (r"(This account|This kiosk) is locked after (\d+) failed attempts; try again in (\d+) minutes\.",
     QT_TRANSLATE_NOOP("Errors", "{0} is locked after {1} failed attempts; try again in {2} minutes.")),
    (r"Too many failed attempts: locked for (\d+) minutes\.",
     QT_TRANSLATE_NOOP("Errors", "Too many failed attempts: locked for {0} minutes.")),
    (r"only the person who reported this ticket can say it is not solved",
     QT_TRANSLATE_NOOP("Errors", "only the person who reported this ticket can say it is not solved")),
)
_FIELDS = (QT_TRANSLATE_NOOP("Errors", "description"), QT_TRANSLATE_NOOP("Errors", "comment"),
           QT_TRANSLATE_NOOP("Errors", "This account"), QT_TRANSLATE_NOOP("Errors", "This kiosk"))
_ERROR_RULES = _rules(_ERRORS, re.IGNORECASE)


_DOMAIN_RULES = _rules(MESSAGES, re.IGNORECASE)
_STATUS_VALUES = frozenset(s.value for s in (*TicketStatus, *DeviceStatus))


def _value(text: str) -> str:
    """A value inside a domain message: a status or a field name in the kiosk's language; anything else (tags,
    names, numbers, dates) as it is."""
    if text in _STATUS_VALUES:
        return status(text)
    return QCoreApplication.translate("Errors", text)


def error(text: str) -> str:
    """A domain message in the kiosk's language: the walk-up's own rules (``_ERRORS``) first, then every sentence
    ``kiosk.domain`` raises (``kiosk/ui/domain_text.py``); other text as it is."""
    out = _by_rules(_ERROR_RULES, "Errors", text, _value) or _by_rules(_DOMAIN_RULES, "Domain", text, _value)
    if out is None:
        return text
    return out[:1].upper() + out[1:] if text[:1].isupper() else out


# A ticket's coverage (kiosk.domain.triage writes it in English, without Qt): plan names, numbers and dates kept.
_COVERAGE = (
    (r"accidental-damage plan (.+): claim (\d+) of (\d+) this school year",
     QT_TRANSLATE_NOOP("Triage", "accidental-damage plan {0}: claim {1} of {2} this school year")),
    (r"not covered: plan (.+) has used all (\d+) claims this school year",
     QT_TRANSLATE_NOOP("Triage", "not covered: plan {0} has used all {1} claims this school year")),
    (r"not covered: no accidental-damage plan for this device",
     QT_TRANSLATE_NOOP("Triage", "not covered: no accidental-damage plan for this device")),
    (r"in warranty until (\S+)", QT_TRANSLATE_NOOP("Triage", "in warranty until {0}")),
    (r"not covered: warranty ended (\S+)", QT_TRANSLATE_NOOP("Triage", "not covered: warranty ended {0}")),
    (r"not covered: intentional damage", QT_TRANSLATE_NOOP("Triage", "not covered: intentional damage")),
    (r"in warranty", QT_TRANSLATE_NOOP("Triage", "in warranty")),
    (r"accidental-damage plan ?(.*)", QT_TRANSLATE_NOOP("Triage", "accidental-damage plan {0}")),
    (r"not covered", QT_TRANSLATE_NOOP("Triage", "not covered")),
)
_COVERAGE_RULES = _rules(_COVERAGE)


def coverage(text: str) -> str:
    """The triage's coverage line in the kiosk's language; a text no rule knows as it is."""
    out = _by_rules(_COVERAGE_RULES, "Triage", text)
    return text if out is None else out.strip()


# A device timeline's lines (kiosk.domain.devices.history writes them in English, without Qt). What a person
# typed (a repair's action, a note, a reason) and names (rooms, parts, people) are kept as written.
_HISTORY_OUTCOMES = (QT_TRANSLATE_NOOP("History", "found"), QT_TRANSLATE_NOOP("History", "missing"),
                     QT_TRANSLATE_NOOP("History", "misplaced"), QT_TRANSLATE_NOOP("History", "unknown"))


def history(text: str) -> str:
    """One line of a device's timeline in the kiosk's language; a line no rule knows as it is."""
    def word(source: str) -> str:  # an outcome or a kind (see the lists around this function)
        return QCoreApplication.translate("History", source)

    if m := re.match(r"^Ticket opened: (.*)$", text, re.DOTALL):
        return QCoreApplication.translate("History", "Ticket opened: {0}").format(catalog(m.group(1)))
    if m := re.match(r"^audit in (.+): (\w+)$", text):
        return QCoreApplication.translate("History", "audit in {0}: {1}").format(m.group(1), word(m.group(2)))
    if m := re.match(r"^(status): (\S+) -> (\S+)(.*)$", text, re.DOTALL):
        return f"{word(m.group(1))}: {status(m.group(2)) if m.group(2) != '-' else '-'} → {status(m.group(3))}" \
               f"{m.group(4)}"
    if m := re.match(r"^(\w+): (.*)$", text, re.DOTALL):  # another event or a move: its kind, then as written
        return f"{word(m.group(1))}: {m.group(2).replace(' -> ', ' → ')}"
    if m := re.match(r"^(.*) \(parts: (.*)\)$", text, re.DOTALL):
        return QCoreApplication.translate("History", "{0} (parts: {1})").format(m.group(1), m.group(2))
    if m := re.match(r"^(.*) \(parts (\$.*)\)$", text, re.DOTALL):
        return QCoreApplication.translate("History", "{0} (parts {1})").format(m.group(1), m.group(2))
    return text


_HISTORY_KINDS = (QT_TRANSLATE_NOOP("History", "status"), QT_TRANSLATE_NOOP("History", "assignment"),
                  QT_TRANSLATE_NOOP("History", "note"), QT_TRANSLATE_NOOP("History", "priority"),
                  QT_TRANSLATE_NOOP("History", "repair"), QT_TRANSLATE_NOOP("History", "room"),
                  QT_TRANSLATE_NOOP("History", "campus"), QT_TRANSLATE_NOOP("History", "reopened"),
                  QT_TRANSLATE_NOOP("History", "escalation"), QT_TRANSLATE_NOOP("History", "survey"),
                  QT_TRANSLATE_NOOP("History", "report_added"))


# What the system writes in a ticket's events (kiosk.domain writes it in English, without Qt): the repair line's
# frame, survey invitations and answers, a loan, the automatic close, a reopen, an escalation. What a technician
# or a reporter typed (a repair's action, a note, a comment) is kept as written.
_EVENTS = (
    (r"(.*) \((\d+) min, parts: (.*)\)", QT_TRANSLATE_NOOP("Events", "{0} ({1} min, parts: {2})")),
    (r"Survey invitation sent by email", QT_TRANSLATE_NOOP("Events", "Survey invitation sent by email")),
    (r"Survey invitation sent \(kiosk only\)", QT_TRANSLATE_NOOP("Events", "Survey invitation sent (kiosk only)")),
    (r"Survey answered: solved, overall (\d)/5", QT_TRANSLATE_NOOP("Events", "Survey answered: solved, overall {0}/5")),
    (r"Survey answered: not solved, overall (\d)/5",
     QT_TRANSLATE_NOOP("Events", "Survey answered: not solved, overall {0}/5")),
    (r"answered: solved, overall (\d)/5", QT_TRANSLATE_NOOP("Events", "answered: solved, overall {0}/5")),
    (r"answered: not solved, overall (\d)/5", QT_TRANSLATE_NOOP("Events", "answered: not solved, overall {0}/5")),
    (r"invited", QT_TRANSLATE_NOOP("Events", "invited")),
    (r"answered", QT_TRANSLATE_NOOP("Events", "answered")),
    (r"Loaner (\S+) lent until (\S+)", QT_TRANSLATE_NOOP("Events", "Loaner {0} lent until {1}")),
    (r"Closed automatically: no reply (\d+) business days after it was resolved",
     QT_TRANSLATE_NOOP("Events", "Closed automatically: no reply {0} business days after it was resolved")),
    (r"The reporter says the problem is not solved\.(.*)",
     QT_TRANSLATE_NOOP("Events", "The reporter says the problem is not solved.{0}")),
    (r"Reopened: the reporter answered the satisfaction survey that the problem is not solved\.",
     QT_TRANSLATE_NOOP("Events", "Reopened: the reporter answered the satisfaction survey that the problem is "
                                 "not solved.")),
    (r"Reopened: the reporter answered the satisfaction survey that the problem is not solved\. Their comment: (.*)",
     QT_TRANSLATE_NOOP("Events", "Reopened: the reporter answered the satisfaction survey that the problem is "
                                 "not solved. Their comment: {0}")),
    (r"SLA breached: (\S+) (first response|resolution) \((P\d)\)",
     QT_TRANSLATE_NOOP("Events", "SLA breached: {0} {1} ({2})")),
    (r"SLA warning: (\S+) (first response|resolution) at (\d+)% \((P\d)\)",
     QT_TRANSLATE_NOOP("Events", "SLA warning: {0} {1} at {2}% ({3})")),
)
_EVENT_WORDS = (QT_TRANSLATE_NOOP("Events", "first response"), QT_TRANSLATE_NOOP("Events", "resolution"))
_EVENT_RULES = _rules(_EVENTS, re.DOTALL)


def event(text: str | None) -> str:
    """A ticket event's text (or a survey's state) the system wrote, in the kiosk's language; what people typed
    stays as they wrote it."""
    if not text:
        return ""
    out = _by_rules(_EVENT_RULES, "Events", text,
                    lambda g: QCoreApplication.translate("Events", g) if g in _EVENT_WORDS else g)
    return text if out is None else out


# What kiosk.domain.rotation writes when nobody typed a reason or the technician is gone (a holiday's name or an
# admin's note stays as typed).
_ROTATION = {"cancelled": QT_TRANSLATE_NOOP("Rotation", "cancelled"),
             "campus closed": QT_TRANSLATE_NOOP("Rotation", "campus closed"),
             "A technician": QT_TRANSLATE_NOOP("Rotation", "A technician")}


def rotation(text: str) -> str:
    """A word the rotation writes (a visit's reason for being cancelled, an unnamed technician) in the kiosk's
    language; anything typed as it is."""
    return QCoreApplication.translate("Rotation", str(_ROTATION[text])) if text in _ROTATION else text


# What an admin action did (kiosk.domain.district_admin.Change: "created campus EAST", "changed staff jdoe:
# email, role"), and "jdoe: no change". The verb becomes a noun, so Spanish need not agree in gender; names stay.
_CHANGE_VERBS = {"created": QT_TRANSLATE_NOOP("Changes", "Created"), "changed": QT_TRANSLATE_NOOP("Changes", "Changed"),
                 "retired": QT_TRANSLATE_NOOP("Changes", "Retired"), "enabled": QT_TRANSLATE_NOOP("Changes", "Enabled"),
                 "disabled": QT_TRANSLATE_NOOP("Changes", "Disabled"), "shown": QT_TRANSLATE_NOOP("Changes", "Shown"),
                 "hidden": QT_TRANSLATE_NOOP("Changes", "Hidden"), "removed": QT_TRANSLATE_NOOP("Changes", "Removed")}
_CHANGE_THINGS = {"campus": QT_TRANSLATE_NOOP("Changes", "campus"), "room": QT_TRANSLATE_NOOP("Changes", "room"),
                  "staff": QT_TRANSLATE_NOOP("Changes", "staff account"),
                  "category": QT_TRANSLATE_NOOP("Changes", "category"),
                  "holiday": QT_TRANSLATE_NOOP("Changes", "holiday"),
                  "objective": QT_TRANSLATE_NOOP("Changes", "objective"),
                  "rotation": QT_TRANSLATE_NOOP("Changes", "rotation visit"),
                  "rotation_exception": QT_TRANSLATE_NOOP("Changes", "visit change"),
                  "sla_target": QT_TRANSLATE_NOOP("Changes", "SLA target"),
                  "district": QT_TRANSLATE_NOOP("Changes", "district"),
                  "hours": QT_TRANSLATE_NOOP("Changes", "working hours")}
_CHANGE_FIELDS = {
    "name": QT_TRANSLATE_NOOP("Changes", "name"),
    "first_name": QT_TRANSLATE_NOOP("Changes", "first name"),
    "last_name": QT_TRANSLATE_NOOP("Changes", "last name"),
    "email": QT_TRANSLATE_NOOP("Changes", "email"),
    "role": QT_TRANSLATE_NOOP("Changes", "role"),
    "badge_code": QT_TRANSLATE_NOOP("Changes", "badge code"),
    "active": QT_TRANSLATE_NOOP("Changes", "active"),
    "campus_id": QT_TRANSLATE_NOOP("Changes", "campus"),
    "room_id": QT_TRANSLATE_NOOP("Changes", "room"),
    "lead_of_campus_id": QT_TRANSLATE_NOOP("Changes", "lead of campus"),
    "scope": QT_TRANSLATE_NOOP("Changes", "scope"),
    "default_priority": QT_TRANSLATE_NOOP("Changes", "default priority"),
    "opens": QT_TRANSLATE_NOOP("Changes", "opens"),
    "closes": QT_TRANSLATE_NOOP("Changes", "closes"),
    "end_date": QT_TRANSLATE_NOOP("Changes", "end date"),
    "valid_to": QT_TRANSLATE_NOOP("Changes", "valid to"),
    "comparator": QT_TRANSLATE_NOOP("Changes", "comparator"),
    "target": QT_TRANSLATE_NOOP("Changes", "target"),
    "response_minutes": QT_TRANSLATE_NOOP("Changes", "response minutes"),
    "resolution_minutes": QT_TRANSLATE_NOOP("Changes", "resolution minutes"),
    "window_start": QT_TRANSLATE_NOOP("Changes", "window start"),
    "window_end": QT_TRANSLATE_NOOP("Changes", "window end"),
    "note": QT_TRANSLATE_NOOP("Changes", "note"),
    "name_es": QT_TRANSLATE_NOOP("Changes", "name es"),
}
_CHANGE = re.compile(rf"^({'|'.join(_CHANGE_VERBS)}) ({'|'.join(_CHANGE_THINGS)}) (.+?)(?:: ([a-z_, ]+))?$")
_NO_CHANGE = re.compile(r"^(.+): no change$")
_NO_CHANGE_TEXT = QT_TRANSLATE_NOOP("Changes", "{0}: no change")


def change(text: str) -> str:
    """What an admin action did, in the kiosk's language ("Alta: plantel EAST"); in English, and any other
    text, as the domain wrote it."""
    if current() == "en":
        return text

    def word(source: str) -> str:
        return QCoreApplication.translate("Changes", source)

    if m := _CHANGE.match(text):
        verb, thing, name, fields = m.groups()
        out = f"{word(str(_CHANGE_VERBS[verb]))}: {word(str(_CHANGE_THINGS[thing]))} {name}"
        if fields:
            out += ": " + ", ".join(word(str(_CHANGE_FIELDS.get(f.strip(), f.strip()))) for f in fields.split(","))
        return out
    if m := _NO_CHANGE.match(text):
        return word(str(_NO_CHANGE_TEXT)).format(m.group(1))
    return text


# The sync line (kiosk.sync.client.describe writes it in English, without Qt), piece by piece between " · ".
_SYNC = (
    (r"● Synced (.+)", QT_TRANSLATE_NOOP("Sync", "● Synced {0}")),
    (r"(\d+) change waiting to send", QT_TRANSLATE_NOOP("Sync", "{0} change waiting to send")),
    (r"(\d+) changes waiting to send", QT_TRANSLATE_NOOP("Sync", "{0} changes waiting to send")),
    (r"(\d+) refused by the server", QT_TRANSLATE_NOOP("Sync", "{0} refused by the server")),
    (r"● Sync needs attention: (.+)", QT_TRANSLATE_NOOP("Sync", "● Sync needs attention: {0}")),
    (r"● Not synced yet", QT_TRANSLATE_NOOP("Sync", "● Not synced yet")),
    (r"● Offline: reports are saved here and sent when the server is back \(last sync (.+)\)",
     QT_TRANSLATE_NOOP("Sync", "● Offline: reports are saved here and sent when the server is back "
                               "(last sync {0})")),
)
_SYNC_RULES = _rules(_SYNC)
_UNREACHABLE = " (the server cannot be reached)"
UNREACHABLE = QT_TRANSLATE_NOOP("Sync", "(the server cannot be reached)")


def sync_line(text: str) -> str:
    """The Home screen's sync line in the kiosk's language (a text it does not know stays as it is)."""
    out = []
    for piece in text.split(" · "):
        tail = ""
        if piece.endswith(_UNREACHABLE):
            piece = piece[: -len(_UNREACHABLE)]
            tail = " " + QCoreApplication.translate("Sync", "(the server cannot be reached)")
        piece = _by_rules(_SYNC_RULES, "Sync", piece, dates) or piece
        out.append(piece + tail)
    return " · ".join(out)


# What a reporter reads of a ticket's last public update (kiosk.domain.walkup writes it in English).
UPDATES = (QT_TRANSLATE_NOOP("Updates", "Ticket received"), QT_TRANSLATE_NOOP("Updates", "Update"),
           QT_TRANSLATE_NOOP("Updates", "Status: {0}"))
_STATUS_UPDATE = re.compile(r"^Status: ([a-z_ ]+?)(?:\. (.*))?$", re.DOTALL)


def update(text: str | None) -> str:
    """A ticket's last public update in the kiosk's language; a technician's own words stay as they wrote them."""
    if not text:
        return ""
    if text in ("Ticket received", "Update"):
        return QCoreApplication.translate("Updates", text)
    m = _STATUS_UPDATE.match(text)
    if m:
        shown = QCoreApplication.translate("Updates", "Status: {0}").format(status(m.group(1)))
        return f"{shown}. {event(m.group(2))}" if m.group(2) else shown
    return text
