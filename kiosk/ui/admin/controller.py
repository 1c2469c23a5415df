"""The admin screens' controller: loads the setup and runs the district services on the job runner.

Every action is one unit of work with the signed-in admin as the actor, so the services check the role and the
audit log says who did it. A temporary PIN or password is shown once on the screen and never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject

from kiosk.domain import admin_actions, admin_views, staff_accounts
from kiosk.domain import district_admin as admin
from kiosk.domain.district import COMPARATORS, METRICS
from kiosk.domain.models import CategoryScope, Priority, VisitExceptionKind
from kiosk.ui import language
from kiosk.ui.admin.screens import (
    Action,
    AdminHomeScreen,
    AdminTableScreen,
    Field,
    RotationCalendarScreen,
    Section,
    admin_text,
)
from kiosk.ui.language import catalog, dates, status

if TYPE_CHECKING:
    from kiosk.ui.tech.flow import TechFlow

log = logging.getLogger(__name__)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate reads
    """Qt's QT_TRANSLATE_NOOP (marks ``text`` for lupdate in ``context``, returns it), typed as giving a str."""
    return text


# Every text of these tables is marked in the "AdminScreen" context (screens.admin_text shows it in the kiosk's
# language; every admin screen is an AdminScreen, so a language switch finds it there too). Table headers are
# RowsModel's (it translates them in its own context).
ROLES = (("technician", QT_TRANSLATE_NOOP("AdminScreen", "Technician")),
         ("admin", QT_TRANSLATE_NOOP("AdminScreen", "Admin")))
_PRIORITY_NAMES = {"P1": QT_TRANSLATE_NOOP("AdminScreen", "P1 Critical"),
                   "P2": QT_TRANSLATE_NOOP("AdminScreen", "P2 High"),
                   "P3": QT_TRANSLATE_NOOP("AdminScreen", "P3 Normal"),
                   "P4": QT_TRANSLATE_NOOP("AdminScreen", "P4 Low")}
PRIORITIES = tuple((p.value, _PRIORITY_NAMES.get(p.value, f"{p.value} {p.label}")) for p in Priority)
_SCOPE_NAMES = {"device": QT_TRANSLATE_NOOP("AdminScreen", "device"),
                "room": QT_TRANSLATE_NOOP("AdminScreen", "room"),
                "any": QT_TRANSLATE_NOOP("AdminScreen", "any")}
SCOPES = tuple((s.value, _SCOPE_NAMES.get(s.value, s.value)) for s in CategoryScope)
DAYS = tuple(enumerate((QT_TRANSLATE_NOOP("AdminScreen", "Monday"), QT_TRANSLATE_NOOP("AdminScreen", "Tuesday"),
                        QT_TRANSLATE_NOOP("AdminScreen", "Wednesday"), QT_TRANSLATE_NOOP("AdminScreen", "Thursday"),
                        QT_TRANSLATE_NOOP("AdminScreen", "Friday"), QT_TRANSLATE_NOOP("AdminScreen", "Saturday"),
                        QT_TRANSLATE_NOOP("AdminScreen", "Sunday"))))
# kiosk.domain.district.METRICS's names (the domain's English), for lupdate: shown through admin_text
METRIC_NAMES = (QT_TRANSLATE_NOOP("AdminScreen", "Satisfaction (overall 4-5)"),
                QT_TRANSLATE_NOOP("AdminScreen", "P1 median resolution"),
                QT_TRANSLATE_NOOP("AdminScreen", "First-response SLA met"))
# The words the tables write in their cells (the rows are read on the worker: QCoreApplication.translate is
# thread-safe); what the district typed (names) is shown as written.
LEVELS = {"elementary": QT_TRANSLATE_NOOP("DistrictAdmin", "elementary"),
          "middle": QT_TRANSLATE_NOOP("DistrictAdmin", "middle"),
          "high": QT_TRANSLATE_NOOP("DistrictAdmin", "high"),
          "admin": QT_TRANSLATE_NOOP("DistrictAdmin", "admin")}


SECTIONS = (
    Section("staff", QT_TRANSLATE_NOOP("AdminScreen", "Staff"),
            QT_TRANSLATE_NOOP("AdminScreen", "Add technicians and admins, disable leavers (their history stays), "
                                             "give a temporary PIN or password (shown once, changed at the next "
                                             "sign-in), lift a lockout, change roles."),
            (QT_TRANSLATE_NOOP("RowsModel", "Username"), QT_TRANSLATE_NOOP("RowsModel", "Name"),
             QT_TRANSLATE_NOOP("RowsModel", "Role"), QT_TRANSLATE_NOOP("RowsModel", "Email"),
             QT_TRANSLATE_NOOP("RowsModel", "Status"), QT_TRANSLATE_NOOP("RowsModel", "Sign-in")),
            (Field("username", QT_TRANSLATE_NOOP("AdminScreen", "Username")),
             Field("first_name", QT_TRANSLATE_NOOP("AdminScreen", "First name")),
             Field("last_name", QT_TRANSLATE_NOOP("AdminScreen", "Last name")),
             Field("email", QT_TRANSLATE_NOOP("AdminScreen", "Email")),
             Field("badge", QT_TRANSLATE_NOOP("AdminScreen", "Badge")),
             Field("role", QT_TRANSLATE_NOOP("AdminScreen", "Role"), "choice", ROLES)),
            (Action("add", QT_TRANSLATE_NOOP("AdminScreen", "Add"), needs_row=False, primary=True),
             Action("reset_pin", QT_TRANSLATE_NOOP("AdminScreen", "Reset PIN")),
             Action("reset_password", QT_TRANSLATE_NOOP("AdminScreen", "Reset password")),
             Action("unlock", QT_TRANSLATE_NOOP("AdminScreen", "Unlock")),
             Action("set_role", QT_TRANSLATE_NOOP("AdminScreen", "Set role")),
             Action("disable", QT_TRANSLATE_NOOP("AdminScreen", "Disable")),
             Action("enable", QT_TRANSLATE_NOOP("AdminScreen", "Enable"))),
            {"username": "username", "first_name": "first_name", "last_name": "last_name", "role": "role",
             "email": "email"}),
    Section("campuses", QT_TRANSLATE_NOOP("AdminScreen", "Campuses and rooms"),
            QT_TRANSLATE_NOOP("AdminScreen", "Campuses and their rooms. Retiring keeps every device and ticket "
                                             "history; a retired campus or room is no longer offered at the "
                                             "kiosks."),
            (QT_TRANSLATE_NOOP("RowsModel", "Code"), QT_TRANSLATE_NOOP("RowsModel", "Name"),
             QT_TRANSLATE_NOOP("RowsModel", "Level"), QT_TRANSLATE_NOOP("RowsModel", "Rooms"),
             QT_TRANSLATE_NOOP("RowsModel", "Status")),
            (Field("code", QT_TRANSLATE_NOOP("AdminScreen", "Code")),
             Field("name", QT_TRANSLATE_NOOP("AdminScreen", "Name")),
             Field("room", QT_TRANSLATE_NOOP("AdminScreen", "Room"))),
            (Action("add_campus", QT_TRANSLATE_NOOP("AdminScreen", "Add campus"), needs_row=False, primary=True),
             Action("rename", QT_TRANSLATE_NOOP("AdminScreen", "Rename")),
             Action("add_room", QT_TRANSLATE_NOOP("AdminScreen", "Add room")),
             Action("retire_room", QT_TRANSLATE_NOOP("AdminScreen", "Retire room")),
             Action("retire", QT_TRANSLATE_NOOP("AdminScreen", "Retire campus")),
             Action("restore", QT_TRANSLATE_NOOP("AdminScreen", "Bring back"))),
            {"code": "code", "name": "name"}),
    Section("catalog", QT_TRANSLATE_NOOP("AdminScreen", "Service catalog"),
            QT_TRANSLATE_NOOP("AdminScreen", "What the walk-up kiosk offers, in this order, with each problem's "
                                             "default priority. Hidden categories stay on old tickets."),
            (QT_TRANSLATE_NOOP("RowsModel", "Key"), QT_TRANSLATE_NOOP("RowsModel", "Name"),
             QT_TRANSLATE_NOOP("RowsModel", "Priority"), QT_TRANSLATE_NOOP("RowsModel", "Icon"),
             QT_TRANSLATE_NOOP("RowsModel", "Covered"), QT_TRANSLATE_NOOP("RowsModel", "Scope"),
             QT_TRANSLATE_NOOP("RowsModel", "Order"), QT_TRANSLATE_NOOP("RowsModel", "Status")),
            (Field("key", QT_TRANSLATE_NOOP("AdminScreen", "Key")),
             Field("name", QT_TRANSLATE_NOOP("AdminScreen", "Name")),
             Field("priority", QT_TRANSLATE_NOOP("AdminScreen", "Priority"), "choice", PRIORITIES),
             Field("icon", QT_TRANSLATE_NOOP("AdminScreen", "Icon")),
             Field("scope", QT_TRANSLATE_NOOP("AdminScreen", "Scope"), "choice", SCOPES),
             Field("order", QT_TRANSLATE_NOOP("AdminScreen", "Order")),
             Field("covered", QT_TRANSLATE_NOOP("AdminScreen", "Covered"), "check")),
            (Action("save", QT_TRANSLATE_NOOP("AdminScreen", "Save"), needs_row=False, primary=True),
             Action("hide", QT_TRANSLATE_NOOP("AdminScreen", "Hide")),
             Action("show", QT_TRANSLATE_NOOP("AdminScreen", "Show"))),
            {"key": "code", "name": "name", "priority": "priority", "icon": "icon", "scope": "scope",
             "order": "sort_order", "covered": "covered"}),
    Section("sla", QT_TRANSLATE_NOOP("AdminScreen", "SLA targets"),
            QT_TRANSLATE_NOOP("AdminScreen", "First-response and resolution targets per priority, in business "
                                             "time (working hours, holidays excluded): 30m, 4h, 1h30m."),
            (QT_TRANSLATE_NOOP("RowsModel", "Priority"), QT_TRANSLATE_NOOP("RowsModel", "First response"),
             QT_TRANSLATE_NOOP("RowsModel", "Resolution")),
            (Field("priority", QT_TRANSLATE_NOOP("AdminScreen", "Priority"), "choice", PRIORITIES),
             Field("first", QT_TRANSLATE_NOOP("AdminScreen", "First response"), placeholder="30m"),
             Field("resolution", QT_TRANSLATE_NOOP("AdminScreen", "Resolution"), placeholder="4h")),
            (Action("save", QT_TRANSLATE_NOOP("AdminScreen", "Save"), needs_row=False, primary=True),),
            {"priority": "priority", "first": "first_response", "resolution": "resolution"}),
    Section("hours", QT_TRANSLATE_NOOP("AdminScreen", "Working hours"),
            QT_TRANSLATE_NOOP("AdminScreen", "The district's business hours per weekday; the SLA clocks run only "
                                             "in them. A closed day has no hours."),
            (QT_TRANSLATE_NOOP("RowsModel", "Day"), QT_TRANSLATE_NOOP("RowsModel", "Hours")),
            (Field("weekday", QT_TRANSLATE_NOOP("AdminScreen", "Day"), "choice", DAYS),
             Field("window", QT_TRANSLATE_NOOP("AdminScreen", "Hours"), placeholder="07:30-16:30")),
            (Action("save", QT_TRANSLATE_NOOP("AdminScreen", "Save"), needs_row=False, primary=True),
             Action("close", QT_TRANSLATE_NOOP("AdminScreen", "Closed that day"))),
            {"weekday": "weekday", "window": "window"}),
    Section("holidays", QT_TRANSLATE_NOOP("AdminScreen", "Holidays"),
            QT_TRANSLATE_NOOP("AdminScreen", "Closed days and ranges (breaks, summer): no SLA time, no rotation "
                                             "visits."),
            (QT_TRANSLATE_NOOP("RowsModel", "First day"), QT_TRANSLATE_NOOP("RowsModel", "Last day"),
             QT_TRANSLATE_NOOP("RowsModel", "Name")),
            (Field("start", QT_TRANSLATE_NOOP("AdminScreen", "First day"), "date"),
             Field("end", QT_TRANSLATE_NOOP("AdminScreen", "Last day"), "date"),
             Field("name", QT_TRANSLATE_NOOP("AdminScreen", "Name"))),
            (Action("save", QT_TRANSLATE_NOOP("AdminScreen", "Save"), needs_row=False, primary=True),
             Action("remove", QT_TRANSLATE_NOOP("AdminScreen", "Remove"))),
            {"start": "start", "end": "end", "name": "name"}),
    Section("objectives", QT_TRANSLATE_NOOP("AdminScreen", "Objectives by school year"),
            QT_TRANSLATE_NOOP("AdminScreen", "Service objectives; each applies from its date until a later one "
                                             "for the same metric (94 % one school year, 97 % the next)."),
            (QT_TRANSLATE_NOOP("RowsModel", "Metric"), QT_TRANSLATE_NOOP("RowsModel", "Objective"),
             QT_TRANSLATE_NOOP("RowsModel", "From")),
            (Field("metric", QT_TRANSLATE_NOOP("AdminScreen", "Metric"), "choice",
                   tuple((m, label) for m, label in METRICS.items())),
             Field("comparator", QT_TRANSLATE_NOOP("AdminScreen", "Comparator"), "choice",
                   tuple((c, c) for c in COMPARATORS)),
             Field("target", QT_TRANSLATE_NOOP("AdminScreen", "Target")),
             Field("from", QT_TRANSLATE_NOOP("AdminScreen", "From"), "date")),
            (Action("save", QT_TRANSLATE_NOOP("AdminScreen", "Save"), needs_row=False, primary=True),
             Action("remove", QT_TRANSLATE_NOOP("AdminScreen", "Remove"))),
            {"metric": "metric", "comparator": "comparator", "target": "target", "from": "valid_from"}),
)
MENU = [("staff", QT_TRANSLATE_NOOP("AdminScreen", "Staff")),
        ("campuses", QT_TRANSLATE_NOOP("AdminScreen", "Campuses and rooms")),
        ("rotation", QT_TRANSLATE_NOOP("AdminScreen", "Rotation calendar")),
        ("catalog", QT_TRANSLATE_NOOP("AdminScreen", "Service catalog")),
        ("sla", QT_TRANSLATE_NOOP("AdminScreen", "SLA targets")),
        ("hours", QT_TRANSLATE_NOOP("AdminScreen", "Working hours")),
        ("holidays", QT_TRANSLATE_NOOP("AdminScreen", "Holidays")),
        ("objectives", QT_TRANSLATE_NOOP("AdminScreen", "Objectives by school year"))]


class DistrictAdmin(QObject):
    """Owns the admin screens inside technician mode (admins only)."""

    def __init__(self, flow: TechFlow) -> None:
        super().__init__(flow)
        self.flow = flow
        # On an enrolled kiosk: runs one sync round (pushes, pulls) after a change made on the service, so the
        # rows re-read after it show the change; the kiosk flow sets it when its sync worker starts.
        self.sync: Callable[[], Any] | None = None
        self.home = AdminHomeScreen(MENU)
        self.screens: dict[str, AdminTableScreen] = {s.key: AdminTableScreen(s) for s in SECTIONS}
        self.rotation = RotationCalendarScreen()
        self.home.chosen.connect(self.open)
        for key, screen in self.screens.items():
            screen.act.connect(lambda action, item, values, k=key: self.act(k, action, item, values))
        self.rotation.load.connect(self.load_calendar)
        self.rotation.cancel_visit.connect(self.cancel_visit)
        self.rotation.extra_visit.connect(self.extra_visit)

    def all_screens(self) -> list[Any]:
        return [self.home, *self.screens.values(), self.rotation]

    # --- opening -----------------------------------------------------------------------------------------
    def open_menu(self) -> None:
        """The menu. On an enrolled kiosk this copy is the service's (a change made in it would be refused at the
        next sync), so a change goes to the service with the admin's staff session (granted at an online
        sign-in); signed in offline there is none, and every screen is read-only and says why."""
        def enrolled() -> bool:
            with self.flow.db.unit() as ctx:
                return admin.enrolled_kiosk(ctx.session)

        def shown(on_kiosk: bool) -> None:
            why = self.tr(
                "This kiosk is enrolled: the district's setup is changed on the district service, from a desk PC "
                "running kiosk --url postgresql+psycopg://... (or kiosk district apply there). Here you can look; "
                "changes reach this kiosk at its next sync.") if on_kiosk and self.flow.service_session is None \
                else ""
            for screen in self.all_screens():
                screen.set_read_only(why)
            self.flow.window.show_screen(self.home)

        self.flow.work(enrolled, shown)

    def open(self, key: str) -> None:
        if key == "rotation":
            self.open_rotation()
            return
        screen = self.screens[key]
        self.flow.work(lambda: self._rows(key), lambda rows: self._show(screen, rows, show=True))

    def _show(self, screen: AdminTableScreen, rows: tuple[list[Any], list[Any]], *, show: bool) -> None:
        screen.set_rows(*rows)
        if show:
            self.flow.window.show_screen(screen)

    def _rows(self, key: str) -> tuple[list[Any], list[Any]]:
        """(display rows, items) for a section, read in one session on the worker."""
        with self.flow.db.unit() as ctx:
            s = ctx.session
            if key == "staff":
                rows: list[tuple[Any, ...]]
                items: list[Any] = staff_accounts.list_staff(ctx)
                roles = dict(ROLES)
                rows = [(r.username, r.name, admin_text(roles[r.role]) if r.role in roles else r.role,
                         r.email or "", self.tr("active") if r.active else self.tr("disabled"), _signin(r))
                        for r in items]
            elif key == "campuses":
                items = admin_views.campuses(s)
                rows = [(c.code, c.name, _translated("DistrictAdmin", LEVELS.get(c.level or "", c.level or "")),
                         _rooms_text(c), self.tr("active") if c.active else status("retired")) for c in items]
            elif key == "catalog":
                items = admin_views.categories(s)
                scopes = dict(SCOPES)
                rows = [(c.code, _category(c.name), c.priority, c.icon, self.tr("yes") if c.covered else self.tr("no"),
                         admin_text(scopes.get(c.scope, c.scope)), c.sort_order,
                         self.tr("shown") if c.active else self.tr("hidden")) for c in items]
            elif key == "sla":
                items = admin_views.sla_targets(s)
                rows = [(t.priority, t.first_response, t.resolution) for t in items]
            elif key == "hours":
                items = admin_views.hours(s)
                rows = [(dates(h.day.capitalize()), h.window or self.tr("closed")) for h in items]
            elif key == "holidays":
                items = admin_views.holidays(s)
                rows = [(h.start.isoformat(), h.end.isoformat(), h.name) for h in items]
            else:
                items = admin_views.objectives(s)
                rows = [(admin_text(METRICS.get(o.metric, o.metric)), f"{o.comparator} {o.target:g}",
                         o.valid_from.isoformat()) for o in items]
        return rows, items

    # --- acting ------------------------------------------------------------------------------------------
    def act(self, key: str, action: str, item: Any, values: dict[str, Any]) -> None:
        screen = self.screens[key]
        ref = None if item is None else _ref(key, item)

        def done(result: tuple[admin_actions.Result, tuple[list[Any], list[Any]]]) -> None:
            message, rows = result
            self._show(screen, rows, show=False)
            screen.done(self._message(message))

        self.flow.work(lambda: (self._perform(key, action, ref, values), self._rows(key)), done)

    def _perform(self, key: str, action: str, ref: Any, values: dict[str, Any]) -> admin_actions.Result:
        """On the worker: this database's services (central, standalone), or, on an enrolled kiosk, the district
        service (``POST /v1/admin/act`` with the admin's staff session), then a sync so the change is here."""
        session = self.flow.service_session
        if session is None:
            with self.flow.db.unit(self.flow.actor) as ctx:
                return admin_actions.perform(ctx, key, action, ref, values)
        from kiosk.sync import admin_remote

        try:
            result = admin_remote.act(self.flow.db, session, key, action, ref, values)
        except admin_remote.Offline:
            raise admin_remote.Offline(self.tr(
                "The district server cannot be reached, so nothing was changed. Try again when this kiosk is "
                "back online (the sync line on Home says so).")) from None
        except admin_remote.SessionEnded:
            raise admin_remote.SessionEnded(self.tr(
                "Your session on the district server has ended, so nothing was changed. Sign out and sign in "
                "again to make changes.")) from None
        if self.sync is not None:
            try:
                self.sync()
            except Exception as exc:  # the change is made on the service; the next sync brings it here
                log.warning("sync after an admin change failed: %s", exc)
        return result

    def _message(self, result: admin_actions.Result) -> str:
        templates = {
            admin_actions.TEMP_PIN: self.tr("Temporary PIN for {0}: {1} (shown once; changed at the next "
                                            "sign-in)"),
            admin_actions.TEMP_PASSWORD: self.tr("Temporary password for {0}: {1} (shown once; changed at the "
                                                 "next sign-in)"),
            admin_actions.UNLOCKED: self.tr("{0} unlocked."),
            admin_actions.NOT_LOCKED: self.tr("{0} was not locked."),
            admin_actions.NO_CHANGE: self.tr("No change."),
        }
        if result.template in templates:
            return templates[result.template].format(*result.args)
        return language.change(result.text)  # "created campus EAST" and friends

    # --- rotation ----------------------------------------------------------------------------------------
    def open_rotation(self) -> None:
        def load() -> tuple[list[Any], list[Any], date]:
            with self.flow.db.unit() as ctx:
                from kiosk.domain.district import local_zone

                campuses = [(c.id, f"{c.code} {c.name}") for c in admin_views.campuses(ctx.session) if c.active]
                techs = [(i, f"{name} ({user})") for i, user, name in admin_views.technicians(ctx.session)]
                today = ctx.clock.now().astimezone(local_zone(ctx.session)).date()
            return campuses, techs, today

        def shown(result: tuple[list[Any], list[Any], date]) -> None:
            self.flow.window.show_screen(self.rotation)
            self.rotation.set_choices(*result)

        self.flow.work(load, shown)

    def load_calendar(self, campus_id: Any, first: date, days: int) -> None:
        def load() -> admin_views.Calendar:
            with self.flow.db.unit() as ctx:
                return admin_views.calendar(ctx.session, campus_id, first, days)

        self.flow.work(load, self.rotation.show_calendar)

    def _exception(self, campus_id: Any, day: date, tech_id: Any, kind: VisitExceptionKind,
                   window: str | None) -> None:
        action = "cancel" if kind is VisitExceptionKind.CANCELLED else "extra"
        values = {"campus_id": str(campus_id), "day": day.isoformat(), "tech_id": str(tech_id),
                  "window": window or ""}

        def done(result: admin_actions.Result) -> None:
            self.rotation.done(self._message(result))
            self.rotation.request()

        self.flow.work(lambda: self._perform("rotation", action, None, values), done)

    def cancel_visit(self, campus_id: Any, day: date, tech_id: Any) -> None:
        self._exception(campus_id, day, tech_id, VisitExceptionKind.CANCELLED, None)

    def extra_visit(self, campus_id: Any, day: date, tech_id: Any, window: str) -> None:
        if not window:
            self.rotation.show_error(self.tr("Give the extra visit's window, e.g. 13:00-15:00."))
            return
        self._exception(campus_id, day, tech_id, VisitExceptionKind.EXTRA, window)


def _translated(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text) if text else ""


def _category(name: str) -> str:
    """A default category's name in the kiosk's language; a name the district gave as it typed it."""
    shown = catalog(name)
    return name if shown == name.replace("_", " ") else shown


def _rooms_text(c: admin_views.CampusRow, most: int = 6) -> str:
    """'38: A101, A102, ... (retired: Lab 3)': the count and the first few, so the table stays readable."""
    names = ", ".join(c.rooms[:most]) + (", ..." if len(c.rooms) > most else "")
    retired = " " + QCoreApplication.translate("DistrictAdmin", "(retired: {0})").format(
        ", ".join(c.retired_rooms[:most])) if c.retired_rooms else ""
    none = QCoreApplication.translate("DistrictAdmin", "none")
    return f"{len(c.rooms)}: {names}{retired}" if c.rooms else f"{none}{retired}"


def _signin(r: staff_accounts.StaffRow) -> str:
    """How a person can sign in: 'PIN, password, badge (temporary) LOCKED'."""
    parts = [p for p, on in ((QCoreApplication.translate("DistrictAdmin", "PIN"), r.has_pin),
                             (QCoreApplication.translate("DistrictAdmin", "password"), r.has_password),
                             (QCoreApplication.translate("DistrictAdmin", "badge"), r.badge)) if on]
    text = ", ".join(parts) or QCoreApplication.translate("DistrictAdmin", "none yet")
    if r.temporary:
        text = QCoreApplication.translate("DistrictAdmin", "{0} (temporary)").format(text)
    if r.locked_until:
        text = QCoreApplication.translate("DistrictAdmin", "{0} LOCKED").format(text)
    return text


def _ref(key: str, item: Any) -> Any:
    """The plain value that names a row for ``admin_actions.perform`` (it may cross the network)."""
    if key == "staff":
        return item.username
    if key in ("campuses", "catalog"):
        return item.code
    if key == "hours":
        return item.weekday
    return str(item.id)
