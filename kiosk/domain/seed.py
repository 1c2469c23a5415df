"""A realistic demo district: campuses, rooms, devices, technicians, rotation, a year of tickets.

Deterministic: the same ``seed`` and ``as_of`` date give the same rows, keys included.  Rows are
written in bulk (COPY on PostgreSQL, executemany on SQLite) so 500,000 devices take seconds.

The district behaves like a real one, by the rules the services enforce (``tests/domain/test_demo_district.py``
checks them): holidays follow their rules for whatever year "now" falls in (Labor Day is the first Monday of
September, Thanksgiving the fourth Thursday of November...); technicians work in working hours on working days
(every step is placed with the district calendar); nothing is dated after "now"; a fix matches its fault and a
comment its rating; unanswered surveys carry no answers; a "not solved" answer reopens the ticket, which is
worked, closed and surveyed again; some tickets go on hold and come back; a few devices are troublesome (3 or
more repairs in 90 days) and one model has a same-model problem (charging ports); every campus has a
technician visit in the week after "now". Rows are written in bulk rather than through the services (a
million tickets through the services would take hours); the open tickets' SLA deadlines come from the SLA
clock itself.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, delete, func, insert, select

from kiosk.domain.business_hours import BusinessCalendar, add_business_time, business_window
from kiosk.domain.db import Database
from kiosk.domain.errors import Conflict
from kiosk.domain.ids import uuid7
from kiosk.domain.models import (
    Base,
    Campus,
    CategoryScope,
    Device,
    DeviceCategory,
    DeviceStatus,
    District,
    Holiday,
    Priority,
    RepairLog,
    Reporter,
    ReporterKind,
    Room,
    RotationException,
    RotationVisit,
    ServiceCategory,
    SlaTarget,
    StaffRole,
    StaffUser,
    Survey,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
    VisitExceptionKind,
    WorkingHours,
)
from kiosk.domain.passwords import hash_secret
from kiosk.domain.sla_clock import HoldInterval, PrioritySegment, compute_ticket_sla
from kiosk.domain.tickets import new_ticket_number

Progress = Callable[[str, int, int], None]

DEMO_PASSWORD = "kiosk-demo"
DEMO_PIN = "2468"
TAG_PREFIX = "DS"

# (code, name, icon, default priority, covered, scope)
CATALOG: list[tuple[str, str, str, Priority, bool, CategoryScope]] = [
    ("screen", "Cracked or broken screen", "screen-broken", Priority.P3, True, CategoryScope.DEVICE),
    ("power", "Won't turn on or charge", "battery-alert", Priority.P2, True, CategoryScope.DEVICE),
    ("keyboard", "Keyboard, trackpad or keys", "keyboard", Priority.P3, True, CategoryScope.DEVICE),
    ("login", "Can't sign in", "account-lock", Priority.P2, True, CategoryScope.ANY),
    ("software", "App or website not working", "application-bug", Priority.P3, True, CategoryScope.ANY),
    ("damage", "Liquid or physical damage", "water-alert", Priority.P3, True, CategoryScope.DEVICE),
    ("audio", "Sound, camera or microphone", "microphone-off", Priority.P4, True, CategoryScope.DEVICE),
    ("lost", "Lost or stolen", "map-marker-question", Priority.P2, True, CategoryScope.DEVICE),
    ("wifi", "Wi-Fi or network down", "wifi-off", Priority.P1, True, CategoryScope.ROOM),
    ("projector", "Projector or display panel", "projector", Priority.P2, True, CategoryScope.ROOM),
    ("printer", "Printer", "printer-alert", Priority.P3, True, CategoryScope.ROOM),
    ("personal", "Personal or home device", "cellphone-question", Priority.P4, False, CategoryScope.DEVICE),
    ("other", "Something else", "help-circle", Priority.P4, True, CategoryScope.ANY),
]

# Business minutes: (first response, resolution). A business day is 07:30-16:30 = 540 minutes.
SLA_MINUTES = {Priority.P1: (30, 240), Priority.P2: (120, 1080), Priority.P3: (480, 2700),
               Priority.P4: (1080, 5400)}

# category, manufacturer, model, cost in dollars, warranty years, weight
MODELS: list[tuple[DeviceCategory, str, str, int, int, int]] = [
    (DeviceCategory.CHROMEBOOK, "Dell", "Chromebook 3110", 289, 3, 30),
    (DeviceCategory.CHROMEBOOK, "HP", "Chromebook 11 G9 EE", 259, 3, 22),
    (DeviceCategory.CHROMEBOOK, "Lenovo", "100e Chromebook Gen 4", 279, 3, 18),
    (DeviceCategory.CHROMEBOOK, "Acer", "Chromebook Spin 511", 319, 3, 8),
    (DeviceCategory.LAPTOP, "Dell", "Latitude 3540", 819, 4, 6),
    (DeviceCategory.LAPTOP, "HP", "ProBook 440 G10", 879, 4, 4),
    (DeviceCategory.LAPTOP, "Apple", "MacBook Air 13 M2", 999, 3, 2),
    (DeviceCategory.DESKTOP, "Dell", "OptiPlex 7010 SFF", 749, 5, 4),
    (DeviceCategory.TABLET, "Apple", "iPad 10th gen", 349, 2, 5),
    (DeviceCategory.PROJECTOR, "Epson", "BrightLink 725Wi", 1599, 3, 1),
    (DeviceCategory.INTERACTIVE_PANEL, "Promethean", "ActivPanel 9 75in", 3999, 5, 2),
    (DeviceCategory.PRINTER, "HP", "LaserJet Pro 4001n", 429, 1, 1),
    (DeviceCategory.DOCUMENT_CAMERA, "IPEVO", "V4K", 119, 1, 1),
    (DeviceCategory.ACCESS_POINT, "Aruba", "AP-515", 899, 5, 1),
]
FUNDING = ["General fund", "E-Rate", "Title I", "ESSER III", "Bond 2022", "Donation"]
CAMPUS_WORDS = ["Lincoln", "Washington", "Roosevelt", "Jefferson", "Cesar Chavez", "Oak Ridge", "Riverside",
                "Lakeview", "Hillcrest", "Pioneer", "Sequoyah", "Willow Creek", "Bluebonnet", "Eastside",
                "Westwood", "Prairie View", "Heritage", "Mesa Verde", "Northgate", "Southpark"]
TECH_NAMES = [("Maria", "Lopez"), ("James", "Carter"), ("Aisha", "Khan"), ("Tom", "Nguyen"),
              ("Priya", "Patel"), ("Luis", "Garcia"), ("Dana", "Whitfield"), ("Sam", "Okafor"),
              ("Elena", "Rossi"), ("Marcus", "Reed"), ("Hana", "Sato"), ("Ben", "Yazzie")]
NOTES = ["Checked in at tech room.", "Waiting on replacement part.", "Reimaged the device.",
         "Called the teacher, device picked up.", "Swapped with a loaner in the meantime.",
         "Vendor RMA opened.", "Tested after repair: all good."]
# What fixes each fault: (action, parts, parts cost in cents, typical minutes)
FIXES: dict[str, list[tuple[str, str | None, int, int]]] = {
    "screen": [("Replaced screen panel", "LCD panel 11.6in", 4500, 25)],
    "power": [("Replaced charging port", "DC-in board", 1800, 35), ("Replaced battery", "Battery 3-cell", 3900, 15)],
    "keyboard": [("Replaced keyboard", "Keyboard assembly", 3200, 20), ("Replaced trackpad", "Trackpad", 2600, 20)],
    "login": [("Reset password and unlocked the account", None, 0, 10),
              ("Reset profile and cleared cache", None, 0, 10)],
    "software": [("Powerwashed and re-enrolled", None, 0, 15), ("Reinstalled the app", None, 0, 10)],
    "damage": [("Replaced hinge", "Hinge set", 1500, 30), ("Replaced bottom case", "Bottom case", 2400, 25),
               ("Dried and cleaned after a spill", None, 0, 30)],
    "audio": [("Replaced speaker", "Speaker set", 1200, 20), ("Replaced camera module", "Camera module", 1900, 25)],
    "lost": [("Issued a replacement device", None, 0, 20), ("Found on campus and returned", None, 0, 10)],
    "wifi": [("Rebooted the access point", None, 0, 15), ("Replaced the access point", "Access point", 89900, 60)],
    "projector": [("Replaced lamp", "Projector lamp", 8900, 30), ("Reseated the HDMI cable", None, 0, 10)],
    "printer": [("Replaced fuser", "Fuser kit", 11900, 40), ("Cleared the paper path", None, 0, 15)],
    "personal": [("Advised: personal devices are not supported", None, 0, 5)],
    "other": [("Replaced the charger", "Charger 45W", 2900, 10), ("Replaced headphones", "Headphones", 1500, 5)],
}
REPAIRS = [fix for fixes in FIXES.values() for fix in fixes]
COMMENTS = {"happy": ["Fast and friendly, thank you!", "Great job", "Loaner helped a lot", "Fixed the same day"],
            "mixed": ["Took a week.", "Fixed, but it took a while to hear back"],
            "unhappy": ["Still broken.", "Same problem came back the next day", "Nobody told me it was ready"]}
PROBLEM_MODEL = ("HP", "Chromebook 11 G9 EE")  # the demo's same-model problem: charging ports
DISTRICT_TZ = "America/Chicago"
DESCRIPTIONS = {
    "screen": ["Screen is cracked in the corner", "Lines across the screen", "Screen is black but it is on"],
    "power": ["Won't charge", "Does not turn on at all", "Battery dies in an hour"],
    "keyboard": ["Some keys are missing", "Trackpad does not click", "Space bar stuck"],
    "login": ["Says my password is wrong", "Can't sign in to Google", "Account locked"],
    "software": ["Testing app won't open", "Clever keeps loading", "Printer app crashes"],
    "damage": ["Water spilled on it", "Dropped it, the case is broken", "Hinge cracked"],
    "audio": ["No sound from speakers", "Camera shows black", "Mic not working in Meet"],
    "lost": ["Left it on the bus", "Missing from the cart", "Stolen from locker"],
    "wifi": ["No Wi-Fi in the room", "Internet very slow since lunch", "Can't connect to network"],
    "projector": ["Projector won't turn on", "Panel touch not working", "Image is blurry and dim"],
    "printer": ["Paper jam every page", "Printer offline", "Prints blank pages"],
    "personal": ["My phone won't connect", "Home laptop has a virus"],
    "other": ["Need a new charger", "Cart outlet is broken", "Headphones broken"],
}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (0 = Monday) of the month; ``n = -1`` for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """A fixed-date holiday on a weekend is observed on the Friday before or the Monday after."""
    return day - timedelta(days=1) if day.weekday() == 5 else day + timedelta(days=1) if day.weekday() == 6 else day


def _friday_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() - 4) % 7 or 7)


def district_holidays(year: int) -> list[tuple[str, date, date]]:
    """A school year's closures by rule (every one starts and ends on a weekday): (name, first, last)."""
    thanksgiving = _nth_weekday(year, 11, 3, 4)  # the fourth Thursday of November
    memorial = _nth_weekday(year, 5, 0, -1)
    school_starts = _nth_weekday(year, 8, 0, 2)  # the second Monday of August
    winter = date(year, 12, 21) - timedelta(days=date(year, 12, 21).weekday())  # the Monday of that week
    winter_end = date(year, 12, 31) if date(year, 12, 31).weekday() < 5 else _friday_before(date(year, 12, 31))
    spring = _nth_weekday(year, 3, 0, 2)
    return [
        ("New Year's Day", _observed(date(year, 1, 1)), _observed(date(year, 1, 1))),
        ("Martin Luther King Jr. Day", _nth_weekday(year, 1, 0, 3), _nth_weekday(year, 1, 0, 3)),
        ("Presidents' Day", _nth_weekday(year, 2, 0, 3), _nth_weekday(year, 2, 0, 3)),
        ("Spring break", spring, spring + timedelta(days=4)),
        ("Memorial Day", memorial, memorial),
        ("Summer break", memorial + timedelta(days=7), _friday_before(school_starts)),
        ("Labor Day", _nth_weekday(year, 9, 0, 1), _nth_weekday(year, 9, 0, 1)),
        ("Thanksgiving break", thanksgiving - timedelta(days=1), thanksgiving + timedelta(days=1)),
        ("Winter break", winter, winter_end),
    ]


@dataclass
class SeedOptions:
    devices: int = 600
    tickets: int = 400
    campuses: int | None = None
    seed: int = 42
    as_of: date | None = None
    hash_passwords: bool = True


@dataclass
class SeedSummary:
    campuses: int = 0
    rooms: int = 0
    devices: int = 0
    technicians: int = 0
    reporters: int = 0
    tickets: int = 0
    events: int = 0
    repairs: int = 0
    surveys: int = 0
    seconds: float = 0.0
    sample_tags: list[str] = field(default_factory=list)
    demo_campus: str = ""


def _at(day: date, minutes_after_midnight: int) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC) + timedelta(minutes=minutes_after_midnight)


def _copy_rows(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows fast: COPY on PostgreSQL, executemany in chunks elsewhere."""
    count = 0
    if conn.dialect.name == "postgresql":
        cols = [c.name for c in table.columns]
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with raw.cursor() as cur, cur.copy(  # type: ignore[attr-defined]
            f"COPY {table.name} ({', '.join(cols)}) FROM STDIN"
        ) as cp:
            for row in rows:
                cp.write_row([row[c] if c in row else _scalar_default(table.columns[c]) for c in cols])
                count += 1
        return count
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= 5000:
            conn.execute(insert(table), chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        conn.execute(insert(table), chunk)
        count += len(chunk)
    return count


def _t(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _complete(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Fill columns the row leaves out with their scalar default (else None), so executemany and COPY see one
    shape."""
    return {c.name: row[c.name] if c.name in row else _scalar_default(c) for c in table.columns}


def _scalar_default(column: Any) -> Any:
    default = column.default
    return default.arg if default is not None and default.is_scalar else None


class _Seeder:
    def __init__(self, db: Database, opts: SeedOptions, progress: Progress | None) -> None:
        self.db = db
        self.opts = opts
        self.rng = random.Random(opts.seed)
        self.side_rng = random.Random(f"{opts.seed}-calendar")
        self.as_of = opts.as_of or db.clock.now().date()
        self.now = datetime.combine(self.as_of, time(15, 0), tzinfo=UTC)
        if opts.as_of is None:  # seeding "today": nothing may be dated after the clock's now
            self.now = min(self.now, db.clock.now().astimezone(UTC).replace(second=0, microsecond=0))
        self.progress = progress or (lambda stage, done, total: None)
        self.summary = SeedSummary()
        self.cal = BusinessCalendar.default(DISTRICT_TZ)
        self.zone = ZoneInfo(DISTRICT_TZ)

    def key(self, when: datetime | None = None) -> uuid.UUID:
        return uuid7(int((when or self.now).timestamp() * 1000), self.rng)

    def stamp(self, when: datetime) -> dict[str, Any]:
        return {"id": self.key(when), "created_at": when, "updated_at": when}

    def side_stamp(self, when: datetime) -> dict[str, Any]:
        """Keys for rows whose number differs from earlier versions of the seeder (holidays by rule, next
        week's rotation exceptions): drawn from a second generator, so the main one, and with it every
        campus, device and ticket of a given ``--seed``, stays what other tests and notes rely on."""
        return {"id": uuid7(int(when.timestamp() * 1000), self.side_rng), "created_at": when, "updated_at": when}

    def burn(self, keys: int) -> None:
        for _ in range(keys):
            self.key(self.now)

    def run(self) -> SeedSummary:
        import time as _time

        started = _time.perf_counter()
        with self.db.engine.begin() as conn:
            if conn.scalar(select(func.count()).select_from(_t(Device))):
                raise Conflict("the database already has devices; use --reset to replace them with demo data")
            self.reference(conn)
            self.places(conn)
            self.people(conn)
            self.schedule(conn)
            self.devices(conn)
            self.tickets(conn)
        self.summary.seconds = _time.perf_counter() - started
        return self.summary

    # --- reference data ------------------------------------------------------------------------
    def reference(self, conn: Connection) -> None:
        t0 = self.now - timedelta(days=400)
        self.district_id = self.key(t0)
        conn.execute(insert(_t(District)), [{**self.stamp(t0), "id": self.district_id,
                     "name": "Demo Springs Independent School District", "timezone": DISTRICT_TZ}])
        # No tag rule: the demo's tags all start with TAG_PREFIX, but its stories scan strangers' tags too.
        self.categories: dict[str, tuple[uuid.UUID, Priority, CategoryScope]] = {}
        rows = []
        for i, (code, name, icon, prio, covered, scope) in enumerate(CATALOG):
            cid = self.key(t0)
            self.categories[code] = (cid, prio, scope)
            rows.append({**self.stamp(t0), "id": cid, "code": code, "name": name, "icon": icon,
                         "default_priority": prio.value, "covered": covered, "scope": scope.value,
                         "sort_order": i, "active": True})
        conn.execute(insert(_t(ServiceCategory)), rows)
        conn.execute(insert(_t(SlaTarget)), [
            {**self.stamp(t0), "priority": p.value, "first_response_minutes": r, "resolution_minutes": z}
            for p, (r, z) in SLA_MINUTES.items()])
        conn.execute(insert(_t(WorkingHours)), [
            {**self.stamp(t0), "weekday": d, "opens": time(7, 30), "closes": time(16, 30)} for d in range(5)])
        holidays = []
        for year in (self.as_of.year - 1, self.as_of.year, self.as_of.year + 1):
            holidays += district_holidays(year)
        conn.execute(insert(_t(Holiday)), [
            {**self.side_stamp(t0), "name": n, "start_date": a, "end_date": b} for n, a, b in holidays])
        self.burn(18)  # the keys the 18 fixed-date holidays of earlier versions drew (see side_stamp)
        single = frozenset(a for _, a, b in holidays if a == b)
        ranges = tuple((a, b) for _, a, b in holidays if b > a)
        self.cal = BusinessCalendar.default(DISTRICT_TZ, holidays=single, closed_ranges=ranges)

    # --- campuses and rooms --------------------------------------------------------------------
    def places(self, conn: Connection) -> None:
        n = self.opts.campuses or max(3, min(120, self.opts.devices // 400 + 2))
        t0 = self.now - timedelta(days=400)
        campuses, rooms = [], []
        self.campus_rooms: list[list[uuid.UUID]] = []
        self.room_campus: dict[uuid.UUID, int] = {}
        self.campus_ids: list[uuid.UUID] = []
        self.campus_codes: list[str] = []
        levels = ["Elementary", "Middle School", "High School"]
        for i in range(n):
            word = CAMPUS_WORDS[i % len(CAMPUS_WORDS)]
            level = levels[0] if i % 5 < 3 else levels[1] if i % 5 == 3 else levels[2]
            suffix = f" {i // len(CAMPUS_WORDS) + 1}" if i >= len(CAMPUS_WORDS) else ""
            code = "".join(w[0] for w in (word + " " + level).split()).upper()[:4] + f"{i + 1:02d}"
            cid = self.key(t0)
            self.campus_ids.append(cid)
            self.campus_codes.append(code)
            campuses.append({**self.stamp(t0), "id": cid, "district_id": self.district_id, "code": code,
                             "name": f"{word} {level}{suffix}", "level": level.split()[0].lower()})
            names = ["Tech Room", "Library", "Main Office", "Gym", "Cafeteria"]
            names += [f"Lab {k}" for k in range(1, 3 if level == levels[0] else 5)]
            names += [f"{wing}{num:02d}" for wing in ("A1", "B1", "C2")[: 2 if level == levels[0] else 3]
                      for num in range(1, 13)]
            ids = []
            for name in names:
                rid = self.key(t0)
                ids.append(rid)
                self.room_campus[rid] = i
                kind = "tech room" if name == "Tech Room" else "lab" if name.startswith("Lab") else (
                    "classroom" if name[0] in "ABC" and name[1].isdigit() else "common")
                rooms.append({**self.stamp(t0), "id": rid, "campus_id": cid, "name": name, "kind": kind})
            self.campus_rooms.append(ids)
        _copy_rows(conn, _t(Campus), campuses)
        _copy_rows(conn, _t(Room), rooms)
        self.summary.campuses, self.summary.rooms = n, len(rooms)
        self.summary.demo_campus = self.campus_codes[0]

    # --- staff and reporters -------------------------------------------------------------------
    def people(self, conn: Connection) -> None:
        t0 = self.now - timedelta(days=400)
        n_tech = max(3, min(len(TECH_NAMES) * 4, len(self.campus_ids) // 6 + 3))
        pw = hash_secret(DEMO_PASSWORD) if self.opts.hash_passwords else None
        pin = hash_secret(DEMO_PIN) if self.opts.hash_passwords else None
        staff = []
        self.tech_ids: list[uuid.UUID] = []
        self.tech_usernames: list[str] = []
        for i in range(n_tech):
            first, last = TECH_NAMES[i % len(TECH_NAMES)]
            username = f"{first[0]}{last}".lower() + (str(i // len(TECH_NAMES)) if i >= len(TECH_NAMES) else "")
            sid = self.key(t0)
            self.tech_ids.append(sid)
            self.tech_usernames.append(username)
            staff.append({**self.stamp(t0), "id": sid, "username": username, "first_name": first,
                          "last_name": last, "email": f"{username}@demosprings.example.org",
                          "role": StaffRole.TECHNICIAN.value, "password_hash": pw, "pin_hash": pin,
                          "badge_code": f"BADGE{1001 + i}", "active": True,
                          "lead_of_campus_id": self.campus_ids[i] if i < len(self.campus_ids) else None})
        staff.append({**self.stamp(t0), "username": "admin", "first_name": "Alex", "last_name": "Admin",
                      "email": "admin@demosprings.example.org", "role": StaffRole.ADMIN.value,
                      "password_hash": pw, "pin_hash": pin, "badge_code": "BADGE0001", "active": True})
        _copy_rows(conn, _t(StaffUser), (_complete(_t(StaffUser), r) for r in staff))
        self.summary.technicians = n_tech
        n_rep = max(50, self.opts.tickets // 2)
        reps = []
        self.reporter_ids: list[uuid.UUID] = []
        for i in range(n_rep):
            rid = self.key(t0)
            self.reporter_ids.append(rid)
            if i % 4 == 0:
                reps.append({**self.stamp(t0), "id": rid, "kind": ReporterKind.TEACHER.value, "id_number": None,
                             "email": f"teacher{i:06d}@demosprings.example.org"})
            else:
                reps.append({**self.stamp(t0), "id": rid, "kind": ReporterKind.STUDENT.value,
                             "id_number": f"{200000 + i}", "email": None})
        _copy_rows(conn, _t(Reporter), reps)
        self.summary.reporters = n_rep

    # --- rotation -----------------------------------------------------------------------------
    def schedule(self, conn: Connection) -> None:
        t0 = self.now - timedelta(days=400)
        monday = self.as_of - timedelta(days=self.as_of.weekday())
        visits, exceptions = [], []
        next_monday = monday + timedelta(weeks=1)
        for i, cid in enumerate(self.campus_ids):
            tech = self.tech_ids[i % len(self.tech_ids)]
            cycle = 1 if i % 3 else 2
            days = [i % 5] if cycle == 2 else sorted({i % 5, (i + 2) % 5})
            start = time(8, 0) if i % 2 == 0 else time(12, 30)
            end = time(11, 30) if i % 2 == 0 else time(15, 30)
            vid = self.key(t0)
            # a fortnightly rotation is anchored so that the week after "now" is one of its weeks
            visits.append({**self.stamp(t0), "id": vid, "technician_id": tech, "campus_id": cid,
                           "weekdays": ",".join(map(str, days)), "cycle_weeks": cycle,
                           "anchor_date": next_monday - timedelta(weeks=52), "start_time": start, "end_time": end,
                           "valid_from": self.as_of - timedelta(days=365), "valid_to": None})
            if i % 4 in (0, 1):
                self.burn(1)  # the key this campus's exception drew in earlier versions (see side_stamp)
            # next week: one cancelled visit (where the campus has two that week) and one extra visit, to make
            # exceptions visible in the demo; every campus keeps a visit in the week after "now"
            if i % 4 == 0 and len(days) > 1:
                day = next_monday + timedelta(days=days[0])
                exceptions.append({**self.side_stamp(t0), "campus_id": cid, "visit_id": vid, "technician_id": tech,
                                   "on_date": day, "kind": VisitExceptionKind.CANCELLED.value,
                                   "note": "Technician at district training"})
            cancelled = {days[0]} if i % 4 == 0 and len(days) > 1 else set()
            extra = None
            if i % 4 == 1:
                extra = next_monday + timedelta(days=(days[0] + 1) % 5)
            working = [next_monday + timedelta(days=d) for d in range(5)
                       if business_window(self.cal, next_monday + timedelta(days=d)) is not None]
            kept = [d for d in days if d not in cancelled and next_monday + timedelta(days=d) in working]
            if not kept and (extra is None or extra not in working) and working:
                extra = working[0]  # e.g. Thanksgiving week: a visit on a day the district is open
            if extra is not None:
                exceptions.append({**self.side_stamp(t0), "campus_id": cid, "visit_id": None, "technician_id": tech,
                                   "on_date": extra, "kind": VisitExceptionKind.EXTRA.value,
                                   "start_time": time(13, 0), "end_time": time(15, 0),
                                   "note": "Extra visit for testing season"})
        _copy_rows(conn, _t(RotationVisit), visits)
        _copy_rows(conn, _t(RotationException), (_complete(_t(RotationException), r) for r in exceptions))

    # --- devices -------------------------------------------------------------------------------
    def devices(self, conn: Connection) -> None:
        rng = self.rng
        total = self.opts.devices
        weights = [m[5] for m in MODELS]
        self.device_ids: list[uuid.UUID] = []
        self.device_place: list[tuple[int, uuid.UUID]] = []
        self.device_cat: list[DeviceCategory] = []
        self.device_model: list[tuple[str, str]] = []
        sample: list[str] = []

        def rows() -> Iterator[dict[str, Any]]:
            for i in range(total):
                cat, make, model, cost, wyears, _ = rng.choices(MODELS, weights)[0]
                campus = rng.randrange(len(self.campus_ids))
                room = rng.choice(self.campus_rooms[campus])
                age_days = rng.randrange(30, 6 * 365)
                bought = self.as_of - timedelta(days=age_days)
                created = datetime.combine(bought, time(12), tzinfo=UTC)
                status = DeviceStatus.IN_SERVICE
                r = rng.random()
                if r < 0.02:
                    status = DeviceStatus.SPARE
                elif r < 0.03:
                    status = DeviceStatus.LOANER
                elif r < 0.035:
                    status = DeviceStatus.MISSING
                elif age_days > 5 * 365 and r < 0.2:
                    status = DeviceStatus.RETIRED
                did = uuid7(int(created.timestamp() * 1000), rng)
                tag = f"{TAG_PREFIX}{100000 + i:06d}"
                self.device_ids.append(did)
                self.device_place.append((campus, room))
                self.device_cat.append(cat)
                self.device_model.append((make, model))
                if campus == 0 and len(sample) < 5 and status is DeviceStatus.IN_SERVICE:
                    sample.append(tag)
                if i % 20000 == 0:
                    self.progress("devices", i, total)
                yield {"id": did, "created_at": created, "updated_at": created, "asset_tag": tag,
                       "serial": f"{make[:2].upper()}{rng.getrandbits(40):010X}", "manufacturer": make,
                       "model": model, "category": cat.value, "campus_id": self.campus_ids[campus],
                       "room_id": room, "status": status.value, "assignee_id": None, "purchase_date": bought,
                       "purchase_cost_cents": cost * 100, "funding_source": rng.choice(FUNDING),
                       "warranty_end": bought + timedelta(days=365 * wyears), "notes": None,
                       "last_audited_at": None, "last_audited_room_id": None, "last_audited_by_id": None}

        self.summary.devices = _copy_rows(conn, _t(Device), rows())
        self.progress("devices", total, total)
        self.summary.sample_tags = sample

    # --- tickets, events, repairs, surveys ----------------------------------------------------
    def business(self, after: datetime, minutes: float) -> datetime:
        """The instant ``minutes`` of business time after ``after``: work happens in working hours."""
        return add_business_time(self.cal, after, timedelta(minutes=max(1, int(minutes))))

    def opening_time(self, back: int) -> datetime:
        """A moment in working hours of the working day ``back`` days before "now" (or the one before it)."""
        rng = self.rng
        day = self.as_of - timedelta(days=back)
        while True:
            window = business_window(self.cal, day)
            if window is not None:
                span = int((window[1] - window[0]).total_seconds() // 60) - 15
                opened = window[0] + timedelta(minutes=rng.randrange(0, max(1, span)))
                if opened < self.now:
                    return opened
            day -= timedelta(days=1)

    def tickets(self, conn: Connection) -> None:
        rng = self.rng
        total = self.opts.tickets
        if total == 0 or not self.device_ids:
            return
        device_codes = [c for c, (_, _, s) in self.categories.items() if s is not CategoryScope.ROOM]
        room_codes = [c for c, (_, _, s) in self.categories.items() if s is not CategoryScope.DEVICE]
        tickets: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        repairs: list[dict[str, Any]] = []
        surveys: list[dict[str, Any]] = []
        numbers: set[str] = set()
        ev_table, t_table = _t(TicketEvent), _t(Ticket)
        flushed = {"tickets": 0, "events": 0, "repairs": 0, "surveys": 0}
        now = self.now
        targets = {p.value: (timedelta(minutes=r), timedelta(minutes=z)) for p, (r, z) in SLA_MINUTES.items()}
        # a few troublesome devices (3 or more repairs in 90 days) and a model with a same-model problem
        n_trouble = max(3, min(25, len(self.device_ids) // 2000))
        trouble = [rng.randrange(len(self.device_ids)) for _ in range(n_trouble)]
        trouble_every = max(1, total // (6 * n_trouble))
        problem = [i for i, (make, model) in enumerate(self.device_model) if (make, model) == PROBLEM_MODEL]

        def flush(final: bool = False) -> None:
            if len(tickets) >= 20000 or final:
                flushed["tickets"] += _copy_rows(conn, t_table, tickets)
                flushed["events"] += _copy_rows(conn, ev_table, events)
                flushed["repairs"] += _copy_rows(conn, _t(RepairLog), repairs)
                flushed["surveys"] += _copy_rows(conn, _t(Survey), surveys)
                for batch in (tickets, events, repairs, surveys):
                    batch.clear()

        def ev(tid: uuid.UUID, at: datetime, kind: TicketEventKind, *, public: bool = False,
               actor: uuid.UUID | None = None, body: str | None = None, old: str | None = None,
               new: str | None = None, reporter: uuid.UUID | None = None) -> None:
            events.append({"id": uuid7(int(at.timestamp() * 1000), rng), "created_at": at, "updated_at": at,
                           "ticket_id": tid, "at": at, "kind": kind.value, "public": public, "actor_id": actor,
                           "reporter_id": reporter, "body": body, "old_value": old, "new_value": new})

        for i in range(total):
            if i % 10000 == 0:
                self.progress("tickets", i, total)
            troubled = i % trouble_every == 0 and i // trouble_every < 6 * n_trouble
            # more tickets in recent months; opened in working hours on a working day, before "now"
            back = rng.randrange(0, 80) if troubled else int(rng.triangular(0, 365, 0))
            opened = self.opening_time(back)
            if troubled:
                d = trouble[(i // trouble_every) % n_trouble]
            elif problem and rng.random() < 0.06:
                d = rng.choice(problem)
            else:
                d = rng.randrange(len(self.device_ids))
            campus, room = self.device_place[d]
            room_problem = not troubled and rng.random() < 0.12
            code = rng.choice(room_codes if room_problem else device_codes)
            if not room_problem and self.device_model[d] == PROBLEM_MODEL and rng.random() < 0.6:
                code = "power"
            if troubled and code in ("login", "software", "personal", "lost", "other"):
                code = rng.choice(["screen", "power", "keyboard", "damage"])
            cat_id, default_prio, _ = self.categories[code]
            prio = default_prio if rng.random() < 0.7 else rng.choice(list(Priority))
            tech = self.tech_ids[campus % len(self.tech_ids)]
            tech_name = self.tech_usernames[campus % len(self.tech_ids)]
            reporter = rng.choice(self.reporter_ids)
            tid = uuid7(int(opened.timestamp() * 1000), rng)
            number = new_ticket_number(self.campus_codes[campus], rng)
            while number in numbers:
                number = new_ticket_number(self.campus_codes[campus], rng)
            numbers.add(number)
            row: dict[str, Any] = {
                "id": tid, "created_at": opened, "number": number, "campus_id": self.campus_ids[campus],
                "device_id": None if room_problem else self.device_ids[d], "room_id": room,
                "reporter_id": reporter, "category_id": cat_id,
                "description": rng.choice(DESCRIPTIONS[code]), "reporter_priority": prio.value,
                "override_priority": None, "override_reason": None, "priority": prio.value,
                "status": TicketStatus.NEW.value, "assignee_id": None,
                "channel": rng.choice(["kiosk", "kiosk", "kiosk", "technician"]), "kiosk_id": None,
                "opened_at": opened, "first_response_at": None, "resolved_at": None, "closed_at": None,
                "response_due_at": None, "resolution_due_at": None, "resolution": None, "photo": None,
            }
            ev(tid, opened, TicketEventKind.CREATED, public=True, new="new", reporter=reporter)
            story = _Story(self, ev, tid, row, tech, reporter, code, repairs, surveys)
            status, last = TicketStatus.NEW, opened
            t = self.business(opened, rng.randrange(1, 120))
            if t < now:
                row["assignee_id"] = tech
                ev(tid, t, TicketEventKind.ASSIGNMENT, actor=tech, new=tech_name)
                story.status, story.last = TicketStatus.ASSIGNED, t
                if rng.random() < 0.1:
                    over = rng.choice([p for p in Priority if p is not prio])
                    row["override_priority"] = row["priority"] = over.value
                    row["override_reason"] = "Affects a whole class" if over < prio else "Loaner issued"
                    ev(tid, t, TicketEventKind.PRIORITY, actor=tech, body=row["override_reason"],
                       old=prio.value, new=over.value)
                    story.segments.append(PrioritySegment(over.value, t))
                if story.work(t):
                    story.close_and_survey(False)
            status, last = story.status, story.last
            row["status"] = status.value
            row["updated_at"] = last
            if status.is_open or row["resolved_at"] is None:  # the deadlines the queue sorts by, from the clock
                state = compute_ticket_sla(self.cal, targets, created_at=opened, priorities=story.segments,
                                           holds=story.holds, first_response_at=row["first_response_at"],
                                           resolved_at=row["resolved_at"], now=now)
                row["response_due_at"], row["resolution_due_at"] = state.response.due_at, state.resolution.due_at
            else:
                r_min, z_min = SLA_MINUTES[Priority(row["priority"])]
                row["response_due_at"] = add_business_time(self.cal, opened, timedelta(minutes=r_min))
                row["resolution_due_at"] = add_business_time(self.cal, opened, timedelta(minutes=z_min))
            tickets.append(row)
            flush()
        flush(final=True)
        self.progress("tickets", total, total)
        s = self.summary
        s.tickets, s.events, s.repairs, s.surveys = (flushed["tickets"], flushed["events"], flushed["repairs"],
                                                     flushed["surveys"])


class _Story:
    """One ticket's life after its assignment, as the services would record it, cut off at "now"."""

    def __init__(self, seeder: _Seeder, ev: Callable[..., None], tid: uuid.UUID, row: dict[str, Any],
                 tech: uuid.UUID, reporter: uuid.UUID, code: str, repairs: list[dict[str, Any]],
                 surveys: list[dict[str, Any]]) -> None:
        self.s, self.ev, self.tid, self.row, self.tech, self.reporter = seeder, ev, tid, row, tech, reporter
        self.code, self.repairs, self.surveys = code, repairs, surveys
        self.rng, self.now = seeder.rng, seeder.now
        self.status = TicketStatus.NEW
        self.last: datetime = row["opened_at"]
        self.segments = [PrioritySegment(row["reporter_priority"], row["opened_at"])]
        self.holds: list[HoldInterval] = []

    def step(self, at: datetime, new: TicketStatus, body: str | None = None, *, staff: bool = True) -> bool:
        """Record a status change at ``at``; False (and nothing recorded) when ``at`` is after "now"."""
        if at >= self.now:
            return False
        self.ev(self.tid, at, TicketEventKind.STATUS, public=True, actor=self.tech if staff else None,
                old=self.status.value, new=new.value, body=body)
        if self.row["first_response_at"] is None and staff:
            self.row["first_response_at"] = at
        if new is TicketStatus.ON_HOLD:
            self.holds.append(HoldInterval(at))
        elif self.status is TicketStatus.ON_HOLD:
            self.holds[-1] = HoldInterval(self.holds[-1].start, at)
        self.status, self.last = new, at
        return True

    def work(self, start: datetime) -> bool:
        """Respond, maybe hold and resume, repair and resolve: False when "now" comes first."""
        rng, row = self.rng, self.row
        t = self.s.business(start, rng.randrange(1, 90))
        if not self.step(t, TicketStatus.IN_PROGRESS, "A technician is on it."):
            return False
        if rng.random() < 0.5 and t + timedelta(minutes=5) < self.now:
            self.ev(self.tid, t + timedelta(minutes=5), TicketEventKind.NOTE, actor=self.tech,
                    body=rng.choice(NOTES), public=rng.random() < 0.3)
        if rng.random() < 0.08:  # waiting on a part, then back to work
            t = self.s.business(t, rng.randrange(10, 120))
            if not self.step(t, TicketStatus.ON_HOLD, "Waiting on a replacement part."):
                return False
            t = self.s.business(t, rng.randrange(540, 540 * 5))
            if not self.step(t, TicketStatus.IN_PROGRESS, "Part arrived."):
                return False
        t = self.s.business(t, 5 + rng.expovariate(1 / 400))
        if t >= self.now:
            return False
        action, parts, cost, minutes = rng.choice(FIXES[self.code])
        mins = max(5, int(rng.gauss(minutes, minutes / 3)))
        self.repairs.append({"id": uuid7(int(t.timestamp() * 1000), rng), "created_at": t, "updated_at": t,
                             "device_id": row["device_id"], "ticket_id": self.tid, "technician_id": self.tech,
                             "action": action, "parts": parts, "parts_cost_cents": cost or None, "minutes": mins,
                             "performed_at": t})
        self.ev(self.tid, t, TicketEventKind.REPAIR, actor=self.tech,
                body=f"{action} ({mins} min" + (f", parts: {parts})" if parts else ")"))
        row["resolved_at"], row["resolution"] = t, action
        return self.step(t, TicketStatus.RESOLVED, action)

    def close_and_survey(self, second: bool) -> None:
        """Close a few working hours later; the reporter may answer the survey; "not solved" reopens it."""
        rng, row = self.rng, self.row
        t = self.s.business(self.last, rng.randrange(60, 1620))
        if not self.step(t, TicketStatus.CLOSED):
            return
        row["closed_at"] = t
        if rng.random() >= (0.6 if second else 0.45):
            return
        self.ev(self.tid, t, TicketEventKind.SURVEY, actor=self.tech, body="Survey invitation sent (kiosk only)",
                new="invited")
        sub = t + timedelta(minutes=rng.randrange(30, 60 * 48))
        answered = sub < self.now
        solved = rng.random() < (0.97 if second else 0.93)
        high = 5 if solved else 2
        scores = [max(1, min(5, high - (rng.random() < 0.3) - (rng.random() < 0.1))) for _ in range(5)]
        mood = "unhappy" if not solved else "happy" if scores[4] >= 4 else "mixed"
        comment = rng.choice(COMMENTS[mood]) if rng.random() < 0.3 or not solved else None
        self.surveys.append({
            "id": uuid7(int(t.timestamp() * 1000), rng), "created_at": t, "updated_at": sub if answered else t,
            "ticket_id": self.tid, "reporter_id": self.reporter, "technician_id": row["assignee_id"],
            "token_hash": None, "invited_at": t, "expires_at": t + timedelta(days=14),
            "submitted_at": sub if answered else None, "solved": solved if answered else None,
            **{name: (score if answered else None) for name, score in zip(
                ("timeliness", "courtesy", "communication", "quality", "overall"), scores, strict=True)},
            "comment": comment if answered else None})
        if not answered:
            return
        self.ev(self.tid, sub, TicketEventKind.SURVEY, new="answered",
                body=f"Survey answered: {'solved' if solved else 'not solved'}, overall {scores[4]}/5")
        if solved:
            return
        # "not solved" reopens the ticket (as surveys.submit does); it is worked, closed and surveyed again
        why = "Reopened: the reporter answered the satisfaction survey that the problem is not solved."
        self.step(sub, TicketStatus.REOPENED, why + (f" Their comment: {comment}" if comment else ""), staff=False)
        row["resolved_at"] = row["closed_at"] = None
        if self.work(sub):
            self.close_and_survey(True)


def seed(db: Database, opts: SeedOptions | None = None, progress: Progress | None = None) -> SeedSummary:
    """Fill an empty, migrated database with a demo district."""
    return _Seeder(db, opts or SeedOptions(), progress).run()


def reset(db: Database) -> None:
    """Delete every row of every table (the schema stays)."""
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(delete(table))
