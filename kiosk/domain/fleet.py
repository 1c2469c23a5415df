"""Fleet watch lists: troublesome devices, models whose repair rate stands out, unknown tags to register.

Model outliers, the statistic. Over a window of ``days`` ending at ``now``, the population is every device
that is not retired. For one model (manufacturer + model, of one device kind) with ``devices`` devices:

* overall: ``rate = repairs / devices``, where ``repairs`` counts RepairLog rows on those devices performed in
  the window; ``fleet_rate`` is the same ratio over the whole comparison fleet;
* per ticket category C: ``rate = tickets / devices``, where ``tickets`` counts tickets of category C opened
  on those devices in the window (every ticket has a category, repairs do not, and a reported problem counts
  before anyone repairs it); ``fleet_rate`` is the same ratio over the comparison fleet.

The comparison fleet is, by default, the devices of the same kind (Chromebooks against Chromebooks,
projectors against projectors), so that a lamp problem on one projector model is not hidden by thousands
of Chromebooks and every projector model is not flagged for "projector" tickets that Chromebooks never
get; ``within_kind=False`` compares against the whole fleet. The fleet rate includes the model itself.

A model is flagged when ``rate >= factor * fleet_rate`` (``ratio = rate / fleet_rate``), it has at least
``min_devices`` devices, and at least ``min_repairs`` repairs (or tickets) in the window, so one repair on
a small model is not an outlier. The decision is made on exact fractions; the floats are for display.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Literal

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from kiosk.domain import audit_log
from kiosk.domain.db import Ctx
from kiosk.domain.errors import InvalidInput, NotFound
from kiosk.domain.models import (
    Campus,
    Device,
    DeviceStatus,
    RepairLog,
    Room,
    ServiceCategory,
    Ticket,
    UnknownTagScan,
)
from kiosk.domain.validation import normalize_tag

# ---------------------------------------------------------------------------------------------
# Troublesome devices
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TroublesomeDevice:
    device_id: uuid.UUID
    tag: str
    model: str | None  # manufacturer and model, e.g. "Dell Chromebook 3100"
    category: str  # device kind
    status: str
    campus: str | None  # campus code
    room: str | None
    repairs: int  # repairs in the window
    minutes: int  # minutes spent on them
    last_repair: datetime


def _model(manufacturer: str | None, model: str | None) -> str | None:
    return " ".join(x for x in (manufacturer, model) if x) or None


def _window(repairs: int, days: int) -> None:
    if repairs < 1:
        raise InvalidInput("the repair count must be at least 1")
    if days < 1:
        raise InvalidInput("the window must be at least 1 day")


def troublesome_devices(session: Session, *, repairs: int = 3, days: int = 90, now: datetime,
                        campus_id: uuid.UUID | None = None, include_retired: bool = False
                        ) -> list[TroublesomeDevice]:
    """Devices with at least ``repairs`` repairs performed in the ``days`` days up to ``now`` (start included).

    Most repairs first. Retired devices are left out unless ``include_retired``.
    """
    _window(repairs, days)
    start = now - timedelta(days=days)
    agg = (
        select(RepairLog.device_id.label("device_id"), func.count().label("n"),
               func.sum(RepairLog.minutes).label("minutes"), func.max(RepairLog.performed_at).label("last"))
        .where(RepairLog.device_id.is_not(None), RepairLog.performed_at >= start, RepairLog.performed_at <= now)
        .group_by(RepairLog.device_id)
        .having(func.count() >= repairs)
        .subquery()
    )
    query = (
        select(Device.id, Device.asset_tag, Device.manufacturer, Device.model, Device.category, Device.status,
               Campus.code, Room.name, agg.c.n, agg.c.minutes, agg.c.last)
        .join(agg, agg.c.device_id == Device.id)
        .outerjoin(Campus, Campus.id == Device.campus_id)
        .outerjoin(Room, Room.id == Device.room_id)
        .order_by(agg.c.n.desc(), agg.c.minutes.desc(), Device.asset_tag)
    )
    if campus_id is not None:
        query = query.where(Device.campus_id == campus_id)
    if not include_retired:
        query = query.where(Device.status != DeviceStatus.RETIRED)
    return [TroublesomeDevice(did, tag, _model(make, model), kind.value, status.value, code, room, int(n),
                              int(minutes or 0), last)
            for did, tag, make, model, kind, status, code, room, n, minutes, last in session.execute(query)]


def is_troublesome(session: Session, device_id: uuid.UUID, *, repairs: int, days: int, now: datetime) -> bool:
    """Whether one device has at least ``repairs`` repairs in the ``days`` days up to ``now``."""
    _window(repairs, days)
    count = session.scalar(
        select(func.count()).select_from(RepairLog)
        .where(RepairLog.device_id == device_id, RepairLog.performed_at >= now - timedelta(days=days),
               RepairLog.performed_at <= now)
    ) or 0
    return count >= repairs


# ---------------------------------------------------------------------------------------------
# Model outliers
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelOutlier:
    manufacturer: str | None
    model: str
    kind: str  # device kind (chromebook, projector, ...)
    category: str | None  # ticket category name; None for the overall repair rate
    category_code: str | None
    measure: Literal["repairs", "tickets"]  # what ``repairs`` counts: repairs, or tickets of the category
    devices: int
    repairs: int
    rate: float  # repairs (or tickets) per device in the window
    fleet_devices: int
    fleet_repairs: int
    fleet_rate: float
    ratio: float  # rate / fleet_rate

    @property
    def name(self) -> str:
        return _model(self.manufacturer, self.model) or self.model


_Key = tuple[str | None, str | None, str]  # manufacturer, model, device kind


def model_outliers(session: Session, *, now: datetime, days: int = 365, min_devices: int = 20,
                   factor: float = 2.0, min_repairs: int = 3, within_kind: bool = True) -> list[ModelOutlier]:
    """Models whose repair rate, or ticket rate in one category, is ``factor`` times the fleet's or more.

    See the module docstring for the statistic. Highest ratio first.
    """
    if days < 1 or min_devices < 1 or factor <= 0 or min_repairs < 0:
        raise InvalidInput("days and min_devices must be at least 1, factor above 0, min_repairs not negative")
    start = now - timedelta(days=days)
    population = Device.status != DeviceStatus.RETIRED
    group = (Device.manufacturer, Device.model, Device.category)

    devices: dict[_Key, int] = {}
    for make, model, kind, n in session.execute(select(*group, func.count()).where(population).group_by(*group)):
        devices[(make, model, kind.value)] = int(n)
    repairs: dict[_Key, int] = {}
    for make, model, kind, n in session.execute(
        select(*group, func.count(RepairLog.id)).join(RepairLog, RepairLog.device_id == Device.id)
        .where(population, RepairLog.performed_at >= start, RepairLog.performed_at <= now).group_by(*group)
    ):
        repairs[(make, model, kind.value)] = int(n)
    tickets: dict[tuple[_Key, uuid.UUID], int] = {}
    for make, model, kind, cat, n in session.execute(
        select(*group, Ticket.category_id, func.count(Ticket.id)).join(Ticket, Ticket.device_id == Device.id)
        .where(population, Ticket.opened_at >= start, Ticket.opened_at <= now)
        .group_by(*group, Ticket.category_id)
    ):
        tickets[((make, model, kind.value), cat)] = int(n)
    categories = {cid: (code, name) for cid, code, name in session.execute(
        select(ServiceCategory.id, ServiceCategory.code, ServiceCategory.name))}

    def fleet_of(key: _Key) -> str:
        return key[2] if within_kind else ""

    fleet_devices: dict[str, int] = {}
    for key, n in devices.items():
        fleet_devices[fleet_of(key)] = fleet_devices.get(fleet_of(key), 0) + n
    fleet_repairs: dict[str, int] = {}
    for key, n in repairs.items():
        fleet_repairs[fleet_of(key)] = fleet_repairs.get(fleet_of(key), 0) + n
    fleet_tickets: dict[tuple[str, uuid.UUID], int] = {}
    for (key, cat), n in tickets.items():
        fk = (fleet_of(key), cat)
        fleet_tickets[fk] = fleet_tickets.get(fk, 0) + n

    out: list[ModelOutlier] = []

    def consider(key: _Key, count: int, fleet_count: int, cat: uuid.UUID | None) -> None:
        make, model, kind = key
        n, fleet_n = devices.get(key, 0), fleet_devices.get(fleet_of(key), 0)
        if model is None or n < min_devices or count < min_repairs or count == 0 or fleet_count == 0:
            return
        rate, fleet_rate = Fraction(count, n), Fraction(fleet_count, fleet_n)
        if rate < Fraction(factor) * fleet_rate:
            return
        code, name = categories.get(cat, (None, None)) if cat else (None, None)
        out.append(ModelOutlier(make, model, kind, name, code, "tickets" if cat else "repairs", n, count,
                                float(rate), fleet_n, fleet_count, float(fleet_rate), float(rate / fleet_rate)))

    for key, count in repairs.items():
        consider(key, count, fleet_repairs[fleet_of(key)], None)
    for (key, cat), count in tickets.items():
        consider(key, count, fleet_tickets[(fleet_of(key), cat)], cat)
    out.sort(key=lambda m: (-m.ratio, m.name, m.category or ""))
    return out


# ---------------------------------------------------------------------------------------------
# Unknown tags to register
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnknownTagItem:
    tag: str
    times: int  # how many times it was scanned
    first_seen: datetime
    last_seen: datetime
    campus_id: uuid.UUID | None  # campus of the latest scan (or the campus asked for)
    campus: str | None  # its code


def unknown_tag_todo(session: Session, campus_id: uuid.UUID | None = None) -> list[UnknownTagItem]:
    """Unresolved unknown-tag scans, one item per tag, most recently seen first.

    A tag that has since been registered (by any route, e.g. a CSV import) is no longer a to-do.
    """
    registered = exists(select(Device.id).where(Device.asset_tag == UnknownTagScan.tag))
    where = [UnknownTagScan.resolved_device_id.is_(None), ~registered]
    if campus_id is not None:
        where.append(UnknownTagScan.campus_id == campus_id)
    groups = session.execute(
        select(UnknownTagScan.tag, func.count(), func.min(UnknownTagScan.scanned_at),
               func.max(UnknownTagScan.scanned_at))
        .where(*where).group_by(UnknownTagScan.tag)
    ).all()
    if not groups:
        return []
    latest: dict[str, tuple[uuid.UUID | None, str | None]] = {}
    for tag, cid, code in session.execute(
        select(UnknownTagScan.tag, UnknownTagScan.campus_id, Campus.code)
        .outerjoin(Campus, Campus.id == UnknownTagScan.campus_id)
        .where(*where).order_by(UnknownTagScan.scanned_at, UnknownTagScan.id)
    ):
        latest[tag] = (cid, code)
    items = [UnknownTagItem(tag, int(n), first, last, *latest.get(tag, (None, None)))
             for tag, n, first, last in groups]
    items.sort(key=lambda i: i.tag)
    items.sort(key=lambda i: i.last_seen, reverse=True)
    return items


def resolve_unknown_tag(ctx: Ctx, tag: str, device_id: uuid.UUID) -> int:
    """Mark every unresolved scan of ``tag`` as resolved by ``device_id``; returns how many were marked."""
    clean = normalize_tag(tag)
    s = ctx.session
    device = s.get(Device, device_id)
    if device is None:
        raise NotFound("no such device")
    now = ctx.clock.now()
    scans = s.scalars(
        select(UnknownTagScan).where(UnknownTagScan.tag == clean, UnknownTagScan.resolved_device_id.is_(None))
    ).all()
    for scan in scans:
        scan.resolved_device_id = device.id
        scan.updated_at = now
    if scans:
        audit_log.record(ctx, "unknown_tag.resolve", "device", device.id, tag=clean,
                         registered_as=device.asset_tag, scans=len(scans))
    return len(scans)
