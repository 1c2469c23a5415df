"""The walk-up flow: which screen comes next, and the domain calls behind each step (always on a worker)."""

from __future__ import annotations

import io
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import qrcode
from PySide6.QtCore import QByteArray, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QClipboard, QImage, QImageWriter
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from kiosk.domain import walkup
from kiosk.domain.db import Actor, Database
from kiosk.domain.district import IdleTimes, TagRuleFacts, idle_times, local_zone, tag_rule_facts
from kiosk.domain.errors import DomainError, NotFound
from kiosk.domain.language import DEFAULT as DEFAULT_LANGUAGE
from kiosk.domain.models import CategoryScope
from kiosk.domain.validation import normalize_tag
from kiosk.scan.model import Rejection, ScanEvent
from kiosk.scan.tag_rule import TagRule, district_rule
from kiosk.scan.wedge import WedgeInput
from kiosk.settings import KioskPrefs, data_dir
from kiosk.ui.input_filters import IdleWatcher, LockdownFilter, WedgeFilter
from kiosk.ui.language import Translations
from kiosk.ui.language import category as category_name
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.lookup import CheckTicketScreen, TypeTagScreen
from kiosk.ui.screens.report import (
    CategoryScreen,
    DetailsScreen,
    DeviceCardScreen,
    DuplicateScreen,
    Receipt,
    ReceiptScreen,
    ReportInput,
    RoomPickScreen,
    SurveyScreen,
    UnknownTagScreen,
)
from kiosk.ui.screens.staff import CampusPickScreen, SignInScreen
from kiosk.ui.still_there import StillThere
from kiosk.ui.tasks import JobRunner, SyncJobRunner, user_message
from kiosk.ui.tech.flow import TechFlow

if TYPE_CHECKING:
    from kiosk.ui.scan_adapter import ScanAdapter
    from kiosk.ui.sync_indicator import SyncIndicator

log = logging.getLogger(__name__)

SyncStatusFn = Callable[[], str]
PHOTO_QUIET_SECONDS = 5.0  # after "Add a photo", the camera sees the device held up: its tags are not scans


def kiosk_tag_rule(facts: TagRuleFacts | None = None) -> TagRule:
    """The kiosk's one tag rule, for the camera, the USB scanner and typed tags: the district's asset tags
    (``kiosk.domain.district.tag_rule_facts``; the product's default rule before it is read), room labels,
    receipts."""
    f = facts or TagRuleFacts()
    return district_rule(f.pattern, f.prefixes, f.check_digit,
                         passthrough_prefixes=("ROOM:", walkup.TICKET_QR_PREFIX))


def local_only_status() -> str:
    from kiosk.ui.sync_indicator import LOCAL_ONLY

    return LOCAL_ONLY


@dataclass
class Draft:
    """What the person has chosen so far; cleared on Start over and on idle."""

    device_id: uuid.UUID | None = None
    tag: str | None = None
    unknown_tag: str | None = None
    room_id: uuid.UUID | None = None
    room_name: str | None = None
    category: walkup.CategoryChoice | None = None
    duplicate: str | None = None  # number of the open ticket to add to
    open_tickets: list[walkup.PublicTicket] = field(default_factory=list)


def qr_png(payload: str) -> bytes:
    img = qrcode.make(payload, box_size=10, border=2)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


class KioskFlow(QObject):
    """Connects the screens; every database, file or decode step runs on the job runner."""

    card_shown = Signal(float)  # milliseconds from the scan to the card on screen
    ready = Signal()

    def __init__(self, db: Database, window: KioskWindow, *, config: KioskPrefs, tz: ZoneInfo,
                 runner: JobRunner | SyncJobRunner | None = None, demo: bool = False, prepare: Callable[[], None] | None = None,
                 sync_status: SyncStatusFn = local_only_status, config_name: str = "kiosk.json",
                 fixed_zone: ZoneInfo | None = None) -> None:
        super().__init__(window)
        self.db, self.window, self.config, self.tz, self.demo = db, window, config, tz, demo
        self.config_name = config_name
        self.idle_times = IdleTimes(config.idle_seconds)  # the district's, once the database is ready
        self.tag_rule = kiosk_tag_rule()  # the district's, once read (refresh_tag_rule: start-up, every Home)
        self._tag_facts: TagRuleFacts | None = None
        self.fixed_zone = fixed_zone  # set by --timezone (tests, a desk PC elsewhere); else the district's
        self.runner: JobRunner | SyncJobRunner = runner or JobRunner(parent=self)
        self.prepare = prepare
        self.sync_status = sync_status
        self.draft = Draft()
        self.translations = Translations()
        self.default_language = DEFAULT_LANGUAGE  # the district's, once read
        self.staff_id: uuid.UUID | None = None
        self.campus_id: uuid.UUID | None = uuid.UUID(config.campus_id) if config.campus_id else None
        self._scan_started: float | None = None
        self.last_scan_to_card_ms: float | None = None

        self.home = HomeScreen()
        self.type_tag = TypeTagScreen()
        self.card = DeviceCardScreen(tz)
        self.categories = CategoryScreen()
        self.duplicate = DuplicateScreen()
        self.details = DetailsScreen()
        self.receipt = ReceiptScreen(tz)
        self.check = CheckTicketScreen(tz)
        self.unknown = UnknownTagScreen()
        self.rooms = RoomPickScreen()
        self.sign_in = SignInScreen()
        self.campus_pick = CampusPickScreen()
        self.survey = SurveyScreen()
        self._survey: tuple[uuid.UUID, str] | None = None  # the survey offered on the current card
        for s in (self.home, self.type_tag, self.card, self.categories, self.duplicate, self.details, self.receipt,
                  self.check, self.unknown, self.rooms, self.sign_in, self.campus_pick, self.survey):
            window.add(s)
            s.home_requested.connect(self.go_home)
        from kiosk.ui.screens.scan_prompt import ScanPrompt

        self.scan_prompt = ScanPrompt(window)
        self.scan_prompt.switch.connect(lambda tag: self.on_tag(tag, source="camera"))
        self._photo_at = 0.0  # when "Add a photo" was pressed: the camera's tags are ignored for a moment
        for screen in (self.home, self.type_tag, self.card, self.categories, self.duplicate, self.details,
                       self.receipt, self.check, self.unknown, self.rooms, self.survey):
            for field_ in screen.findChildren(QLineEdit) + screen.findChildren(QPlainTextEdit):
                # no Paste from the last person's text, no "select all / copy" menu on a public screen
                field_.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.tech = TechFlow(db, window, self.runner, tz)
        self.tech.signed_out.connect(self.sign_out)
        self.tech.exit_requested.connect(self.exit_kiosk)
        self.tech.change_campus.connect(self.start_campus_pick)
        from kiosk.ui.loaner_offer import LoanerOffer

        self.loaner_offer = LoanerOffer(self)  # a loaner after a device report (kiosk/ui/loaner_offer.py)
        self._badge: str | None = None
        self._wire()

        app = QApplication.instance()
        self.wedge = WedgeFilter(parent=self)
        self.wedge_input = WedgeInput(lambda: self.tag_rule)  # the district's rule as it is at each scan
        self.wedge.scanned.connect(self.on_wedge)
        self.idle = IdleWatcher(config.idle_seconds, parent=self)
        self.idle.idle.connect(self.on_idle)
        self.still_there = StillThere(window)
        self.idle.warning.connect(self.on_idle_warning)
        self.idle.resumed.connect(self.still_there.stop)
        self.still_there.keep.connect(self.idle.poke)
        self.lockdown = LockdownFilter(parent=self)
        if app is not None:
            app.installEventFilter(self.wedge)
            app.installEventFilter(self.idle)
            app.installEventFilter(self.lockdown)
        self.sync_indicator: SyncIndicator | None = None
        self.tech.home.sync_now.connect(self.sync_now)
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(10_000)
        self.sync_timer.timeout.connect(self.refresh_sync)
        self.scan_adapter: ScanAdapter | None = None

    # --- wiring -----------------------------------------------------------------------------------
    def _wire(self) -> None:
        self.home.type_tag.connect(lambda: self.show(self.type_tag, focus=self.type_tag.focus_field))
        self.home.room_problem.connect(self.start_room_problem)
        self.home.check_ticket.connect(lambda: self.show(self.check, focus=self.check.focus_field))
        self.home.staff.connect(self.start_staff_sign_in)
        self.home.language_chosen.connect(self.set_language)
        self.type_tag.entered.connect(lambda text: self.on_tag(text, source="typed"))
        self.card.report.connect(self.start_device_report)
        self.card.survey.connect(self.start_survey)
        self.survey.submitted.connect(self.on_survey)
        self.survey.check_reporter.connect(self.on_survey_reporter)
        self.categories.chosen.connect(self.on_category)
        self.duplicate.add_to_existing.connect(self.on_add_to_existing)
        self.duplicate.file_new.connect(self.on_file_new)
        self.details.submitted.connect(self.on_submit)
        self.details.photo_requested.connect(self.on_photo)
        self.receipt.done.connect(self.go_home)
        self.check.entered.connect(self.on_check)
        self.check.not_solved_reporter.connect(self.on_not_solved_reporter)
        self.check.not_solved.connect(self.on_not_solved)
        self.unknown.report_anyway.connect(self.start_unknown_report)
        self.unknown.try_again.connect(lambda: self.show(self.type_tag, focus=self.type_tag.focus_field))
        self.rooms.chosen.connect(self.on_room)
        self.sign_in.sign_in.connect(self.on_sign_in)
        self.campus_pick.chosen.connect(self.on_campus)

    def show(self, screen: QWidget, focus: Callable[[], None] | None = None) -> None:
        self.window.show_screen(screen)
        if focus is not None:
            focus()
        elif screen is self.home:
            self.home.type_button.setFocus()  # the main action, not Staff

    def work(self, fn: Callable[[], Any], done: Callable[[Any], None],
             failed: Callable[[Exception], None] | None = None, *, write: bool = False) -> None:
        """``fn`` on a worker; ``write=True`` for a short write (the runner's serial writer lane)."""
        self.runner.run(fn, done, failed or self._failed, owner=self.window.current, write=write)

    def _failed(self, exc: Exception) -> None:
        current = self.window.current
        message = str(exc) if isinstance(exc, DomainError) else self.tr(
            "Something went wrong on this kiosk. Please try again or tell a teacher.")
        if isinstance(current, Screen):  # the runner has logged a fault with its traceback
            current.show_error(message)

    # --- start-up -----------------------------------------------------------------------------------
    def start(self) -> None:
        self.show(self.home)
        self.idle.start()
        self.sync_timer.start()

        def prepare() -> tuple[ZoneInfo, IdleTimes]:
            if self.prepare is not None:
                self.prepare()
            with self.db.unit() as ctx:
                return local_zone(ctx.session), idle_times(ctx.session, self.config.idle_seconds)

        self.work(prepare, lambda facts: self._after_prepare(*facts))

    def set_zone(self, zone: ZoneInfo) -> None:
        """Show local times in ``zone`` (the district's, read once the database is ready) on every screen."""
        self.tz = self.tech.tz = zone
        for screen in self.window.screens():
            if hasattr(screen, "tz"):
                screen.tz = zone

    def _after_prepare(self, zone: ZoneInfo | None = None, idle: IdleTimes | None = None) -> None:
        if zone is not None and self.fixed_zone is None:
            self.set_zone(zone)
        if idle is not None:
            self.idle_times = idle
            if self.staff_id is None:
                self.idle.set_seconds(idle.walkup_seconds)
        if self.campus_id is None and self.demo:
            def first_campus() -> uuid.UUID:
                with self.db.read() as ctx:
                    return sorted(walkup.campuses(ctx.session), key=lambda c: c[1])[0][0]
            self.work(first_campus, self._set_campus)
        elif self.campus_id is None:
            self.sign_in.set_intro(self.tr("First run: a technician signs in and chooses this kiosk's campus."))
            self.start_staff_sign_in(first_run=True)
        else:
            self.load_home()
            self.ready.emit()
        self.work(lambda: self._district_language(), self._default_language_loaded)

    def _district_language(self) -> str:
        from kiosk.domain.language import district_language

        with self.db.unit() as ctx:
            return district_language(ctx.session)

    def _default_language_loaded(self, lang: str) -> None:
        self.default_language = lang
        if self.window.current is self.home and self.draft == Draft():
            self.set_language(lang)

    # --- language ---------------------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Every screen in ``lang`` (the Home button; back to the district's default on idle)."""
        if lang == self.translations.lang:
            self.home.set_language(lang)
            return
        if self.translations.switch(lang, self.window):
            self.home.set_language(self.translations.lang)
            self.load_home()  # the visits panel and the sync line are written again, in the new language

    @property
    def language(self) -> str:
        return self.translations.lang

    def _set_campus(self, campus_id: uuid.UUID) -> None:
        self.campus_id = campus_id
        self.config.campus_id = str(campus_id)
        self.work(lambda: self.config.save(self.config_name), lambda _r: None)
        self.load_home()
        self.ready.emit()

    def refresh_tag_rule(self) -> None:
        """Read the district's asset-tag rule (a district file applied centrally arrives by sync)."""
        def load() -> TagRuleFacts:
            with self.db.read() as ctx:
                return tag_rule_facts(ctx.session)

        self.runner.run(load, self.set_tag_rule, lambda _exc: None, owner=self, survives_reset=True)

    def set_tag_rule(self, facts: TagRuleFacts) -> None:
        """The district's tag rule decides what counts as an asset tag here: USB scanner, camera, typed tags and
        the technician screens."""
        if facts == self._tag_facts:
            return
        self._tag_facts = facts
        self.tag_rule = kiosk_tag_rule(facts)
        self.tech.tag_rule = self.tag_rule
        scanner = self.scan_adapter.scanner if self.scan_adapter is not None else None
        if scanner is not None:
            scanner.pipeline.rule = self.tag_rule  # the decode thread reads it at its next frame

    def load_home(self) -> None:
        self.refresh_tag_rule()
        if self.campus_id is None:
            return
        campus_id = self.campus_id

        def load() -> tuple[Any, Any]:
            with self.db.read() as ctx:
                now = ctx.clock.now()
                return walkup.week_schedule(ctx.session, campus_id, now), now

        self.work(load, lambda r: self.home.rotation.show_schedule(*r))
        self.refresh_sync()

    def start_sync(self) -> None:
        """Start the sync worker if this kiosk is enrolled (on a worker: it loads httpx, reads migrations)."""
        def started(result: tuple[SyncStatusFn, SyncIndicator | None]) -> None:
            self.sync_status, self.sync_indicator = result
            if self.sync_indicator is not None:  # an admin change made on the service is pulled at once
                self.tech.district_admin.sync = self.sync_indicator.syncer.sync_once
            self.tech.home.sync_button.setVisible(self.sync_indicator is not None)
            self.refresh_sync()

        def start() -> tuple[SyncStatusFn, SyncIndicator | None]:
            from kiosk.ui.sync_indicator import start_sync

            return start_sync(self.db)

        self.runner.run(start, started, self._failed, owner=self, survives_reset=True)

    def sync_now(self) -> None:
        """The technician's "Sync now": a refused or backing-off kiosk tries again at once."""
        if self.sync_indicator is not None:
            self.sync_indicator.worker.trigger()
            QTimer.singleShot(2000, self.refresh_sync)

    def refresh_sync(self) -> None:
        self.work(self.sync_status, self.home.set_sync, lambda exc: self.home.set_sync(str(exc)))

    # --- navigation ---------------------------------------------------------------------------------
    def go_home(self) -> None:
        """Start over (also after idle and sign-out): whatever was asked for until now is no longer shown."""
        self.runner.new_generation("home")
        self.draft = Draft()
        self.scan_prompt.dismiss()
        self.forget_clipboard()
        for screen in self.window.screens():
            screen.reset()
        if self.campus_id is not None:
            self.show(self.home)
            self.load_home()

    def idle_would_reset(self) -> bool:
        """Whether the idle timeout would clear something: a technician signed in, or a walk-up screen in use."""
        return self.staff_id is not None or (
            self.campus_id is not None and (self.window.current is not self.home or self.draft != Draft()))

    def on_idle_warning(self, seconds: int) -> None:
        if self.idle_would_reset():
            self.still_there.start(seconds)

    @staticmethod
    def forget_clipboard() -> None:
        """The last person's text must not come back with Ctrl+V, a middle click or a long press."""
        board = QApplication.clipboard()
        if board is None:
            return
        board.clear(QClipboard.Mode.Clipboard)
        if board.supportsSelection():
            board.clear(QClipboard.Mode.Selection)

    def _report_in_progress(self) -> bool:
        """Someone is part-way through a report (or a survey): a scan must not throw it away."""
        return self.window.current in (self.categories, self.duplicate, self.details, self.survey)

    def on_idle(self) -> None:
        """Walk-up screens go back to Home; a signed-in technician is signed out (back to locked mode)."""
        self.still_there.stop()
        if self.staff_id is not None:
            self.sign_out()
        elif self.campus_id is not None and (self.window.current is not self.home or self.draft != Draft()):
            self.go_home()
        self.set_language(self.default_language)  # the next person starts in the district's language

    # --- scans -----------------------------------------------------------------------------------------
    def on_scan(self, event: ScanEvent) -> None:
        """A camera or wedge scan, on any screen."""
        text = event.text.strip()
        if self.window.current is self.sign_in:
            self._badge = text  # a badge scanned at sign-in: the PIN comes next
            self.sign_in.badge_scanned(text)
            return
        if self.loaner_offer.on_scan(text):
            return
        if self.tech.desk.on_scan_text(text):  # a part label for the stock count ("PART:<code>")
            return
        if self.staff_id is not None:
            if event.tag is not None:
                self.tech.on_tag(event.tag)
            elif text.upper().startswith("ROOM:"):
                self.tech.on_room_label(text[5:])
            return
        if self.campus_id is None or self.window.current is self.campus_pick:
            return
        self.idle.poke()
        if text.upper().startswith(walkup.TICKET_QR_PREFIX):
            self.show(self.check)
            self.on_check(text)
        elif event.tag is not None:
            if self._report_in_progress():
                self._scan_during_report(event)
                return
            self._scan_started = event.timestamp
            self.on_tag(event.tag, source=event.source)
        elif text.upper().startswith("ROOM:"):
            self._room_from_scan(text[5:])

    def _scan_during_report(self, event: ScanEvent) -> None:
        tag = event.tag or ""
        if event.source == "camera" and self.window.current is self.details and (
                tag == (self.draft.tag or "") or time.monotonic() - self._photo_at < PHOTO_QUIET_SECONDS):
            return  # the device itself, raised to the camera for its photo
        if self.scan_prompt.isVisible() and self.scan_prompt.tag == tag:
            return
        self.scan_prompt.ask(tag, self.draft.tag or self.draft.room_name)

    def on_wedge(self, text: str) -> None:
        if self.loaner_offer.on_scan(text):  # a loaner's tag or a technician's badge
            return
        if self.tech.desk.on_scan_text(text):  # a part label for the stock count ("PART:<code>")
            return
        if self.window.current is self.sign_in:  # a badge, not an asset tag
            self.on_scan(ScanEvent(text, None, "keyboard-wedge", "wedge", "keyboard", time.monotonic()))
            return
        focus = QApplication.focusWidget()
        if focus is not None and focus in (self.details.reporter, self.survey.reporter, self.check.reporter) and \
                isinstance(focus, QLineEdit):
            focus.insert(text.strip())  # a barcoded student ID scanned into "Who are you?" is an ID, not a tag
            return
        result = self.wedge_input.feed(text)  # the tag rule, then the repeat rule (kiosk/scan/wedge.py)
        if isinstance(result, Rejection):
            self.home.set_scan_message(result.reason)
        elif result is not None:  # None: the same payload again from the scanner within the window
            self.on_scan(result)

    def on_tag(self, raw: str, source: str = "typed") -> None:
        try:
            tag = normalize_tag(raw)
        except DomainError as exc:
            if self.window.current is self.type_tag:
                self.type_tag.show_error(str(exc))
            else:
                self.home.set_scan_message(str(exc))
            return
        if source == "typed" and not self.tag_rule.check_tag(tag).accepted:
            message = self.tr("{0} is not one of this district's asset tags. Check the label and try again.").format(
                tag[:40])
            if self.window.current is self.type_tag:
                self.type_tag.show_error(message)
            else:
                self.home.set_scan_message(message)
            return
        if self._scan_started is None:
            self._scan_started = time.monotonic()
        campus_id = self.campus_id

        def lookup() -> walkup.DeviceCard | None:
            with self.db.unit(Actor(label="kiosk")) as ctx:
                return walkup.scan_lookup(ctx, tag, campus_id)

        self.work(lookup, lambda card: self._show_card(tag, card), write=True)  # a miss is recorded

    def _show_card(self, tag: str, card: walkup.DeviceCard | None) -> None:
        self.draft = Draft(tag=tag)
        for s in (self.type_tag, self.details, self.check):
            s.reset()
        if card is None:
            self.draft.unknown_tag = tag
            self.unknown.show_tag(tag)
            self.show(self.unknown)
        else:
            self.draft.device_id = card.device_id
            self.draft.room_id = card.room_id
            self.draft.open_tickets = card.open_tickets
            self.card.show_card(card)
            self.show(self.card)
            self._offer_survey(tag)
        if self._scan_started is not None:
            self.last_scan_to_card_ms = (time.monotonic() - self._scan_started) * 1000
            self.card_shown.emit(self.last_scan_to_card_ms)
            self._scan_started = None

    # --- satisfaction survey at the kiosk ----------------------------------------------------------------
    def _offer_survey(self, tag: str) -> None:
        """A closed ticket on this device still waiting for its survey: offer it (the reporter confirms)."""
        self._survey = None

        from kiosk.domain import kiosk_survey

        def find() -> kiosk_survey.SurveyOffer | None:
            with self.db.read() as ctx:
                return kiosk_survey.offer_for_tag(ctx.session, ctx.clock.now(), tag)

        def found(offer: kiosk_survey.SurveyOffer | None) -> None:
            if offer is not None and self.window.current is self.card:
                self._survey = (offer.survey_id, offer.category)
                self.card.offer_survey(offer.ticket_number)
                self.survey.prepare(offer.ticket_number, offer.category, offer.category_es)

        self.work(find, found)

    def start_survey(self) -> None:
        if self._survey is not None:
            self.show(self.survey)
            self.survey.reporter.setFocus()

    def on_survey_reporter(self, reporter: str) -> None:
        """The first step: is this the person who reported the ticket? Asked before any question."""
        pending = self._survey
        if pending is None:
            return
        survey_id = pending[0]

        def check() -> bool:
            from kiosk.domain import kiosk_survey

            with self.db.unit() as ctx:
                return kiosk_survey.check_reporter(ctx.session, ctx.clock.now(), survey_id, reporter)

        self.work(check, lambda _ok: self.survey.reporter_ok(),
                  lambda exc: self.survey.reporter_refused(user_message(exc)))

    def on_survey(self, reporter: str, answers: dict[str, Any]) -> None:
        pending = self._survey
        if pending is None:
            return
        survey_id = pending[0]

        def submit() -> bool:
            from kiosk.domain import kiosk_survey

            with self.db.unit(Actor(label="kiosk")) as ctx:
                return kiosk_survey.answer(ctx, survey_id, reporter, answers)

        def done(solved: bool) -> None:
            self._survey = None
            self.go_home()
            self.home.set_scan_message(self.tr("Thank you for your answers!") if solved else self.tr(
                "Thank you. The ticket is open again and a technician will follow up."))

        self.work(submit, done, lambda exc: self.survey.failed(user_message(exc)), write=True)

    # --- report flow -------------------------------------------------------------------------------
    def _load_categories(self, scope: CategoryScope) -> None:
        def load() -> list[walkup.CategoryChoice]:
            with self.db.read() as ctx:
                return walkup.categories(ctx.session, scope)

        def loaded(cats: list[walkup.CategoryChoice]) -> None:
            self.categories.set_categories(cats)
            self.show(self.categories)

        self.work(load, loaded)

    def start_device_report(self) -> None:
        self._load_categories(CategoryScope.DEVICE)

    def start_unknown_report(self) -> None:
        self._load_categories(CategoryScope.DEVICE)

    def start_room_problem(self) -> None:
        if self.campus_id is None:
            return
        campus_id = self.campus_id

        def load() -> list[tuple[uuid.UUID, str]]:
            with self.db.read() as ctx:
                return walkup.rooms(ctx.session, campus_id)

        self.draft = Draft()
        def loaded(rooms: list[tuple[uuid.UUID, str]]) -> None:
            self.rooms.set_rooms(rooms)
            self.show(self.rooms)

        self.work(load, loaded)

    def _room_from_scan(self, room_ref: str) -> None:
        campus_id = self.campus_id

        def find() -> tuple[uuid.UUID, str] | None:
            with self.db.read() as ctx:
                for rid, name in walkup.rooms(ctx.session, campus_id) if campus_id else []:
                    if str(rid) == room_ref.strip():
                        return rid, name
            return None

        def found(room: tuple[uuid.UUID, str] | None) -> None:
            if room is None:
                self.home.set_scan_message(self.tr("That room label belongs to another campus."))
            else:
                self.draft = Draft()
                self.on_room(*room)

        self.work(find, found)

    def on_room(self, room_id: uuid.UUID, name: str) -> None:
        self.draft.room_id, self.draft.room_name = room_id, name
        self.draft.device_id = None

        def load() -> tuple[list[walkup.PublicTicket], list[walkup.CategoryChoice]]:
            with self.db.read() as ctx:  # the room's open tickets, so a second report adds to the first
                return walkup.room_open_tickets(ctx.session, room_id), walkup.categories(ctx.session,
                                                                                          CategoryScope.ROOM)

        def loaded(result: tuple[list[walkup.PublicTicket], list[walkup.CategoryChoice]]) -> None:
            self.draft.open_tickets = result[0]
            self.categories.set_categories(result[1])
            self.show(self.categories)

        self.work(load, loaded)

    def on_category(self, cat: walkup.CategoryChoice) -> None:
        self.draft.category = cat
        self.draft.duplicate = None
        same = next((t for t in self.draft.open_tickets if t.category_id == cat.id), None)
        if same is not None:
            self.duplicate.show_ticket(same)
            self.draft.duplicate = same.number
            self.show(self.duplicate)
            return
        self._details()

    def _details(self) -> None:
        cat = self.draft.category
        assert cat is not None
        name = category_name(cat.name, cat.name_es)
        if self.draft.tag and not self.draft.unknown_tag:
            context = self.tr("{0} · device {1}").format(name, self.draft.tag)
        elif self.draft.unknown_tag:
            context = self.tr("{0} · unregistered tag {1}").format(name, self.draft.unknown_tag)
        else:
            context = self.tr("{0} · room {1}").format(name, self.draft.room_name or "")
        self.details.prepare(context, cat.default_priority)
        self.show(self.details)

    def on_add_to_existing(self) -> None:
        self._details()

    def on_file_new(self) -> None:
        self.draft.duplicate = None
        self._details()

    def on_photo(self) -> None:
        self._photo_at = time.monotonic()
        image: QImage | None = self.scan_adapter.latest if self.scan_adapter is not None else None
        if image is None:
            self.details.show_error(self.tr("No camera picture is available right now."))
            return
        self.details.set_photo(image.copy())

    def on_submit(self, data: ReportInput) -> None:
        draft = self.draft
        campus_id = self.campus_id
        language = self.language  # the reporter's: the emails and the survey about this ticket use it
        cat = draft.category
        assert cat is not None

        def file() -> Receipt:
            photo_name = None
            if data.photo is not None:
                folder = data_dir() / "photos"
                folder.mkdir(parents=True, exist_ok=True)
                photo_name = f"{uuid.uuid4().hex}.jpg"
                # QImageWriter, not QImage.save: PySide6 6.12's save() refuses any bytes format (b"JPG" raised
                # ValueError, which failed every report with a photo) while its type stubs accept only bytes.
                writer = QImageWriter(str(folder / photo_name), QByteArray(b"jpeg"))
                writer.setQuality(85)
                if not writer.write(data.photo):
                    log.warning("the photo could not be written to %s (%s); the report is filed without it",
                                folder, writer.errorString())
                    photo_name = None
            from kiosk.domain.walkup_report import WalkupReport, file_report

            report = WalkupReport(
                category=cat.code, description=data.description, reporter=data.reporter, priority=data.priority,
                tag=draft.tag if draft.device_id else None, unknown_tag=draft.unknown_tag,
                room_id=None if draft.device_id else draft.room_id, campus_id=campus_id, add_to=draft.duplicate,
                photo=photo_name, language=language, reporter_kind=data.reporter_kind)
            with self.db.unit(Actor(label="kiosk")) as ctx:
                filed = file_report(ctx, report)
            return Receipt(filed.number, filed.added_to_existing, filed.response_due_at, filed.next_visit,
                           qr_png(f"{walkup.TICKET_QR_PREFIX}{filed.number}"))

        def done(receipt: Receipt) -> None:
            self.receipt.show_receipt(receipt)
            self.show(self.receipt)
            self.loaner_offer.offer(data.reporter, draft.tag, draft.device_id)
            self.details.reset()
            self.draft = Draft()

        def failed(exc: Exception) -> None:
            from kiosk.domain.walkup_report import ReporterKindNeeded

            if isinstance(exc, ReporterKindNeeded):
                self.details.ask_kind(str(exc))
                return
            self.details.submit_failed(str(exc) if isinstance(exc, DomainError) else self.tr(
                "The report could not be saved. Nothing was lost: please try again."))
            if not isinstance(exc, DomainError):
                log.error("filing a report failed: %r", exc)

        self.work(file, done, failed, write=True)

    # --- check a ticket -----------------------------------------------------------------------------
    def on_check(self, text: str) -> None:
        def look() -> walkup.TicketStatusView:
            with self.db.read() as ctx:
                return walkup.public_status(ctx.session, text, ctx.clock.now())

        def failed(exc: Exception) -> None:
            self.check.show_error(self.tr("No ticket has that number. Check it and try again.")
                                  if isinstance(exc, NotFound) else user_message(exc))

        self.work(look, self.check.show_status, failed)

    def on_not_solved_reporter(self, number: str, reporter: str) -> None:
        """"Not solved", first step: is this the person who reported the ticket? Asked before anything else."""
        def check() -> bool:
            from kiosk.domain import ticket_work

            with self.db.read() as ctx:
                ticket_work.check_not_solved_reporter(ctx.session, number, reporter)
            return True

        self.work(check, lambda _ok: self.check.reporter_ok(),
                  lambda exc: self.check.reporter_refused(user_message(exc)))

    def on_not_solved(self, number: str, reporter: str, comment: str) -> None:
        def reopen() -> walkup.TicketStatusView:
            from kiosk.domain import ticket_work

            with self.db.unit(Actor(label="kiosk")) as ctx:
                ticket_work.reporter_not_solved(ctx, number, reporter, comment or None)
            with self.db.read() as ctx:
                return walkup.public_status(ctx.session, number, ctx.clock.now())

        def done(view: walkup.TicketStatusView) -> None:
            self.check.show_status(view)
            self.check.show_error("")
            self.check.detail.setText(self.tr("Thank you. The ticket is open again and a technician will follow "
                                              "up.") + "<br>" + self.check.detail.text())

        self.work(reopen, done, lambda exc: self.check.reopen_failed(user_message(exc)))

    # --- staff ---------------------------------------------------------------------------------------
    def start_staff_sign_in(self, first_run: bool = False) -> None:
        self.sign_in.reset()
        self._badge = None
        if not first_run:
            self.sign_in.set_intro(self.tr("Staff only: scan your badge and enter your PIN, or use your username "
                                           "and password. The kiosk stays locked until you sign in."))
        self.show(self.sign_in)
        self.sign_in.username.setFocus()

    def on_sign_in(self, username: str, secret: str) -> None:
        badge = self._badge if self._badge and self._badge == username else None

        def check() -> Any:
            # An enrolled kiosk asks the district server (it holds no staff hashes), falling back to its offline
            # rule; a standalone kiosk checks its own database as before. Runs on a worker (network, argon2).
            from kiosk.sync import signin

            if badge:
                return signin.sign_in(self.db, secret, badge=badge)
            return signin.sign_in(self.db, secret, username=username)

        def done(result: Any) -> None:
            from kiosk.sync.signin import Refused

            if isinstance(result, Refused):
                self.sign_in.failed(result.message)
                return
            self.staff_id = result.staff_id
            self.lockdown.locked = False
            self.idle.set_seconds(self.idle_times.technician_seconds)
            if self.campus_id is None:
                self.start_campus_pick()
            else:
                self.tech.secrets_on_service = result.via != "local"  # an enrolled kiosk: the service holds them
                # offline, the service cannot take a change now: nothing is forced until the next online sign-in
                self.tech.must_change_known = (result.must_change if result.via == "server"
                                               else frozenset() if result.via == "offline" else None)
                self.tech.service_session = result.session if result.via == "server" else None
                self.tech.begin(result.staff_id, result.name, result.admin, self.campus_id)

        def failed(exc: Exception) -> None:  # e.g. the kiosk's disk; the button must work again
            if not isinstance(exc, DomainError):
                log.error("sign-in failed: %r", exc)
            self.sign_in.failed(str(exc) if isinstance(exc, DomainError) else self.tr(
                "Sign-in failed on this kiosk. Please try again."))

        self.work(check, done, failed)

    def start_campus_pick(self) -> None:
        def load() -> list[tuple[uuid.UUID, str, str]]:
            with self.db.read() as ctx:
                return walkup.campuses(ctx.session)

        def loaded(campuses: list[tuple[uuid.UUID, str, str]]) -> None:
            self.campus_pick.set_campuses(campuses)
            self.show(self.campus_pick)

        self.work(load, loaded)

    def on_campus(self, campus_id: uuid.UUID) -> None:
        self._set_campus(campus_id)
        self.sign_out()

    def sign_out(self) -> None:
        self.staff_id = None
        self.tech.end()
        self.lockdown.locked = True
        self.window.locked = True
        self.idle.set_seconds(self.idle_times.walkup_seconds)
        self.go_home()

    def exit_kiosk(self) -> None:
        if self.staff_id is None:
            return
        self.window.unlock()
        self.window.close()
