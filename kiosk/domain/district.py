"""District facts read through one function each: the time zone, objectives, idle times, troublesome thresholds,
the asset-tag rule.

Nothing else in the product hard-codes these: the district file (``kiosk district apply``) writes them, and every
screen, report and command reads them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.models import District

# Used only while a database has no district yet (a fresh install before `kiosk district apply`).
FALLBACK_ZONE = "UTC"


def district_row(session: Session) -> District | None:
    """The district (a database holds one; the oldest row if a restore left two)."""
    return session.scalars(select(District).order_by(District.created_at, District.id).limit(1)).first()


def zone_named(name: str | None) -> ZoneInfo:
    """The zone called ``name``; the fallback for no name or a name this machine's zone database lacks."""
    try:
        return ZoneInfo(name or FALLBACK_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK_ZONE)


def local_zone(session: Session) -> ZoneInfo:
    """The district's time zone: every local time in the product (days, weeks, business hours) is in it."""
    name = session.scalars(select(District.timezone).order_by(District.created_at, District.id).limit(1)).first()
    return zone_named(name)


def format_local(value: datetime | None, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as local wall-clock time followed by its zone abbreviation (``2026-12-01 09:30 CST``)."""
    if value is None:
        return "-"
    local = value.astimezone(zone)
    return f"{local.strftime(fmt)} {local.tzname() or zone.key}"


# ---------------------------------------------------------------------------------------------
# Objectives
# ---------------------------------------------------------------------------------------------

METRICS: dict[str, str] = {
    "satisfaction_pct": "Satisfaction (overall 4-5)",
    "p1_median_resolution_hours": "P1 median resolution",
    "first_response_met_pct": "First-response SLA met",
}
COMPARATORS = (">=", "<=")


@dataclass(frozen=True)
class ObjectiveTarget:
    """One objective in force: a metric, a comparator, a target and the day it took effect."""

    metric: str
    comparator: str
    target: float
    valid_from: date

    @property
    def label(self) -> str:
        unit = "%" if self.metric.endswith("_pct") else " business hours" if self.metric.endswith("_hours") else ""
        return f"{METRICS.get(self.metric, self.metric)} {self.comparator} {self.target:g}{unit}"


# The product's starting objectives, in force until a district sets any of its own (district file [[objectives]]).
DEFAULT_OBJECTIVES = (
    ObjectiveTarget("satisfaction_pct", ">=", 94.0, date.min),
    ObjectiveTarget("p1_median_resolution_hours", "<=", 4.0, date.min),
    ObjectiveTarget("first_response_met_pct", ">=", 90.0, date.min),
)


def objectives(session: Session, on: date | None = None) -> tuple[ObjectiveTarget, ...]:
    """The objectives in force on ``on`` (default: every metric's latest): per metric, the row with the latest
    ``valid_from`` not after ``on``. Objectives change by school year (94 % one year, 97 % the next). A district
    that has set none has the product's defaults."""
    from kiosk.domain.models import Objective

    rows = list(session.scalars(select(Objective).order_by(Objective.metric, Objective.valid_from)))
    if not rows:
        return DEFAULT_OBJECTIVES
    current: dict[str, ObjectiveTarget] = {}
    for r in rows:
        if on is not None and r.valid_from > on:
            continue
        current[r.metric] = ObjectiveTarget(r.metric, r.comparator, float(r.target), r.valid_from)
    order = {m: i for i, m in enumerate(METRICS)}
    return tuple(sorted(current.values(), key=lambda o: (order.get(o.metric, len(order)), o.metric)))


# ---------------------------------------------------------------------------------------------
# Idle times and troublesome-device thresholds
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdleTimes:
    walkup_seconds: int = 60  # a walk-up screen left alone goes back to Home
    technician_seconds: int = 300  # a signed-in technician who walks away is signed out


@dataclass(frozen=True)
class TroublesomeThresholds:
    repairs: int = 3  # this many repairs ...
    days: int = 90  # ... within this many days flags a device


def idle_times(session: Session, kiosk_walkup_seconds: int | None = None) -> IdleTimes:
    """The district's idle times (district file ``[settings]``); where the district sets no walk-up idle time,
    the kiosk's own (``kiosk.json``'s idle_seconds), else 60 seconds."""
    d = district_row(session)
    default = IdleTimes()
    walkup = ((d.walkup_idle_seconds if d else None) or kiosk_walkup_seconds or default.walkup_seconds)
    tech = (d.technician_idle_seconds if d else None) or default.technician_seconds
    return IdleTimes(int(walkup), int(tech))


def troublesome_thresholds(session: Session) -> TroublesomeThresholds:
    """How many repairs in how many days make a device troublesome (district settings, else 3 in 90)."""
    d = district_row(session)
    default = TroublesomeThresholds()
    return TroublesomeThresholds(int((d.troublesome_repairs if d else None) or default.repairs),
                                 int((d.troublesome_days if d else None) or default.days))


# ---------------------------------------------------------------------------------------------
# The asset-tag rule
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagRuleFacts:
    """What counts as one of this district's asset tags (district file ``tag_pattern``, ``tag_prefix``,
    ``tag_check_digit``); the scanner's ``kiosk.scan.tag_rule.district_rule`` turns it into its rule."""

    pattern: str | None = None  # a regular expression the whole tag must match; None: the product's default
    prefixes: tuple[str, ...] = ()  # a tag must start with one of these (none: any)
    check_digit: str = "none"  # none | luhn | iso7064-mod37-36

    @property
    def default(self) -> bool:
        return self == TagRuleFacts()


def split_prefixes(text: str | None) -> tuple[str, ...]:
    """'RUSD, RHS' -> ('RUSD', 'RHS')."""
    return tuple(p.strip() for p in (text or "").split(",") if p.strip())


def tag_rule_facts(session: Session) -> TagRuleFacts:
    """The district's asset-tag rule; the product's default rule while the district sets none."""
    d = district_row(session)
    if d is None:
        return TagRuleFacts()
    return TagRuleFacts(d.tag_pattern or None, split_prefixes(d.tag_prefix), d.tag_check_digit or "none")
