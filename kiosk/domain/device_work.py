"""Device use-cases for technicians: retire a device (with its reason and its open tickets), read its record.

Each checks the actor (an active staff member) and returns plain frozen data.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from kiosk.domain import devices, fleet, tickets
from kiosk.domain.db import Ctx
from kiosk.domain.errors import Conflict, InvalidInput
from kiosk.domain.models import OPEN_STATUSES, DeviceStatus, Ticket
from kiosk.domain.ticket_work import reader, technician
from kiosk.domain.validation import clean_text


@dataclass(frozen=True)
class DeviceRecord:
    """The device record screen's data: fields, one timeline, and the troublesome flag."""

    fields: dict[str, Any]
    items: tuple[devices.HistoryItem, ...]
    troublesome: bool


def device_record(ctx: Ctx, tag: str, *, repairs: int | None = None,
                  days: int | None = None) -> DeviceRecord | None:
    """A device's record for staff (it holds internal ticket notes); None when no device has the tag.

    ``repairs`` in ``days`` flags it troublesome (default: the district's thresholds)."""
    reader(ctx)
    if devices.find_by_tag(ctx.session, tag) is None:
        return None
    return device_file(ctx, tag, repairs=repairs, days=days)


def device_file(ctx: Ctx, tag: str, *, repairs: int | None = None, days: int | None = None) -> DeviceRecord:
    """:func:`device_record` for a tag that must exist (NotFound otherwise): `kiosk devices show`."""
    from kiosk.domain.district import troublesome_thresholds

    reader(ctx)
    if repairs is None or days is None:
        limits = troublesome_thresholds(ctx.session)
        repairs, days = repairs or limits.repairs, days or limits.days
    hist = devices.history(ctx.session, tag)
    flagged = fleet.is_troublesome(ctx.session, hist.device.id, repairs=repairs, days=days, now=ctx.clock.now())
    return DeviceRecord(hist.as_dict(), tuple(hist.items), flagged)


@dataclass(frozen=True)
class RetirePlan:
    """What retiring would do, for the confirmation: the device and its open tickets."""

    tag: str
    model: str
    open_tickets: tuple[str, ...]


@dataclass(frozen=True)
class Retired:
    tag: str
    reason: str
    noted_tickets: tuple[str, ...]  # open tickets that got a note saying the device is retired


def save_fields(ctx: Ctx, tag: str, changes: dict[str, str], *,
                reason: str = "edited in technician mode") -> str:
    """The device screen's Save: only the fields whose value differs from what is stored are changed (so an
    untouched field never records a move). Returns the device's tag."""
    technician(ctx)
    current = devices.history(ctx.session, tag).as_dict()
    changed = {k: v for k, v in changes.items() if (current.get(k) or "") != v}
    if changed:
        devices.set_fields(ctx, tag, changed, reason=reason)
    return devices.get_by_tag(ctx.session, tag).asset_tag


def retire_plan(ctx: Ctx, tag: str) -> RetirePlan:
    technician(ctx)
    device = devices.get_by_tag(ctx.session, tag)
    if device.status is DeviceStatus.RETIRED:
        raise Conflict(f"{device.asset_tag} is already retired")
    numbers = ctx.session.scalars(select(Ticket.number).where(Ticket.device_id == device.id,
                                                             Ticket.status.in_(OPEN_STATUSES))
                                  .order_by(Ticket.opened_at)).all()
    model = " ".join(x for x in (device.manufacturer, device.model) if x)
    return RetirePlan(device.asset_tag, model, tuple(numbers))


def retire(ctx: Ctx, tag: str, reason: str) -> Retired:
    """Retire the device with a reason (kept on its status change and shown in its timeline). Each open ticket on
    it gets an internal note saying so, for its technician to close or carry on."""
    technician(ctx)
    why = clean_text(reason, field="reason", max_len=200, min_len=3, multiline=False) if reason.strip() else ""
    if len(why) < 3:
        raise InvalidInput("give a reason to retire the device (at least 3 characters)")
    plan = retire_plan(ctx, tag)
    devices.retire(ctx, plan.tag, why)
    for number in plan.open_tickets:
        tickets.add_note(ctx, number, f"The device {plan.tag} was retired: {why}. Close this ticket or move the "
                                      f"work to its replacement.", public=False)
    return Retired(plan.tag, why, plan.open_tickets)


def register(ctx: Ctx, values: Mapping[str, str], campus_id: uuid.UUID | None) -> str:
    """The technician's Register form: a new device on this kiosk's campus (tag, category, optional room,
    manufacturer, model, serial); its tag leaves the unknown-tag to-do list. Returns the device's tag."""
    from kiosk.domain.models import Campus

    technician(ctx)
    campus = ctx.session.get(Campus, campus_id) if campus_id else None
    extra = {k: values[k] for k in ("manufacturer", "model", "serial") if values.get(k)}
    device = devices.register(ctx, values.get("tag", ""), category=values.get("category", ""),
                              campus=campus.code if campus else None, room=values.get("room") or None, **extra)
    fleet.resolve_unknown_tag(ctx, device.asset_tag, device.id)
    return device.asset_tag


def unknown_tags(ctx: Ctx, campus_id: uuid.UUID | None) -> tuple[fleet.UnknownTagItem, ...]:
    """Tags scanned at kiosks that match no device (this campus, or all when None): the to-do list."""
    technician(ctx)
    return tuple(fleet.unknown_tag_todo(ctx.session, campus_id))


@dataclass(frozen=True)
class TroubleList:
    """Devices with many repairs lately, and models whose repair rate stands out, with the thresholds used."""

    devices: tuple[fleet.TroublesomeDevice, ...]
    models: tuple[fleet.ModelOutlier, ...]
    repairs: int
    days: int


def troublesome(ctx: Ctx, campus_id: uuid.UUID | None) -> TroubleList:
    from kiosk.domain.district import troublesome_thresholds

    technician(ctx)
    now = ctx.clock.now()
    limits = troublesome_thresholds(ctx.session)
    return TroubleList(tuple(fleet.troublesome_devices(ctx.session, repairs=limits.repairs, days=limits.days,
                                                           now=now, campus_id=campus_id)),
                       tuple(fleet.model_outliers(ctx.session, now=now)), limits.repairs, limits.days)
