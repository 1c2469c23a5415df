"""Technician mode's flow: the signed-in screens and the domain calls behind them (always on a worker)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.domain import audit_work, ticket_work
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import DomainError
from kiosk.scan.tag_rule import TagRule
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.screens.base import Screen
from kiosk.ui.tasks import JobRunner, SyncJobRunner, user_message
from kiosk.ui.tech.refused_screen import RefusedEdits, RefusedScreen
from kiosk.ui.tech.reports_screen import AdminReports, ReportsScreen
from kiosk.ui.tech.screens import (
    AuditScreen,
    DeviceScreen,
    LabelsScreen,
    ListScreen,
    QueueScreen,
    RegisterScreen,
    TechHomeScreen,
    TicketScreen,
)

NOT_AUDITED_DAYS = 180


class TechFlow(QObject):
    """Owns the technician screens while someone is signed in."""

    signed_out = Signal()
    exit_requested = Signal()
    change_campus = Signal()

    def __init__(self, db: Database, window: KioskWindow, runner: JobRunner | SyncJobRunner, tz: ZoneInfo,
                 kiosk_id: uuid.UUID | None = None) -> None:
        super().__init__(window)
        self.db, self.window, self.runner, self.tz = db, window, runner, tz
        self.kiosk_id = kiosk_id
        self.staff_id: uuid.UUID | None = None
        self.admin = False
        self.campus_id: uuid.UUID | None = None
        self.audit_id: uuid.UUID | None = None
        self.tag_rule: TagRule | None = None  # the district's asset-tag rule (the kiosk flow's set_tag_rule)
        self.home = TechHomeScreen()
        self.queue = QueueScreen()
        self.ticket = TicketScreen(tz)
        self.device = DeviceScreen(tz)
        self.register = RegisterScreen()
        self.audit = AuditScreen()
        self.unknown = ListScreen(self.tr("Unknown tags scanned at kiosks"),
                                  ("Tag", "Times", "First seen", "Last seen"), self.tr("Register this tag"))
        self.trouble = ListScreen(self.tr("Troublesome devices and models"),
                                  ("Kind", "Device or model", "Repairs", "Minutes or rate", "Detail"),
                                  self.tr("Open the device"))
        self.stale = ListScreen(self.tr("Rooms not audited lately"), ("Room", "Campus", "Last audit", "Days"))
        from kiosk.domain.labels import SHEETS

        self.labels = LabelsScreen([(key, sheet.name) for key, sheet in SHEETS.items()])
        self.reports = ReportsScreen()
        self.admin_reports = AdminReports(self, self.reports)
        self.refused = RefusedScreen(tz)
        self.refused_edits = RefusedEdits(self, self.refused)
        from kiosk.ui.printing import Printing

        self.printing = Printing(kiosk_mode=not window.windowed, parent=window)
        if not window.windowed:  # a public kiosk shows no file-system dialog: exports go to one known folder
            self.reports.choose_path = _kiosk_export_path
        from kiosk.ui.admin.controller import DistrictAdmin

        self.district_admin = DistrictAdmin(self)
        from kiosk.ui.tech.account_screen import AccountScreen, OwnAccount

        self.account = AccountScreen()
        self.own_account = OwnAccount(self, self.account)
        # An enrolled kiosk: the district service holds the hashes, so own PIN and password changes go there
        # (kiosk.sync.staff_secrets); must_change_known is what the service said at sign-in must be replaced
        # (None: read this database's staff row, as a standalone kiosk does).
        self.secrets_on_service = False
        self.must_change_known: frozenset[str] | None = None
        # The staff session the service granted at an online sign-in (kiosk.sync.signin): in memory only, with
        # the signed-in actor, forgotten at sign-out; the admin screens send changes to the service with it.
        self.service_session: str | None = None
        from kiosk.ui.tech.desk_screen import RepairDesk

        self.desk = RepairDesk(self)  # loaners, walk-ins, parts (adds its own screens and the repair form's part row)
        for s in (self.home, self.queue, self.ticket, self.device, self.register, self.audit, self.unknown,
                  self.trouble, self.stale, self.labels, self.reports, self.refused,
                  *self.district_admin.all_screens(), self.account):
            window.add(s)
            s.home_requested.connect(self.show_home)
            if hasattr(s, "home_button"):
                s.home_button.setText(self.tr("Menu"))
        self._wire()
        self.desk.hook_ticket_form()  # after _wire: the form's Log repair goes through the parts use-case

    def _wire(self) -> None:
        h = self.home
        h.open_queue.connect(self.open_queue)
        h.find_device.connect(self._prompt_device)
        h.search_requested.connect(self.search_devices)
        h.open_found.connect(self.open_device)
        h.room_audit.connect(self.open_audit_rooms)
        h.unknown_tags.connect(self.open_unknown)
        h.troublesome.connect(self.open_troublesome)
        h.not_audited.connect(self.open_not_audited)
        h.sign_out.connect(self.signed_out.emit)
        h.exit_kiosk.connect(self.exit_requested.emit)
        h.change_campus.connect(self.change_campus.emit)
        h.labels.connect(lambda: self.window.show_screen(self.labels))
        h.reports.connect(self.admin_reports.open)
        h.refused.connect(self.refused_edits.open)
        h.district_setup.connect(self.district_admin.open_menu)
        h.my_account.connect(self.own_account.open)
        h.repair_desk.connect(self.desk.open)
        self.labels.make.connect(self.make_labels)
        self.queue.open_ticket.connect(self.open_ticket)
        self.queue.refresh.connect(lambda: self.open_queue(self.queue.current_view()))
        self.queue.view_changed.connect(self.open_queue)
        self.queue.clock = self.now
        t = self.ticket
        t.assign_me.connect(lambda: self._ticket_action(
            lambda ctx: ticket_work.assign(ctx, t.number, self.staff_id)))
        t.assign_to.connect(lambda who: self._ticket_action(lambda ctx: ticket_work.assign(ctx, t.number, who)))
        t.set_status.connect(lambda st, note: self._ticket_action(
            lambda ctx: ticket_work.set_status(ctx, t.number, st, note or None)))
        t.override.connect(lambda p, why: self._ticket_action(lambda ctx: ticket_work.override(ctx, t.number, p, why)))
        t.note.connect(lambda text, public: self._ticket_action(
            lambda ctx: ticket_work.add_note(ctx, t.number, text, public=public)))
        t.repair.connect(lambda action, parts, minutes, cost: self._ticket_action(
            lambda ctx: ticket_work.log_repair(ctx, t.number, action=action, parts=parts or None, minutes=minutes,
                                               cost=cost).ticket))
        t.open_device.connect(self.open_device)
        self.device.save.connect(self.save_device)
        self.device.retire.connect(self.retire_device)
        self.device.retire_asked.connect(self.ask_retire)
        self.device.open_ticket.connect(self.open_ticket)
        self.register.register.connect(self.register_device)
        self.unknown.activated.connect(lambda item: self._start_register(item.tag))
        self.trouble.activated.connect(self._open_listed_device)
        a = self.audit
        a.pick_room.connect(self.start_audit)
        a.scan_typed.connect(self.audit_scan)
        a.pause.connect(self.pause_audit)
        a.finish.connect(self.finish_audit)
        a.apply.connect(self.apply_audit)
        a.print_missing.connect(self.print_missing_list)
        a.done.connect(self._audit_done)

    def _open_listed_device(self, tag: object) -> None:
        if isinstance(tag, str) and tag:
            self.open_device(tag)

    # --- plumbing -------------------------------------------------------------------------------------
    @property
    def actor(self) -> Actor:
        return Actor(staff_id=self.staff_id, kiosk_id=self.kiosk_id, label="technician")

    def screens(self) -> list[QWidget]:
        return [self.home, self.queue, self.ticket, self.device, self.register, self.audit, self.unknown,
                self.trouble, self.stale, self.labels, self.reports, self.refused,
                *self.district_admin.all_screens(), self.account,
                *self.desk.screens()]

    def owns(self, screen: QWidget | None) -> bool:
        return screen in self.screens()

    def work(self, fn: Callable[[], Any], done: Callable[[Any], None], *, write: bool = False) -> None:
        """``fn`` on a worker; ``write=True`` for a short write (the runner's serial writer lane)."""
        screen = self.window.current

        def failed(exc: Exception) -> None:
            message = user_message(exc) if isinstance(exc, DomainError) else self.tr(
                "That did not work. It has been written to the kiosk's log; please try again.")
            target = self.window.current if isinstance(self.window.current, Screen) else screen
            if isinstance(target, Screen):
                target.show_error(message)

        self.runner.run(fn, done, failed, owner=screen, write=write)

    def now(self) -> datetime:
        return self.db.clock.now()

    # --- session ----------------------------------------------------------------------------------------
    def begin(self, staff_id: uuid.UUID, name: str, admin: bool, campus_id: uuid.UUID | None) -> None:
        self.staff_id, self.admin, self.campus_id = staff_id, admin, campus_id
        for s in self.screens():
            if isinstance(s, Screen):
                s.reset()
        self.home.set_user(name, admin)
        self.show_home()
        self.own_account.check_after_sign_in(staff_id)  # a temporary PIN or password is replaced first

        def warm() -> int:  # the device search index, built before the first keystroke needs it
            from kiosk.domain import device_search

            with self.db.unit() as ctx:
                return device_search.prepare(ctx.session)

        self.runner.run(warm, lambda _n: None, lambda _exc: None)

    def end(self) -> None:
        session, self.service_session = self.service_session, None
        if session:  # the district service ends it too (offline: it expires by itself in 5 to 15 minutes)
            from kiosk.sync import admin_remote

            self.runner.run(lambda: admin_remote.end_session(session), lambda _ended: None, lambda _exc: None,
                            survives_reset=True)
        self.staff_id = None
        self.admin = False
        self.audit_id = None
        for s in self.screens():
            if isinstance(s, Screen):
                s.reset()

    def show_home(self) -> None:
        self.window.show_screen(self.home)
        self.refused_edits.refresh_count()
        self.desk.refresh_home()

    # --- scans ------------------------------------------------------------------------------------------
    def on_tag(self, tag: str) -> None:
        """A scan in technician mode: into the running audit, else jump to the device's tickets."""
        if self.window.current is self.audit and self.audit_id is not None:
            self.audit_scan(tag)
        elif self.desk.wants_tag():
            self.desk.on_tag(tag)
        elif self.window.current is self.queue:
            self.queue.show_tag(tag)
        else:
            self.open_device(tag)

    def on_room_label(self, room_ref: str) -> None:
        try:
            room_id = uuid.UUID(room_ref.strip())
        except ValueError:
            return
        self.start_audit(room_id)

    # --- queue and tickets ------------------------------------------------------------------------------
    def open_queue(self, view: str = "open") -> None:
        campus = None if self.admin else self.campus_id
        view = view if isinstance(view, str) and view else "open"

        def load() -> ticket_work.QueueView:
            with self.db.unit(self.actor) as ctx:
                return ticket_work.work_queue(ctx, campus, view)

        def shown(result: ticket_work.QueueView) -> None:
            self.queue.set_rows(result.rows, result.now, all_campuses=campus is None, view=result.view)
            self.window.show_screen(self.queue)

        self.work(load, shown)

    def open_ticket(self, number: str) -> None:
        self.desk.load_for_ticket(number)
        def load() -> tuple[ticket_work.TicketCard, bytes | None]:
            with self.db.unit(self.actor) as ctx:
                card = ticket_work.ticket_card(ctx, number)
            return card, _photo_bytes(card.photo)

        def shown(result: tuple[ticket_work.TicketCard, bytes | None]) -> None:
            self.ticket.show_card(*result)
            self.window.show_screen(self.ticket)

        self.work(load, shown)

    def _ticket_action(self, action: Callable[[Any], ticket_work.TicketCard]) -> None:
        def run() -> tuple[ticket_work.TicketCard, bytes | None]:
            with self.db.unit(self.actor) as ctx:
                card = action(ctx)
            return card, _photo_bytes(card.photo)

        def shown(result: tuple[ticket_work.TicketCard, bytes | None]) -> None:
            self.ticket.show_card(*result)
            self.window.show_screen(self.ticket)

        self.work(run, shown, write=True)

    # --- devices ------------------------------------------------------------------------------------------
    def _prompt_device(self) -> None:
        self.home.focus_search()

    def search_devices(self, text: str) -> None:
        from kiosk.domain import device_search

        campus = self.campus_id

        def run() -> device_search.SearchResult:
            with self.db.unit(self.actor) as ctx:
                return device_search.search(ctx, text, campus_id=campus)

        self.work(run, self.home.show_results)

    def open_device(self, tag: str, message: str = "") -> None:
        from kiosk.domain import device_work

        def load() -> device_work.DeviceRecord | None:
            with self.db.read(self.actor) as ctx:  # plain data: nothing lazy crosses threads
                return device_work.device_record(ctx, tag)

        def shown(result: device_work.DeviceRecord | None) -> None:
            if result is None:
                self._start_register(tag)
                return
            self.device.show_device(result.fields, list(result.items), result.troublesome)
            self.window.show_screen(self.device)
            if message:
                self.device.show_error(message)

        self.work(load, shown)

    def save_device(self, tag: str, changes: dict[str, str]) -> None:
        from kiosk.domain import device_work

        def run() -> str:
            with self.db.unit(self.actor) as ctx:
                return device_work.save_fields(ctx, tag, changes)

        self.work(run, self.open_device, write=True)

    def ask_retire(self, tag: str, _reason: str) -> None:
        from kiosk.domain import device_work

        def run() -> device_work.RetirePlan:
            with self.db.unit(self.actor) as ctx:
                return device_work.retire_plan(ctx, tag)

        self.work(run, self.device.ask_retire)

    def retire_device(self, tag: str, reason: str) -> None:
        from kiosk.domain import device_work

        def run() -> device_work.Retired:
            with self.db.unit(self.actor) as ctx:
                return device_work.retire(ctx, tag, reason)

        def done(result: device_work.Retired) -> None:
            self.open_device(result.tag, self.tr("Retired. Its open tickets {0} have a note: close them or move the "
                                                 "work to the replacement.").format(", ".join(result.noted_tickets))
                             if result.noted_tickets else "")

        self.work(run, done, write=True)

    def _start_register(self, tag: str) -> None:
        self.register.prepare(tag)
        self.window.show_screen(self.register)

    def register_device(self, values: dict[str, str]) -> None:
        from kiosk.domain import device_work

        campus_id = self.campus_id
        rule = self.tag_rule

        def run() -> str:
            from kiosk.domain.errors import InvalidInput
            from kiosk.domain.validation import normalize_tag

            verdict = rule.check_tag(normalize_tag(values["tag"])) if rule is not None else None
            if verdict is not None and not verdict.accepted:
                raise InvalidInput(f"{verdict.reason}: this district's asset tags follow its tag rule")
            with self.db.unit(self.actor) as ctx:
                return device_work.register(ctx, dict(values), campus_id)

        self.work(run, self.open_device, write=True)

    # --- lists --------------------------------------------------------------------------------------------
    def open_unknown(self) -> None:
        campus = None if self.admin else self.campus_id

        def load() -> tuple[Any, ...]:
            from kiosk.domain import device_work

            with self.db.read(self.actor) as ctx:
                return device_work.unknown_tags(ctx, campus)

        def shown(items: tuple[Any, ...]) -> None:
            self.unknown.set_rows([(i.tag, i.times, _d(i.first_seen, self.tz), _d(i.last_seen, self.tz))
                                   for i in items], list(items),
                                  self.tr("Tags people scanned that match no device. Register them here."))
            self.window.show_screen(self.unknown)

        self.work(load, shown)

    def open_troublesome(self) -> None:
        campus = None if self.admin else self.campus_id

        from kiosk.domain import device_work

        def load() -> device_work.TroubleList:
            with self.db.read(self.actor) as ctx:
                return device_work.troublesome(ctx, campus)

        def shown(result: device_work.TroubleList) -> None:
            devs, models = result.devices, result.models
            rows: list[tuple[object, ...]] = [
                (self.tr("device"), f"{d.tag} {d.model or ''}", d.repairs, f"{d.minutes} min",
                 _d(d.last_repair, self.tz)) for d in devs]
            rows += [(self.tr("model"), m.model, m.repairs, f"{m.rate:.2f}/device vs {m.fleet_rate:.2f}",
                      (m.category or self.tr("all problems")) + f" · ×{m.ratio:.1f} · {m.devices} devices")
                     for m in models]
            items: list[object] = [d.tag for d in devs] + [None for _ in models]
            self.trouble.set_rows(rows, items, self.tr("Devices with {0}+ repairs in {1} days; models whose repair "
                                                       "rate stands out from the fleet.").format(
                result.repairs, result.days))
            self.window.show_screen(self.trouble)

        self.work(load, shown)

    def open_not_audited(self) -> None:
        campus = None if self.admin else self.campus_id

        def load() -> tuple[Any, ...]:
            with self.db.read(self.actor) as ctx:
                return audit_work.not_audited(ctx, NOT_AUDITED_DAYS, campus)

        def shown(items: tuple[Any, ...]) -> None:
            self.stale.set_rows([(r.room, r.campus, _d(r.last_audit, self.tz) or self.tr("never"),
                                  r.days if r.days is not None else "—") for r in items], list(items),
                                self.tr("Rooms without an applied audit in {0} days.").format(NOT_AUDITED_DAYS))
            self.window.show_screen(self.stale)

        self.work(load, shown)

    # --- labels -------------------------------------------------------------------------------------------------
    def make_labels(self, choice: dict[str, Any]) -> None:
        from kiosk.ui.printing import PrintError

        campus_id = self.campus_id
        destination: Any = None
        if choice.get("print"):
            try:  # the printer is chosen first (a dialog in a window, the default printer in kiosk mode)
                destination = self.printing.pdf_destination()
            except PrintError as exc:
                self.labels.show_error(str(exc)[:1].upper() + str(exc)[1:])
                return

        def run() -> tuple[str, int, int, str]:
            from kiosk.domain import label_work, labels
            from kiosk.settings import data_dir
            from kiosk.ui.printing import send_pdf

            with self.db.unit(self.actor) as ctx:
                chosen = label_work.choose(ctx, campus_id, choice["what"], choice["detail"])
            folder = data_dir() / "labels"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"labels-{self.now().strftime('%Y%m%d-%H%M%S')}.pdf"
            placed = labels.render_pdf(list(chosen.items), choice["sheet"], path, code=choice["code"],
                                       district=chosen.district, skip=int(choice.get("skip") or 0))
            pages = max((p.page for p in placed), default=0) + 1
            printed = send_pdf(path, destination) if destination is not None else ""
            return str(path), len(placed), pages, printed

        self.work(run, lambda result: self.labels.done(*result))

    # --- room audit -----------------------------------------------------------------------------------------
    def open_audit_rooms(self) -> None:
        campus = self.campus_id

        def load() -> tuple[audit_work.AuditRoom, ...]:
            with self.db.read(self.actor) as ctx:
                return audit_work.rooms(ctx, campus)

        def shown(rooms: tuple[audit_work.AuditRoom, ...]) -> None:
            self.audit.set_rooms([(r.room_id, r.name, _d(r.last_audit, self.tz) if r.last_audit else
                                   self.tr("never audited")) for r in rooms])
            self.window.show_screen(self.audit)

        self.work(load, shown)

    def start_audit(self, room_id: uuid.UUID) -> None:
        def run() -> audit_work.AuditStarted:
            with self.db.unit(self.actor) as ctx:
                return audit_work.start(ctx, room_id)

        def shown(result: audit_work.AuditStarted) -> None:
            self.audit_id = result.audit_id
            self.audit.start_scanning(result.room, list(result.scanned), len(result.scanned), result.expected)
            self.window.show_screen(self.audit)

        self.work(run, shown, write=True)

    def audit_scan(self, tag: str) -> None:
        audit_id = self.audit_id
        if audit_id is None:
            return

        def run() -> Any:
            with self.db.unit(self.actor) as ctx:
                return audit_work.scan(ctx, audit_id, tag)

        def shown(r: Any) -> None:
            self.audit.show_scan(r)
            QApplication.beep()

        self.work(run, shown, write=True)

    def pause_audit(self) -> None:
        audit_id = self.audit_id
        if audit_id is None:
            return

        def run() -> None:
            with self.db.unit(self.actor) as ctx:
                audit_work.pause(ctx, audit_id)

        def done(_: None) -> None:
            self.audit_id = None
            self.open_audit_rooms()

        self.work(run, done, write=True)

    def finish_audit(self) -> None:
        audit_id = self.audit_id
        if audit_id is None:
            return

        def run() -> audit_work.AuditReport:
            with self.db.unit(self.actor) as ctx:
                return audit_work.finish(ctx, audit_id)

        self.work(run, self.audit.show_result, write=True)

    def apply_audit(self, move: list[uuid.UUID]) -> None:
        audit_id = self.audit_id
        if audit_id is None:
            return

        def run() -> audit_work.AuditApplied:
            with self.db.unit(self.actor) as ctx:
                return audit_work.apply(ctx, audit_id, move)

        def done(result: audit_work.AuditApplied) -> None:
            self.audit_id = None
            self.audit.show_applied(result.summary, dict(result.models))

        self.work(run, done, write=True)

    def _audit_done(self) -> None:
        self.audit.reset()
        self.open_audit_rooms()

    def print_missing_list(self) -> None:
        """The applied audit's devices not found, on paper, for the follow-up round."""
        from kiosk.ui.printing import PrintError, table_html

        summary = self.audit.applied
        if summary is None:
            return
        when = summary.applied_at.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")
        rows: list[tuple[str, ...]] = [(i.tag, i.model or "", i.status.replace("_", " ") if i.status else "",
                 self.tr("marked missing") if i.tag in summary.marked_missing else self.tr("left as it is"))
                for i in summary.missing_list]
        html = table_html(self.tr("Missing from {0} ({1})").format(summary.room, summary.campus),
                          self.tr("Room audit applied {0}; {1} devices not found").format(when, len(rows)),
                          (self.tr("Tag"), self.tr("Device"), self.tr("Status at the audit"), self.tr("Now")), rows)
        try:
            where = self.printing.print_html(html)
        except PrintError as exc:
            self.audit.show_error(str(exc)[:1].upper() + str(exc)[1:])
            return
        self.audit.show_error("")
        self.audit.summary.setText(self.audit.summary.text() + self.tr(" · missing list sent to {0}").format(where))


def _kiosk_export_path(_title: str, suggested: str, _filters: str) -> str:
    """Kiosk mode's export target: the data folder's exports/, under the suggested file name (no dialog)."""
    from pathlib import Path

    from kiosk.settings import data_dir

    folder = data_dir() / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / Path(suggested).name)


def _photo_bytes(name: str | None) -> bytes | None:
    """The walk-up photo of a ticket, read on the worker (a missing or odd file is simply no photo)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    from kiosk.settings import data_dir

    try:
        return (data_dir() / "photos" / name).read_bytes()
    except OSError:
        return None


def _d(value: datetime | None, tz: ZoneInfo) -> str:
    return "" if value is None else value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
