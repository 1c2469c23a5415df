"""District administration services: campuses, rooms, the catalog, SLA targets, hours, holidays, rotation, objectives.

The district file (``kiosk district apply``), the admin screens and the import commands all change the district
through these functions, so every change is checked the same way, written to the audit log and, on the central
database, to the sync change log the kiosks pull. Nothing here deletes history: campuses, rooms and categories
are retired (``active = False``) and staff disabled; only calendar entries (hours, holidays, rotation
exceptions, objectives) are removed outright.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.domain import audit_log
from kiosk.domain.db import Ctx
from kiosk.domain.errors import InvalidInput, NotFound, PermissionDenied
from kiosk.domain.models import (
    Base,
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
    SyncState,
    VisitExceptionKind,
    WorkingHours,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$", re.IGNORECASE)
CAMPUS_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")


# ---------------------------------------------------------------------------------------------
# Parsing what people write (district file, screens)
# ---------------------------------------------------------------------------------------------


def parse_window(text: str) -> tuple[time, time]:
    """``"07:30-16:30"`` as (opens, closes); the end must come after the start."""
    m = _WINDOW.match(str(text))
    if not m:
        raise InvalidInput(f"{text!r} is not a time window like 07:30-16:30")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h2 == 24 and m2 == 0:
        h2, m2 = 23, 59
    if not (0 <= h1 < 24 and 0 <= m1 < 60 and 0 <= h2 < 24 and 0 <= m2 < 60):
        raise InvalidInput(f"{text!r} is not a time window like 07:30-16:30")
    start, end = time(h1, m1), time(h2, m2)
    if end <= start:
        raise InvalidInput(f"the window {text!r} ends before it starts")
    return start, end


def format_window(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"


def parse_duration(value: object) -> int:
    """Business minutes from ``"30m"``, ``"4h"``, ``"1h30m"`` or a whole number of minutes."""
    if isinstance(value, bool):
        raise InvalidInput(f"{value!r} is not a duration like 30m or 4h")
    if isinstance(value, int):
        minutes = value
    else:
        m = _DURATION.match(str(value))
        if not m or not any(m.groups()):
            raise InvalidInput(f"{value!r} is not a duration like 30m, 4h or 1h30m (business time)")
        minutes = int(m.group(1) or 0) * 60 + int(m.group(2) or 0)
    if minutes <= 0:
        raise InvalidInput(f"{value!r}: a duration must be more than zero")
    return minutes


def format_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest}m"
    return f"{hours}h" if hours else f"{rest}m"


def check_zone(name: str) -> str:
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{name!r} is not a time zone (e.g. America/Los_Angeles)") from None
    return str(name)


def check_pattern(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise InvalidInput(f"the tag pattern {pattern!r} is not a valid regular expression ({exc})") from None
    return pattern


CHECK_DIGITS = ("none", "luhn", "iso7064-mod37-36")  # kiosk.scan.tag_rule.CHECK_ALGORITHMS


def check_prefixes(value: str | list[str]) -> str:
    """Tag prefixes, as given in the district file ("RUSD" or ["RUSD", "RHS"]), stored as "RUSD,RHS"."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(p, str) for p in items):
        raise InvalidInput(f"{value!r} is not a prefix or a list of prefixes")
    prefixes = [p.strip() for item in items for p in item.split(",") if p.strip()]
    if not prefixes:
        raise InvalidInput("give at least one prefix, or leave tag_prefix out")
    for p in prefixes:
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{0,15}", p):
            raise InvalidInput(f"{p!r} is not a tag prefix (capital letters, digits and '-', at most 16)")
    joined = ",".join(dict.fromkeys(prefixes))
    if len(joined) > 64:
        raise InvalidInput("the tag prefixes are at most 64 characters in all")
    return joined


def check_check_digit(value: str) -> str:
    if not isinstance(value, str) or value.strip().lower() not in CHECK_DIGITS:
        raise InvalidInput(f"{value!r} is not a check-digit rule ({', '.join(CHECK_DIGITS)})")
    return value.strip().lower()


def weekday_numbers(names: list[str]) -> list[int]:
    out = []
    for n in names:
        key = str(n).strip().lower()[:3]
        if key not in WEEKDAYS:
            raise InvalidInput(f"{n!r} is not a weekday (mon, tue, wed, thu, fri, sat, sun)")
        out.append(WEEKDAYS.index(key))
    if not out:
        raise InvalidInput("a rotation needs at least one weekday")
    return sorted(set(out))


def fold(text: str) -> str:
    """How names are matched: trimmed, inner spaces collapsed, case folded."""
    return " ".join(str(text).split()).casefold()


# ---------------------------------------------------------------------------------------------
# Who may change the district
# ---------------------------------------------------------------------------------------------


ON_SERVICE = ("this kiosk is enrolled, so its copy of the district's setup is the district service's: change the "
              "setup there (kiosk --url postgresql+psycopg://... on a desk PC, or kiosk district apply) and this "
              "kiosk receives it at its next sync")


def enrolled_kiosk(session: Session) -> bool:
    """Whether this database is an enrolled kiosk's copy (``kiosk enroll`` made it a sync node)."""
    return session.scalar(select(SyncState.value).where(SyncState.key == "node_id")) is not None


def require_admin(ctx: Ctx) -> None:
    """District changes are for admins; the command line (no signed-in staff) runs with the database's rights.

    Never on an enrolled kiosk's copy: the service refuses district changes a kiosk pushes, so one made here would
    be lost at the next sync; the change is refused at once instead, with where to make it."""
    if enrolled_kiosk(ctx.session):
        raise PermissionDenied(ON_SERVICE)
    if ctx.actor.staff_id is None:
        return
    user = ctx.session.get(StaffUser, ctx.actor.staff_id)
    if user is None or not user.active or user.role is not StaffRole.ADMIN:
        raise PermissionDenied("only a district admin can change the district's setup")


# ---------------------------------------------------------------------------------------------
# The generic change: set fields, stamp, audit
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change made (or, in a dry run, that would be made): created, changed, retired, enabled or removed."""

    verb: str
    entity: str
    name: str
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        extra = f": {', '.join(self.fields)}" if self.fields else ""
        return f"{self.verb} {self.entity} {self.name}{extra}"


def _value(v: Any) -> Any:
    if isinstance(v, uuid.UUID | date | time):
        return str(v)
    if hasattr(v, "value"):
        return v.value
    return v


def create(ctx: Ctx, obj: Base, entity: str, name: str) -> Change:
    require_admin(ctx)
    now = ctx.clock.now()
    obj.created_at = obj.updated_at = now  # type: ignore[attr-defined]
    ctx.session.add(obj)
    ctx.session.flush()
    audit_log.record(ctx, f"district.{entity}_created", entity, obj.id, name=name)  # type: ignore[attr-defined]
    return Change("created", entity, name)


def update(ctx: Ctx, obj: Base, entity: str, name: str, fields: dict[str, Any],
           secret_fields: frozenset[str] = frozenset()) -> Change | None:
    """Set the fields that differ; None when nothing did. Secret fields are named in the audit log, not shown."""
    changed = {k: v for k, v in fields.items() if getattr(obj, k) != v}
    if not changed:
        return None
    require_admin(ctx)
    before = {k: getattr(obj, k) for k in changed}
    for k, v in changed.items():
        setattr(obj, k, v)
    obj.updated_at = ctx.clock.now()  # type: ignore[attr-defined]
    verb = "changed"
    if set(changed) == {"active"}:
        verb = {"staff": ("enabled", "disabled"), "category": ("shown", "hidden")}.get(
            entity, ("enabled", "retired"))[0 if changed["active"] else 1]
    audit_log.record(ctx, f"district.{entity}_{verb}", entity, obj.id, name=name,  # type: ignore[attr-defined]
                     changes={k: ("(secret)" if k in secret_fields else [_value(before[k]), _value(v)])
                              for k, v in changed.items()})
    return Change(verb, entity, name, tuple(sorted(changed)) if verb == "changed" else ())


def remove(ctx: Ctx, obj: Base, entity: str, name: str) -> Change:
    require_admin(ctx)
    audit_log.record(ctx, f"district.{entity}_removed", entity, obj.id, name=name)  # type: ignore[attr-defined]
    ctx.session.delete(obj)
    ctx.session.flush()
    return Change("removed", entity, name)


# ---------------------------------------------------------------------------------------------
# District, campuses, rooms
# ---------------------------------------------------------------------------------------------


def the_district(ctx: Ctx, name: str | None = None, timezone: str | None = None) -> tuple[District, Change | None]:
    """The district row, created on first use."""
    d = ctx.session.scalars(select(District).order_by(District.created_at, District.id).limit(1)).first()
    if d is not None:
        return d, None
    if not name or not timezone:
        raise NotFound("this database has no district yet: apply a district file first (kiosk district apply)")
    d = District(name=name, timezone=check_zone(timezone))
    return d, create(ctx, d, "district", name)


def add_campus(ctx: Ctx, code: str, name: str, level: str | None = None) -> tuple[Campus, Change]:
    code = str(code).strip()
    if not CAMPUS_CODE.match(code):
        raise InvalidInput(f"{code!r} is not a campus code (1-16 letters, digits, '-' or '_')")
    name = " ".join(str(name).split())
    if not name:
        raise InvalidInput(f"campus {code} needs a name")
    if ctx.session.scalars(select(Campus).where(func.upper(Campus.code) == code.upper())).first() is not None:
        raise InvalidInput(f"there is already a campus with code {code}")
    for c in ctx.session.scalars(select(Campus)):
        if fold(c.name) == fold(name):
            raise InvalidInput(f"there is already a campus named {c.name!r} (code {c.code})")
    district, _ = the_district(ctx)
    campus = Campus(district_id=district.id, code=code, name=name, level=level, active=True)
    return campus, create(ctx, campus, "campus", code)


def add_room(ctx: Ctx, campus: Campus, name: str, kind: str | None = None) -> tuple[Room, Change]:
    name = " ".join(str(name).split())
    if not name or len(name) > 64:
        raise InvalidInput(f"{name!r} is not a room name (1-64 characters)")
    for r in ctx.session.scalars(select(Room).where(Room.campus_id == campus.id)):
        if fold(r.name) == fold(name):
            raise InvalidInput(f"{campus.code} already has a room {r.name!r}")
    room = Room(campus_id=campus.id, name=name, kind=kind, active=True)
    return room, create(ctx, room, "room", f"{campus.code} / {name}")


def set_active(ctx: Ctx, obj: Campus | Room | ServiceCategory, active: bool) -> Change | None:
    """Retire (or bring back) a campus, a room or a category; nothing is deleted, history stays whole."""
    if isinstance(obj, Campus):
        return update(ctx, obj, "campus", obj.code, {"active": active})
    if isinstance(obj, Room):
        campus = ctx.session.get(Campus, obj.campus_id)
        return update(ctx, obj, "room", f"{campus.code if campus else '?'} / {obj.name}", {"active": active})
    return update(ctx, obj, "category", obj.code, {"active": active})


# ---------------------------------------------------------------------------------------------
# Catalog, SLA, hours, holidays
# ---------------------------------------------------------------------------------------------


def category_fields(name: str, default_priority: str, icon: str, covered: bool, scope: str,
                    sort_order: int, name_es: str | None = None) -> dict[str, Any]:
    try:
        prio = Priority(str(default_priority).upper())
    except ValueError:
        raise InvalidInput(f"{default_priority!r} is not a priority (P1, P2, P3, P4)") from None
    try:
        sc = CategoryScope(str(scope).lower())
    except ValueError:
        raise InvalidInput(f"{scope!r} is not a category scope (device, room, any)") from None
    if not str(name).strip():
        raise InvalidInput("a category needs a name")
    values = {"name": str(name).strip(), "default_priority": prio, "icon": str(icon or "other"),
              "covered": bool(covered), "scope": sc, "sort_order": int(sort_order), "active": True}
    if name_es is not None:  # given (the district file: "" clears it); left out, an existing one is kept
        values["name_es"] = str(name_es).strip() or None
    return values


def set_category(ctx: Ctx, code: str, **fields: Any) -> Change | None:
    values = category_fields(**fields)
    cat = ctx.session.scalars(select(ServiceCategory).where(ServiceCategory.code == code)).one_or_none()
    if cat is None:
        return create(ctx, ServiceCategory(code=code, **values), "category", code)
    return update(ctx, cat, "category", code, values)


def set_sla(ctx: Ctx, priority: str, first_response_minutes: int, resolution_minutes: int) -> Change | None:
    prio = Priority(priority)
    if first_response_minutes <= 0 or resolution_minutes <= 0:
        raise InvalidInput("SLA targets must be more than zero")
    if resolution_minutes < first_response_minutes:
        raise InvalidInput(f"{priority}: the resolution target is shorter than the first-response target")
    row = ctx.session.scalars(select(SlaTarget).where(SlaTarget.priority == prio)).one_or_none()
    values = {"first_response_minutes": first_response_minutes, "resolution_minutes": resolution_minutes}
    if row is None:
        return create(ctx, SlaTarget(priority=prio, **values), "sla_target", prio.value)
    return update(ctx, row, "sla_target", prio.value, values)


def set_hours(ctx: Ctx, weekday: int, window: tuple[time, time] | None) -> Change | None:
    """Working hours for one weekday (0 = Monday); None closes the day."""
    row = ctx.session.scalars(select(WorkingHours).where(WorkingHours.weekday == weekday)).one_or_none()
    name = WEEKDAYS[weekday]
    if window is None:
        return remove(ctx, row, "hours", name) if row is not None else None
    opens, closes = window
    if row is None:
        return create(ctx, WorkingHours(weekday=weekday, opens=opens, closes=closes), "hours", name)
    return update(ctx, row, "hours", name, {"opens": opens, "closes": closes})


def set_holiday(ctx: Ctx, start: date, end: date, name: str) -> Change | None:
    """A closed day or range, identified by its first day."""
    if end < start:
        raise InvalidInput(f"the holiday {name!r} ends ({end}) before it starts ({start})")
    name = str(name).strip() or "Holiday"
    row = ctx.session.scalars(select(Holiday).where(Holiday.start_date == start)).first()
    if row is None:
        return create(ctx, Holiday(name=name, start_date=start, end_date=end), "holiday", f"{start} {name}")
    return update(ctx, row, "holiday", f"{start} {name}", {"name": name, "end_date": end})


def remove_holiday(ctx: Ctx, holiday: Holiday) -> Change:
    return remove(ctx, holiday, "holiday", f"{holiday.start_date} {holiday.name}")


# ---------------------------------------------------------------------------------------------
# Rotation
# ---------------------------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def rotation_name(tech: str, campus: str, weekdays: list[int], start: date) -> str:
    return f"{tech}@{campus} {','.join(WEEKDAYS[d] for d in weekdays)} from {start}"


def add_rotation(ctx: Ctx, technician: StaffUser, campus: Campus, weekdays: list[int], every_weeks: int,
                 start: date, window: tuple[time, time], end: date | None = None) -> tuple[RotationVisit, Change]:
    if every_weeks < 1:
        raise InvalidInput("every_weeks must be 1 or more")
    if end is not None and end < start:
        raise InvalidInput(f"the rotation ends ({end}) before it starts ({start})")
    visit = RotationVisit(technician_id=technician.id, campus_id=campus.id,
                          weekdays=",".join(str(d) for d in sorted(set(weekdays))), cycle_weeks=every_weeks,
                          anchor_date=monday_of(start), start_time=window[0], end_time=window[1], valid_from=start,
                          valid_to=end)
    return visit, create(ctx, visit, "rotation",
                         rotation_name(technician.username, campus.code, sorted(set(weekdays)), start))


def end_rotation(ctx: Ctx, visit: RotationVisit, last_day: date, name: str) -> Change | None:
    """Stop a recurring visit after ``last_day`` (the past schedule stays as it was); one never in force and
    never referred to is removed."""
    start = visit.valid_from or visit.anchor_date
    referred = ctx.session.scalar(select(func.count()).select_from(RotationException)
                                  .where(RotationException.visit_id == visit.id))
    if last_day < start and not referred:
        return remove(ctx, visit, "rotation", name)
    change = update(ctx, visit, "rotation", name, {"valid_to": max(last_day, start - timedelta(days=1))})
    return None if change is None else Change("retired", "rotation", name)


def set_exception(ctx: Ctx, campus: Campus, technician: StaffUser | None, on: date, kind: VisitExceptionKind,
                  window: tuple[time, time] | None = None, note: str | None = None) -> Change | None:
    """Cancel a visit (or the whole campus's day, with no technician), add an extra one, or mark a holiday."""
    if kind is VisitExceptionKind.EXTRA and window is None:
        raise InvalidInput(f"an extra visit on {on} needs a window (e.g. 08:00-11:30)")
    if kind is VisitExceptionKind.EXTRA and technician is None:
        raise InvalidInput(f"an extra visit on {on} needs a technician")
    tech_id = technician.id if technician else None
    row = ctx.session.scalars(select(RotationException).where(
        RotationException.campus_id == campus.id, RotationException.on_date == on,
        RotationException.kind == kind,
        RotationException.technician_id.is_(None) if tech_id is None
        else RotationException.technician_id == tech_id)).first()
    name = f"{technician.username if technician else 'all'}@{campus.code} {on} {kind.value}"
    values = {"start_time": window[0] if window else None, "end_time": window[1] if window else None,
              "note": note}
    if row is None:
        return create(ctx, RotationException(campus_id=campus.id, technician_id=tech_id, on_date=on, kind=kind,
                                             **values), "rotation_exception", name)
    return update(ctx, row, "rotation_exception", name, values)


# ---------------------------------------------------------------------------------------------
# Objectives
# ---------------------------------------------------------------------------------------------


def set_objective(ctx: Ctx, metric: str, comparator: str, target: float, valid_from: date) -> Change | None:
    from kiosk.domain.district import COMPARATORS, METRICS

    if metric not in METRICS:
        raise InvalidInput(f"{metric!r} is not a metric ({', '.join(METRICS)})")
    if comparator not in COMPARATORS:
        raise InvalidInput(f"{comparator!r} is not a comparator (>= or <=)")
    row = ctx.session.scalars(select(Objective).where(Objective.metric == metric,
                                                      Objective.valid_from == valid_from)).one_or_none()
    name = f"{metric} from {valid_from}"
    if row is None:
        return create(ctx, Objective(metric=metric, comparator=comparator, target=float(target),
                                     valid_from=valid_from), "objective", name)
    return update(ctx, row, "objective", name, {"comparator": comparator, "target": float(target)})
