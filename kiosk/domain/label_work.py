"""Which labels to print, as a technician chooses them on the kiosk (the same rules as `kiosk labels`).

``choose`` checks the actor and turns the screen's choice into labels: today's new devices, every device of a
room, the campus's room labels (or only the room typed), or a list of tags.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from kiosk.domain import labels
from kiosk.domain.db import Ctx
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import Campus
from kiosk.domain.ticket_work import technician

CHOICES = ("today", "room", "rooms", "tags", "parts")


@dataclass(frozen=True)
class LabelChoice:
    items: tuple[labels.Label, ...]
    district: str
    description: str  # what was chosen, for the screen ("room labels for Library", ...)


def choose(ctx: Ctx, campus_id: uuid.UUID | None, what: str, detail: str = "") -> LabelChoice:
    technician(ctx)
    s = ctx.session
    campus = s.get(Campus, campus_id) if campus_id else None
    detail = " ".join((detail or "").split())
    items: list[labels.Label]
    if what == "today":
        items = list(labels.registered_on_labels(s, labels.local_today(s, ctx.clock.now())))
        description = "devices registered today"
    elif what == "room":
        if campus is None or not detail:
            raise InvalidInput("type the room's name")
        items = list(labels.room_device_labels(s, campus.code, detail))
        description = f"every device in {detail}"
    elif what == "rooms":
        if campus is None:
            raise InvalidInput("this kiosk has no campus")
        items = list(labels.room_labels(s, campus.code, detail or None))  # the room typed, else every room
        description = f"the room label of {detail}" if detail else f"every room of {campus.name}"
    elif what == "tags":
        tags = [t for t in detail.replace(";", ",").split(",") if t.strip()]
        if len(tags) == 1 and " " in tags[0] and len(tags[0].split()) > 2:
            tags = tags[0].split()  # tags typed with spaces between them
        items = list(labels.device_labels(s, tags))
        description = f"{len(items)} tags"
    elif what == "parts":  # shelf labels a stock count scans (PART:<code>)
        codes = [c for c in detail.replace(";", ",").replace(" ", ",").split(",") if c.strip()]
        items = list(labels.part_labels(s, codes))
        description = f"{len(items)} part shelf labels"
    else:
        raise InvalidInput(f"unknown label choice {what!r}; one of {', '.join(CHOICES)}")
    if not items:
        raise InvalidInput("there is nothing to print for that choice")
    return LabelChoice(tuple(items), labels.district_name(s), description)
