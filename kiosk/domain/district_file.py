"""The district file: the whole district setup in one TOML file, applied idempotently and exported back.

``read`` parses and checks a file, returning every problem at once with its line and key; ``apply`` brings the
database to what the file says through the district services (audit log, sync change log) and returns the
changes; ``export`` writes the database back in the same format, so export → apply changes nothing.

A section missing from the file is left alone (a file without ``[[staff]]`` does not touch staff); a section
present is the whole truth for its kind: campuses, rooms and staff missing from it are retired (disabled),
categories hidden, and calendar entries (hours, holidays, rotation exceptions, objectives) removed; a recurring
rotation visit missing from it ends yesterday, so the past schedule stays as it was.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from math import gcd
from typing import Any

from sqlalchemy import select

from kiosk.domain import district_admin as admin
from kiosk.domain import district_file_desk as desk_file
from kiosk.domain.db import Ctx
from kiosk.domain.district import COMPARATORS, METRICS
from kiosk.domain.district_admin import Change, fold
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import (
    Campus,
    CategoryScope,
    District,
    Holiday,
    Objective,
    Priority,
    Room,
    RotationException,
    RotationVisit,
    ServiceCategory,
    SlaTarget,
    StaffRole,
    StaffUser,
    VisitExceptionKind,
    WorkingHours,
)
from kiosk.domain.validation import EMAIL_RE

SECTIONS: dict[str, tuple[str, ...]] = {
    "district": ("name", "timezone", "tag_pattern", "tag_prefix", "tag_check_digit"),
    "settings": ("walkup_idle_seconds", "technician_idle_seconds", "troublesome_repairs", "troublesome_days"),
    "hours": admin.WEEKDAYS,
    "holidays": ("date", "end", "name"),
    "campuses": ("code", "name", "level", "rooms"),
    "staff": ("username", "first_name", "last_name", "email", "role", "badge", "lead_of"),
    "categories": ("key", "name", "name_es", "default_priority", "icon", "covered", "scope", "sort_order"),
    "sla": ("first_response", "resolution"),
    "rotation": ("technician", "campus", "weekdays", "every_weeks", "from", "to", "window"),
    "rotation_exceptions": ("technician", "campus", "date", "kind", "window", "note"),
    "objectives": ("metric", "comparator", "target", "from"),
    # the repair desk's sections: read, applied and exported by kiosk/domain/district_file_desk.py
    "desk": tuple(desk_file.DESK_KEYS),
    "damage_plans": desk_file.PLAN_KEYS,
}
ARRAYS = ("holidays", "campuses", "staff", "categories", "rotation", "rotation_exceptions", "objectives",
          "damage_plans")
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class DistrictFileError(InvalidInput):
    """A district file with problems; ``problems`` holds one line per problem, ``str()`` all of them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the district file, "
                         "nothing was changed:\n  " + "\n  ".join(problems))


# ---------------------------------------------------------------------------------------------
# What the file says, checked
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampusSpec:
    code: str
    name: str
    level: str | None
    rooms: tuple[str, ...] | None  # None: the file leaves this campus's rooms alone


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    email: str | None
    role: StaffRole
    badge: str | None
    lead_of: str | None


@dataclass(frozen=True)
class CategorySpec:
    key: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class RotationSpec:
    technician: str
    campus: str
    weekdays: tuple[int, ...]
    every_weeks: int
    start: date
    end: date | None
    window: tuple[time, time]
    where: str


@dataclass(frozen=True)
class ExceptionSpec:
    technician: str | None
    campus: str
    on: date
    kind: VisitExceptionKind
    window: tuple[time, time] | None
    note: str | None


@dataclass
class DistrictSpec:
    name: str = ""
    timezone: str = ""
    tag_pattern: str | None = None
    tag_prefix: str | None = None
    tag_check_digit: str | None = None
    settings: dict[str, int | None] = field(default_factory=dict)
    hours: dict[int, tuple[time, time]] | None = None
    holidays: list[tuple[date, date, str]] | None = None
    campuses: list[CampusSpec] | None = None
    staff: list[StaffSpec] | None = None
    categories: list[CategorySpec] | None = None
    sla: dict[str, tuple[int, int]] | None = None
    rotation: list[RotationSpec] | None = None
    exceptions: list[ExceptionSpec] | None = None
    objectives: list[tuple[str, str, float, date]] | None = None
    desk: dict[str, Any] | None = None  # [desk]: repair-desk settings by their keys (district_file_desk.py)
    damage_plans: list[desk_file.PlanSpec] | None = None  # [[damage_plans]]
    where: dict[str, str] = field(default_factory=dict)  # key path -> "line N: key path", for later checks


def _line_index(text: str) -> dict[tuple[str, int | None, str | None], int]:
    """Where each table header and key is in the file (tomllib keeps no positions)."""
    index: dict[tuple[str, int | None, str | None], int] = {}
    counts: dict[str, int] = {}
    current: tuple[str, int | None] = ("", None)
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if m := re.match(r"^\[\[\s*([\w.\"-]+)\s*\]\]", s):
            name = m.group(1).replace('"', "")
            counts[name] = counts.get(name, 0) + 1
            current = (name, counts[name] - 1)
            index.setdefault((*current, None), n)
        elif m := re.match(r"^\[\s*([\w.\"-]+)\s*\]", s):
            current = (m.group(1).replace('"', ""), None)
            index.setdefault((*current, None), n)
        elif m := re.match(r"^([\w\"-]+)\s*=", s):
            index.setdefault((*current, m.group(1).replace('"', "")), n)
    return index


class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = _line_index(text)
        self.problems: list[str] = []

    def where(self, table: str, index: int | None = None, key: str | None = None) -> str:
        line = self.lines.get((table, index, key)) or self.lines.get((table, index, None))
        path = table + (f"[{index + 1}]" if index is not None else "") + (f".{key}" if key else "")
        return f"{self.source}:{line}: {path}" if line else f"{self.source}: {path}"

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def value(self, table: str, index: int | None, obj: dict[str, Any], key: str, convert: Callable[[Any], Any],
              *, required: bool = True, default: Any = None) -> Any:
        if key not in obj:
            if required:
                self.problem(self.where(table, index, None), f"missing {key!r}")
            return default
        try:
            return convert(obj[key])
        except InvalidInput as exc:
            self.problem(self.where(table, index, key), str(exc))
        except (TypeError, ValueError) as exc:
            self.problem(self.where(table, index, key), f"{obj[key]!r} is not valid here ({exc})")
        return default

    def known_keys(self, table: str, index: int | None, obj: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in obj:
            if key not in allowed:
                self.problem(self.where(table, index, key), f"unknown key {key!r} (known: {', '.join(allowed)})")


def _text(max_len: int) -> Callable[[Any], str]:
    def convert(v: Any) -> str:
        if not isinstance(v, str) or not v.strip():
            raise InvalidInput(f"{v!r} is not a text value")
        s = " ".join(v.split())
        if len(s) > max_len:
            raise InvalidInput(f"too long ({len(s)} of at most {max_len} characters)")
        return s
    return convert


def _date(v: Any) -> date:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        raise InvalidInput(f"{v!r} is not a date (YYYY-MM-DD)") from None


def _int(lo: int, hi: int) -> Callable[[Any], int]:
    def convert(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise InvalidInput(f"{v!r} is not a whole number from {lo} to {hi}")
        return v
    return convert


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise InvalidInput(f"{v!r} is not true or false")
    return v


def _email(v: Any) -> str:
    s = str(v).strip().lower()
    if not EMAIL_RE.match(s):
        raise InvalidInput(f"{v!r} is not an email address")
    return s


def _username(v: Any) -> str:
    s = str(v).strip()
    if not USERNAME.match(s):
        raise InvalidInput(f"{v!r} is not a username (letters, digits, '.', '_' or '-')")
    return s


def _list_of_text(v: Any) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise InvalidInput("expected a list of names, e.g. [\"Library\", \"Room 101\"]")
    return tuple(" ".join(x.split()) for x in v)


def _array(data: dict[str, Any], name: str, r: _Reader) -> list[dict[str, Any]] | None:
    if name not in data:
        return None
    items = data[name]
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        r.problem(r.where(name), f"expected [[{name}]] tables")
        return []
    return items


def read(text: str, source: str = "district.toml") -> DistrictSpec:
    """Parse and check a district file; raises DistrictFileError listing every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DistrictFileError([f"{source}: not valid TOML: {exc}"]) from None
    r = _Reader(text, source)
    spec = DistrictSpec()
    for key in data:
        if key not in SECTIONS:
            r.problem(r.where(key), f"unknown section {key!r} (known: {', '.join(SECTIONS)})")

    d = data.get("district")
    if not isinstance(d, dict):
        r.problem(f"{source}: [district]", "missing: the file needs [district] with name and timezone")
        d = {}
    r.known_keys("district", None, d, SECTIONS["district"])
    spec.name = r.value("district", None, d, "name", _text(200), default="")
    spec.timezone = r.value("district", None, d, "timezone", admin.check_zone, default="")
    spec.tag_pattern = r.value("district", None, d, "tag_pattern", admin.check_pattern, required=False)
    spec.tag_prefix = r.value("district", None, d, "tag_prefix", admin.check_prefixes, required=False)
    spec.tag_check_digit = r.value("district", None, d, "tag_check_digit", admin.check_check_digit, required=False)

    st = data.get("settings", {})
    if isinstance(st, dict):
        r.known_keys("settings", None, st, SECTIONS["settings"])
        for key in SECTIONS["settings"]:
            limit = (5, 86_400) if key.endswith("seconds") else (1, 3650)
            spec.settings[key] = r.value("settings", None, st, key, _int(*limit), required=False)

    if "hours" in data:
        h = data["hours"]
        spec.hours = {}
        if isinstance(h, dict):
            r.known_keys("hours", None, h, SECTIONS["hours"])
            for i, day in enumerate(admin.WEEKDAYS):
                window = r.value("hours", None, h, day, admin.parse_window, required=False)
                if window is not None:
                    spec.hours[i] = window

    if (items := _array(data, "holidays", r)) is not None:
        spec.holidays = []
        seen_days: dict[date, int] = {}
        for i, obj in enumerate(items):
            r.known_keys("holidays", i, obj, SECTIONS["holidays"])
            start = r.value("holidays", i, obj, "date", _date)
            end = r.value("holidays", i, obj, "end", _date, required=False) or start
            name = r.value("holidays", i, obj, "name", _text(100), default="Holiday")
            if start is None:
                continue
            if end < start:
                r.problem(r.where("holidays", i, "end"), f"ends ({end}) before it starts ({start})")
                continue
            if start in seen_days:
                r.problem(r.where("holidays", i, "date"), f"{start} is already listed (holidays[{seen_days[start]}])")
                continue
            seen_days[start] = i + 1
            spec.holidays.append((start, end, name))

    if (items := _array(data, "campuses", r)) is not None:
        spec.campuses = []
        codes: dict[str, int] = {}
        names: dict[str, int] = {}
        for i, obj in enumerate(items):
            r.known_keys("campuses", i, obj, SECTIONS["campuses"])
            code = r.value("campuses", i, obj, "code", _text(16))
            name = r.value("campuses", i, obj, "name", _text(200))
            level = r.value("campuses", i, obj, "level", _text(32), required=False)
            rooms = r.value("campuses", i, obj, "rooms", _list_of_text, required=False)
            if code is None or name is None:
                continue
            if not admin.CAMPUS_CODE.match(code):
                r.problem(r.where("campuses", i, "code"), f"{code!r} is not a campus code (1-16 letters, digits, "
                                                          "'-' or '_')")
                continue
            if code.upper() in codes:
                r.problem(r.where("campuses", i, "code"), f"duplicate campus code {code!r} "
                                                          f"(also campuses[{codes[code.upper()]}])")
                continue
            if fold(name) in names:
                r.problem(r.where("campuses", i, "name"), f"duplicate campus name {name!r} "
                                                          f"(also campuses[{names[fold(name)]}])")
                continue
            codes[code.upper()] = names[fold(name)] = i + 1
            seen_rooms: set[str] = set()
            for room in rooms or ():
                if not room or len(room) > 64:
                    r.problem(r.where("campuses", i, "rooms"), f"{room!r} is not a room name (1-64 characters)")
                elif fold(room) in seen_rooms:
                    r.problem(r.where("campuses", i, "rooms"), f"room {room!r} is listed twice")
                seen_rooms.add(fold(room))
            spec.campuses.append(CampusSpec(code, name, level,
                                            None if rooms is None else tuple(dict.fromkeys(rooms))))

    if (items := _array(data, "staff", r)) is not None:
        spec.staff = []
        users: dict[str, int] = {}
        badges: dict[str, int] = {}
        for i, obj in enumerate(items):
            r.known_keys("staff", i, obj, SECTIONS["staff"])
            username = r.value("staff", i, obj, "username", _username)
            first = r.value("staff", i, obj, "first_name", _text(64))
            last = r.value("staff", i, obj, "last_name", _text(64))
            email = r.value("staff", i, obj, "email", _email, required=False)
            role = r.value("staff", i, obj, "role", _member(StaffRole, "role", str.lower))
            badge = r.value("staff", i, obj, "badge", _text(64), required=False)
            lead_of = r.value("staff", i, obj, "lead_of", _text(16), required=False)
            if username is not None and fold(username) in users:
                r.problem(r.where("staff", i, "username"), f"duplicate username {username!r} "
                                                           f"(also staff[{users[fold(username)]}])")
                continue
            if username is None or first is None or last is None or role is None:
                if username is not None:
                    users[fold(username)] = i + 1
                continue
            if badge and badge in badges:
                r.problem(r.where("staff", i, "badge"), f"badge {badge!r} is already staff[{badges[badge]}]'s")
                continue
            users[fold(username)] = i + 1
            if badge:
                badges[badge] = i + 1
            spec.staff.append(StaffSpec(username, first, last, email, role, badge, lead_of))

    if (items := _array(data, "categories", r)) is not None:
        spec.categories = []
        keys: dict[str, int] = {}
        for i, obj in enumerate(items):
            r.known_keys("categories", i, obj, SECTIONS["categories"])
            key = r.value("categories", i, obj, "key", _text(32))
            name = r.value("categories", i, obj, "name", _text(100))
            name_es = r.value("categories", i, obj, "name_es", _text(100), required=False, default=None)
            prio = r.value("categories", i, obj, "default_priority", _member(Priority, "priority", str.upper))
            icon = r.value("categories", i, obj, "icon", _text(64), required=False, default="other")
            covered = r.value("categories", i, obj, "covered", _bool, required=False, default=True)
            scope = r.value("categories", i, obj, "scope", _member(CategoryScope, "scope", str.lower),
                            required=False, default=CategoryScope.ANY)
            order = r.value("categories", i, obj, "sort_order", _int(0, 100_000), required=False,
                            default=(i + 1) * 10)
            if key is None or name is None or prio is None:
                continue
            if key in keys:
                r.problem(r.where("categories", i, "key"), f"duplicate category key {key!r} "
                                                           f"(also categories[{keys[key]}])")
                continue
            keys[key] = i + 1
            spec.categories.append(CategorySpec(key, admin.category_fields(name, prio.value, icon, covered,
                                                                           scope.value, order, name_es or "")))

    if "sla" in data:
        spec.sla = {}
        sla = data["sla"]
        if not isinstance(sla, dict):
            r.problem(r.where("sla"), "expected [sla.P1] ... tables")
            sla = {}
        for prio_name, obj in sla.items():
            table = f"sla.{prio_name}"
            if prio_name not in Priority.__members__ or not isinstance(obj, dict):
                r.problem(r.where(table), f"{prio_name!r} is not a priority table (sla.P1 .. sla.P4)")
                continue
            r.known_keys(table, None, obj, SECTIONS["sla"])
            first = r.value(table, None, obj, "first_response", admin.parse_duration)
            res = r.value(table, None, obj, "resolution", admin.parse_duration)
            if first is None or res is None:
                continue
            if res < first:
                r.problem(r.where(table, None, "resolution"), "shorter than the first-response target")
                continue
            spec.sla[prio_name] = (first, res)

    if (items := _array(data, "rotation", r)) is not None:
        spec.rotation = []
        for i, obj in enumerate(items):
            r.known_keys("rotation", i, obj, SECTIONS["rotation"])
            tech = r.value("rotation", i, obj, "technician", _username)
            campus = r.value("rotation", i, obj, "campus", _text(16))
            days = r.value("rotation", i, obj, "weekdays", lambda v: tuple(admin.weekday_numbers(list(v))))
            every = r.value("rotation", i, obj, "every_weeks", _int(1, 52), required=False, default=1)
            start = r.value("rotation", i, obj, "from", _date)
            end = r.value("rotation", i, obj, "to", _date, required=False)
            window = r.value("rotation", i, obj, "window", admin.parse_window)
            if None in (tech, campus, days, start, window):
                continue
            if end is not None and end < start:
                r.problem(r.where("rotation", i, "to"), f"ends ({end}) before it starts ({start})")
                continue
            spec.rotation.append(RotationSpec(tech, campus, days, every, start, end, window,
                                              r.where("rotation", i)))
        _check_overlaps(spec.rotation, r)

    if (items := _array(data, "rotation_exceptions", r)) is not None:
        spec.exceptions = []
        seen_ex: set[tuple[str | None, str, date, VisitExceptionKind]] = set()
        for i, obj in enumerate(items):
            r.known_keys("rotation_exceptions", i, obj, SECTIONS["rotation_exceptions"])
            tech = r.value("rotation_exceptions", i, obj, "technician", _username, required=False)
            campus = r.value("rotation_exceptions", i, obj, "campus", _text(16))
            on = r.value("rotation_exceptions", i, obj, "date", _date)
            kind = r.value("rotation_exceptions", i, obj, "kind", _member(VisitExceptionKind, "kind", str.lower))
            window = r.value("rotation_exceptions", i, obj, "window", admin.parse_window, required=False)
            note = r.value("rotation_exceptions", i, obj, "note", _text(200), required=False)
            if campus is None or on is None or kind is None:
                continue
            if kind is VisitExceptionKind.EXTRA and (window is None or tech is None):
                r.problem(r.where("rotation_exceptions", i), "an extra visit needs a technician and a window")
                continue
            ident = (fold(tech) if tech else None, campus.upper(), on, kind)
            if ident in seen_ex:
                r.problem(r.where("rotation_exceptions", i), "listed twice")
                continue
            seen_ex.add(ident)
            spec.exceptions.append(ExceptionSpec(tech, campus, on, kind, window, note))

    if (items := _array(data, "objectives", r)) is not None:
        spec.objectives = []
        seen_obj: set[tuple[str, date]] = set()
        for i, obj in enumerate(items):
            r.known_keys("objectives", i, obj, SECTIONS["objectives"])
            metric = r.value("objectives", i, obj, "metric", _choice(tuple(METRICS), "metric"))
            comp = r.value("objectives", i, obj, "comparator", _choice(COMPARATORS, "comparator"))
            target = r.value("objectives", i, obj, "target", _number)
            start = r.value("objectives", i, obj, "from", _date)
            if None in (metric, comp, target, start):
                continue
            if (metric, start) in seen_obj:
                r.problem(r.where("objectives", i), f"{metric} from {start} is listed twice")
                continue
            seen_obj.add((metric, start))
            spec.objectives.append((metric, comp, target, start))

    desk_file.read_sections(data, r, spec)
    _check_references(spec, r)
    if r.problems:
        raise DistrictFileError(r.problems)
    return spec


def _member(cls: Any, what: str, norm: Callable[[str], str]) -> Callable[[Any], Any]:
    def convert(v: Any) -> Any:
        try:
            return cls(norm(str(v).strip()))
        except ValueError:
            raise InvalidInput(f"{v!r} is not a {what} ({', '.join(m.value for m in cls)})") from None
    return convert


def _choice(options: tuple[str, ...], what: str) -> Callable[[Any], str]:
    def convert(v: Any) -> str:
        if str(v) not in options:
            raise InvalidInput(f"{v!r} is not a {what} ({', '.join(options)})")
        return str(v)
    return convert


def _number(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise InvalidInput(f"{v!r} is not a number")
    return float(v)


def _check_overlaps(rules: list[RotationSpec], r: _Reader) -> None:
    """A technician cannot be in two places at once: two visits on a shared weekday whose windows, date ranges
    and week cycles coincide are refused."""
    for i, a in enumerate(rules):
        for b in rules[i + 1:]:
            if fold(a.technician) != fold(b.technician) or not set(a.weekdays) & set(b.weekdays):
                continue
            if not (a.window[0] < b.window[1] and b.window[0] < a.window[1]):
                continue
            if (a.end is not None and a.end < b.start) or (b.end is not None and b.end < a.start):
                continue
            weeks = (admin.monday_of(b.start) - admin.monday_of(a.start)).days // 7
            if weeks % gcd(a.every_weeks, b.every_weeks):
                continue  # e.g. alternate weeks
            r.problem(b.where, f"overlapping windows: {b.technician} is already at {a.campus} "
                               f"{admin.format_window(*a.window)} on a shared weekday ({a.where.split(': ')[-1]})")


def _check_references(spec: DistrictSpec, r: _Reader) -> None:
    """Names the file uses that the file itself defines (checked against the database again in ``apply``)."""
    campuses = {c.code.upper() for c in spec.campuses} if spec.campuses is not None else None
    staff = {fold(s.username) for s in spec.staff} if spec.staff is not None else None
    techs = ({fold(s.username) for s in spec.staff or []})
    if spec.staff is not None and campuses is not None:
        for i, s in enumerate(spec.staff):
            if s.lead_of and s.lead_of.upper() not in campuses:
                r.problem(r.where("staff", i, "lead_of"), f"unknown campus {s.lead_of!r}")
    for i, rule in enumerate(spec.rotation or []):
        if campuses is not None and rule.campus.upper() not in campuses:
            r.problem(r.where("rotation", i, "campus"), f"unknown campus {rule.campus!r}")
        if staff is not None and fold(rule.technician) not in techs:
            r.problem(r.where("rotation", i, "technician"), f"unknown technician {rule.technician!r}")
    for i, ex in enumerate(spec.exceptions or []):
        if campuses is not None and ex.campus.upper() not in campuses:
            r.problem(r.where("rotation_exceptions", i, "campus"), f"unknown campus {ex.campus!r}")
        if staff is not None and ex.technician and fold(ex.technician) not in techs:
            r.problem(r.where("rotation_exceptions", i, "technician"), f"unknown technician {ex.technician!r}")


# ---------------------------------------------------------------------------------------------
# Apply
# ---------------------------------------------------------------------------------------------


def apply(ctx: Ctx, spec: DistrictSpec, today: date | None = None) -> list[Change]:
    """Bring the database to what ``spec`` says; returns the changes (none when it already does). The caller's
    unit of work commits them, or rolls them back for a dry run."""
    admin.require_admin(ctx)
    today = today or ctx.clock.now().date()
    s = ctx.session
    _check_against_database(ctx, spec)
    changes: list[Change] = []

    def add(c: Change | None) -> None:
        if c is not None:
            changes.append(c)

    district, created = admin.the_district(ctx, spec.name, spec.timezone)
    district_fields: dict[str, Any] = {"name": spec.name, "timezone": spec.timezone,
                                       "tag_pattern": spec.tag_pattern, "tag_prefix": spec.tag_prefix,
                                       "tag_check_digit": spec.tag_check_digit,
                                       **spec.settings}
    if created is not None:
        for key, value in district_fields.items():
            setattr(district, key, value)
        add(created)
    else:
        add(admin.update(ctx, district, "district", spec.name, district_fields))

    campus_by_code = {c.code.upper(): c for c in s.scalars(select(Campus))}
    if spec.campuses is not None:
        wanted = {c.code.upper() for c in spec.campuses}
        for cs in spec.campuses:
            campus = campus_by_code.get(cs.code.upper())
            if campus is None:
                campus, ch = admin.add_campus(ctx, cs.code, cs.name, cs.level)
                campus_by_code[cs.code.upper()] = campus
                add(ch)
            else:
                add(admin.update(ctx, campus, "campus", cs.code, {"code": cs.code, "name": cs.name,
                                                                  "level": cs.level, "active": True}))
            if cs.rooms is None:
                continue
            rooms = {fold(rm.name): rm for rm in s.scalars(select(Room).where(Room.campus_id == campus.id))}
            for room_name in cs.rooms:
                room = rooms.get(fold(room_name))
                if room is None:
                    add(admin.add_room(ctx, campus, room_name)[1])
                else:
                    add(admin.update(ctx, room, "room", f"{cs.code} / {room_name}",
                                     {"name": room_name, "active": True}))
            listed = {fold(n) for n in cs.rooms}
            for key, room in sorted(rooms.items()):
                if key not in listed and room.active:
                    add(admin.set_active(ctx, room, False))
        for code, campus in sorted(campus_by_code.items()):
            if code not in wanted and campus.active:
                add(admin.set_active(ctx, campus, False))

    staff_by_name = {fold(u.username): u for u in s.scalars(select(StaffUser))}
    if spec.staff is not None:
        from kiosk.domain import staff_accounts

        for st in spec.staff:
            lead = campus_by_code[st.lead_of.upper()].id if st.lead_of else None
            user = staff_by_name.get(fold(st.username))
            fields: dict[str, Any] = {"first_name": st.first_name, "last_name": st.last_name, "email": st.email,
                      "role": st.role, "badge_code": st.badge, "lead_of_campus_id": lead}
            if user is None:
                user, ch = staff_accounts.add(ctx, st.username, **fields)
                staff_by_name[fold(st.username)] = user
                add(ch)
            else:
                add(admin.update(ctx, user, "staff", user.username, {**fields, "active": True}))
        listed_staff = {fold(st.username) for st in spec.staff}
        for key, user in sorted(staff_by_name.items()):
            if key not in listed_staff and user.active:
                add(admin.update(ctx, user, "staff", user.username, {"active": False}))

    if spec.categories is not None:
        cats = {c.code: c for c in s.scalars(select(ServiceCategory))}
        for cat in spec.categories:
            add(admin.set_category(ctx, cat.key, **_category_args(cat.fields)))
        listed_cats = {c.key for c in spec.categories}
        for code, row in sorted(cats.items()):
            if code not in listed_cats and row.active:
                add(admin.set_active(ctx, row, False))

    if spec.sla is not None:
        for prio, (first, res) in sorted(spec.sla.items()):
            add(admin.set_sla(ctx, prio, first, res))
        for target in list(s.scalars(select(SlaTarget))):
            if target.priority.value not in spec.sla:
                add(admin.remove(ctx, target, "sla_target", target.priority.value))

    if spec.hours is not None:
        for day in range(7):
            add(admin.set_hours(ctx, day, spec.hours.get(day)))

    if spec.holidays is not None:
        for start, end, name in spec.holidays:
            add(admin.set_holiday(ctx, start, end, name))
        starts = {h[0] for h in spec.holidays}
        for holiday in list(s.scalars(select(Holiday).order_by(Holiday.start_date))):
            if holiday.start_date not in starts:
                add(admin.remove_holiday(ctx, holiday))

    if spec.rotation is not None:
        _apply_rotation(ctx, spec.rotation, campus_by_code, staff_by_name, today, add)
    if spec.exceptions is not None:
        _apply_exceptions(ctx, spec.exceptions, campus_by_code, staff_by_name, add)

    if spec.objectives is not None:
        for metric, comp, value, start in spec.objectives:
            add(admin.set_objective(ctx, metric, comp, value, start))
        listed_obj = {(o[0], o[3]) for o in spec.objectives}
        for objective in list(s.scalars(select(Objective).order_by(Objective.metric, Objective.valid_from))):
            if (objective.metric, objective.valid_from) not in listed_obj:
                add(admin.remove(ctx, objective, "objective", f"{objective.metric} from {objective.valid_from}"))
    desk_file.apply_sections(ctx, spec, add)
    s.info.pop("kiosk.sla.calendar", None)  # the SLA calendar cached in this session may have changed
    return changes


def _category_args(fields: dict[str, Any]) -> dict[str, Any]:
    return {"name": fields["name"], "default_priority": fields["default_priority"].value, "icon": fields["icon"],
            "covered": fields["covered"], "scope": fields["scope"].value, "sort_order": fields["sort_order"],
            "name_es": fields.get("name_es") or ""}


def _check_against_database(ctx: Ctx, spec: DistrictSpec) -> None:
    """Problems only the database can show: names the file refers to but leaves to the database, and unique
    values another (retired) row already holds."""
    s = ctx.session
    problems: list[str] = []
    codes = {c.code.upper(): c for c in s.scalars(select(Campus))}
    users = {fold(u.username): u for u in s.scalars(select(StaffUser))}
    file_codes = {c.code.upper() for c in spec.campuses} if spec.campuses is not None else None
    file_users = {fold(u.username) for u in spec.staff} if spec.staff is not None else None
    for rule in spec.rotation or []:
        if file_codes is None and rule.campus.upper() not in codes:
            problems.append(f"{rule.where}.campus: unknown campus {rule.campus!r}")
        if file_users is None and fold(rule.technician) not in users:
            problems.append(f"{rule.where}.technician: unknown technician {rule.technician!r}")
    for ex in spec.exceptions or []:
        if file_codes is None and ex.campus.upper() not in codes:
            problems.append(f"rotation_exceptions: unknown campus {ex.campus!r}")
        if file_users is None and ex.technician and fold(ex.technician) not in users:
            problems.append(f"rotation_exceptions: unknown technician {ex.technician!r}")
    if spec.campuses is not None:
        by_name = {fold(c.name): c for c in codes.values()}
        for cs in spec.campuses:
            other = by_name.get(fold(cs.name))
            if other is not None and other.code.upper() != cs.code.upper() and other.code.upper() in (file_codes or set()):
                continue  # renamed in the same file: checked by the file's own duplicate check
            if other is not None and other.code.upper() != cs.code.upper():
                problems.append(f"campuses: {cs.code}: the name {cs.name!r} is campus {other.code}'s "
                                "(give that campus another name, or use its code)")
    if spec.staff is not None:
        badges = {u.badge_code: u for u in users.values() if u.badge_code}
        for st in spec.staff:
            holder = badges.get(st.badge) if st.badge else None
            if holder is not None and fold(holder.username) != fold(st.username) and (
                    fold(holder.username) not in (file_users or set())):
                problems.append(f"staff: {st.username}: badge {st.badge!r} belongs to {holder.username}")
    if problems:
        raise DistrictFileError(problems)


def _apply_rotation(ctx: Ctx, rules: list[RotationSpec], campuses: dict[str, Campus],
                    staff: dict[str, StaffUser], today: date, add: Callable[[Change | None], None]) -> None:
    s = ctx.session
    existing = list(s.scalars(select(RotationVisit).order_by(RotationVisit.created_at, RotationVisit.id)))
    users = {u.id: u for u in staff.values()}
    codes = {c.id: c for c in campuses.values()}
    matched: set[Any] = set()
    for rule in rules:
        tech, campus = staff[fold(rule.technician)], campuses[rule.campus.upper()]
        days = ",".join(str(d) for d in rule.weekdays)
        name = admin.rotation_name(tech.username, campus.code, list(rule.weekdays), rule.start)
        row = next((v for v in existing if v.id not in matched and v.technician_id == tech.id
                    and v.campus_id == campus.id and _days(v.weekdays) == days
                    and (v.valid_from or v.anchor_date) == rule.start), None)
        if row is None:
            add(admin.add_rotation(ctx, tech, campus, list(rule.weekdays), rule.every_weeks, rule.start,
                                   rule.window, rule.end)[1])
            continue
        matched.add(row.id)
        fields: dict[str, Any] = {"cycle_weeks": rule.every_weeks, "start_time": rule.window[0],
                                  "end_time": rule.window[1], "valid_to": rule.end}
        weeks = (admin.monday_of(rule.start) - row.anchor_date).days // 7
        if weeks % rule.every_weeks:
            fields["anchor_date"] = admin.monday_of(rule.start)
        add(admin.update(ctx, row, "rotation", name, fields))
    for v in existing:
        if v.id in matched or (v.valid_to is not None and v.valid_to < today):
            continue
        tech_name = users[v.technician_id].username if v.technician_id in users else "?"
        code = codes[v.campus_id].code if v.campus_id in codes else "?"
        name = admin.rotation_name(tech_name, code, [int(x) for x in _days(v.weekdays).split(",") if x],
                                   v.valid_from or v.anchor_date)
        add(admin.end_rotation(ctx, v, today - timedelta(days=1), name))


def _days(text: str) -> str:
    return ",".join(str(d) for d in sorted({int(x) for x in text.split(",") if x.strip()}))


def _exception_tech(ctx: Ctx, row: RotationException) -> Any:
    if row.technician_id is not None or row.visit_id is None:
        return row.technician_id
    visit = ctx.session.get(RotationVisit, row.visit_id)
    return visit.technician_id if visit else None


def _apply_exceptions(ctx: Ctx, items: list[ExceptionSpec], campuses: dict[str, Campus],
                      staff: dict[str, StaffUser], add: Callable[[Change | None], None]) -> None:
    s = ctx.session
    rows = list(s.scalars(select(RotationException).order_by(RotationException.on_date, RotationException.id)))
    keyed = {(_exception_tech(ctx, r), r.campus_id, r.on_date, r.kind): r for r in rows}
    listed = set()
    for ex in items:
        tech = staff[fold(ex.technician)] if ex.technician else None
        campus = campuses[ex.campus.upper()]
        key = (tech.id if tech else None, campus.id, ex.on, ex.kind)
        listed.add(key)
        name = f"{tech.username if tech else 'all'}@{campus.code} {ex.on} {ex.kind.value}"
        values = {"start_time": ex.window[0] if ex.window else None,
                  "end_time": ex.window[1] if ex.window else None, "note": ex.note}
        row = keyed.get(key)
        if row is None:
            add(admin.create(ctx, RotationException(campus_id=campus.id, technician_id=key[0], on_date=ex.on,
                                                    kind=ex.kind, **values), "rotation_exception", name))
        else:
            add(admin.update(ctx, row, "rotation_exception", name, values))
    users = {u.id: u.username for u in staff.values()}
    codes = {c.id: c.code for c in campuses.values()}
    for key, row in keyed.items():
        if key not in listed:
            who = users.get(key[0], "?") if key[0] else "all"
            add(admin.remove(ctx, row, "rotation_exception",
                             f"{who}@{codes.get(row.campus_id, '?')} {row.on_date} {row.kind.value}"))


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def _toml(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:g}" if v == int(v) and abs(v) < 1e15 else repr(v)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def _table(lines: list[str], header: str, values: dict[str, Any]) -> None:
    lines.append("")
    lines.append(header)
    for k, v in values.items():
        if v is not None:
            lines.append(f"{k} = {_toml(v)}")


def export(ctx: Ctx, today: date | None = None) -> str:
    """The district as a district file (active campuses, rooms, staff and categories; rotation in force)."""
    s = ctx.session
    today = today or ctx.clock.now().date()
    district = s.scalars(select(District).order_by(District.created_at, District.id).limit(1)).first()
    if district is None:
        raise InvalidInput("this database has no district to export")
    out = ["# District file written by `kiosk district export`; apply with `kiosk district apply`."]
    _table(out, "[district]", {"name": district.name, "timezone": district.timezone,
                               "tag_pattern": district.tag_pattern, "tag_prefix": district.tag_prefix,
                               "tag_check_digit": district.tag_check_digit})
    settings = {k: getattr(district, k) for k in SECTIONS["settings"]}
    if any(v is not None for v in settings.values()):
        _table(out, "[settings]", settings)
    hours = {r.weekday: r for r in s.scalars(select(WorkingHours))}
    _table(out, "[hours]", {admin.WEEKDAYS[d]: admin.format_window(h.opens, h.closes)
                            for d, h in sorted(hours.items())})
    for h in s.scalars(select(Holiday).order_by(Holiday.start_date)):
        _table(out, "[[holidays]]", {"date": h.start_date.isoformat(),
                                     "end": h.end_date.isoformat() if h.end_date != h.start_date else None,
                                     "name": h.name})
    campuses = list(s.scalars(select(Campus).order_by(Campus.code)))
    code_of = {c.id: c.code for c in campuses}
    for c in campuses:
        if not c.active:
            continue
        rooms = [r.name for r in s.scalars(select(Room).where(Room.campus_id == c.id, Room.active)
                                           .order_by(Room.name))]
        _table(out, "[[campuses]]", {"code": c.code, "name": c.name, "level": c.level, "rooms": rooms})
    users = list(s.scalars(select(StaffUser).order_by(StaffUser.username)))
    name_of = {u.id: u.username for u in users}
    for u in users:
        if u.active:
            _table(out, "[[staff]]", {"username": u.username, "first_name": u.first_name,
                                      "last_name": u.last_name, "email": u.email, "role": u.role.value,
                                      "badge": u.badge_code,
                                      "lead_of": code_of.get(u.lead_of_campus_id) if u.lead_of_campus_id else None})
    for cat in s.scalars(select(ServiceCategory).where(ServiceCategory.active)
                         .order_by(ServiceCategory.sort_order, ServiceCategory.code)):
        _table(out, "[[categories]]", {"key": cat.code, "name": cat.name, "name_es": cat.name_es,
                                       "default_priority": cat.default_priority.value, "icon": cat.icon,
                                       "covered": cat.covered, "scope": cat.scope.value,
                                       "sort_order": cat.sort_order})
    for t in s.scalars(select(SlaTarget).order_by(SlaTarget.priority)):
        _table(out, f"[sla.{t.priority.value}]", {"first_response": admin.format_duration(t.first_response_minutes),
                                                  "resolution": admin.format_duration(t.resolution_minutes)})
    for v in s.scalars(select(RotationVisit).order_by(RotationVisit.campus_id, RotationVisit.start_time,
                                                      RotationVisit.id)):
        if v.valid_to is not None and v.valid_to < today:
            continue
        start = v.valid_from or v.anchor_date
        _table(out, "[[rotation]]", {
            "technician": name_of.get(v.technician_id), "campus": code_of.get(v.campus_id),
            "weekdays": [admin.WEEKDAYS[int(d)] for d in _days(v.weekdays).split(",") if d],
            "every_weeks": v.cycle_weeks, "from": start.isoformat(),
            "to": v.valid_to.isoformat() if v.valid_to else None,
            "window": admin.format_window(v.start_time, v.end_time)})
    for e in s.scalars(select(RotationException).order_by(RotationException.on_date, RotationException.id)):
        tech = _exception_tech(ctx, e)
        _table(out, "[[rotation_exceptions]]", {
            "technician": name_of.get(tech) if tech else None, "campus": code_of.get(e.campus_id),
            "date": e.on_date.isoformat(), "kind": e.kind.value,
            "window": admin.format_window(e.start_time, e.end_time) if e.start_time and e.end_time else None,
            "note": e.note})
    for o in s.scalars(select(Objective).order_by(Objective.metric, Objective.valid_from)):
        _table(out, "[[objectives]]", {"metric": o.metric, "comparator": o.comparator, "target": o.target,
                                       "from": o.valid_from.isoformat()})
    desk_file.export_sections(ctx, out, _table, _toml)
    return "\n".join(out) + "\n"
