"""Campuses and rooms from files: Snipe-IT's Locations export, our ``campus,room`` CSV, and the locations an asset
file names (``kiosk import devices --create-locations``).

Names are matched after trimming, collapsing spaces and case folding, against both codes and names, so one campus
is never created twice. A location text is split into campus and room only where that is unambiguous: "Campus /
Room", "Campus > Room", "Campus - Room", "Campus, Room", or a campus alone; a text that could split two ways is
refused with a message instead of guessed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from kiosk.domain import district_admin as admin
from kiosk.domain.db import Ctx
from kiosk.domain.district_admin import fold
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import Campus, Room

HARD_SEPARATORS = re.compile(r"\s*[/>\\]\s*")
SOFT_SEPARATORS = (" - ", " – ", " — ", ", ")


def split_location(text: str, is_campus: Callable[[str], bool]) -> tuple[str, str | None]:
    """(campus, room or None) named by a location text; raises InvalidInput when it cannot tell."""
    raw = " ".join(text.split())
    if not raw:
        raise InvalidInput("the location is empty")
    if is_campus(raw):
        return raw, None
    parts = [p for p in HARD_SEPARATORS.split(raw) if p]
    if len(parts) > 1:
        for i, part in enumerate(parts):
            if is_campus(part) and i + 1 < len(parts):
                return part, parts[-1]
        if len(parts) == 2:
            return parts[0], parts[1]
        raise InvalidInput(f"cannot tell the campus in {raw!r}: write it as 'Campus / Room'")
    splits: list[tuple[str, str]] = []
    for sep in SOFT_SEPARATORS:
        start = 0
        while (i := raw.find(sep, start)) >= 0:
            splits.append((raw[:i].strip(), raw[i + len(sep):].strip()))
            start = i + 1
    known = [s for s in splits if is_campus(s[0]) and s[1]]
    if known:
        return max(known, key=lambda s: len(s[0]))  # the longest campus name that matches
    if len(splits) == 1 and all(splits[0]):
        return splits[0]
    if len(splits) > 1:
        raise InvalidInput(f"cannot tell the campus from the room in {raw!r} (it splits more than one way): "
                           "write it as 'Campus / Room' or create the campus first")
    return raw, None


def campus_code_for(name: str, taken: set[str]) -> str:
    """A short unused code from a campus name: initials ("Riverside High" -> RH), else its first letters."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    if len(words) >= 2:
        base = "".join(w[0] for w in words).upper()[:12]
    else:
        base = (words[0] if words else "CAMPUS").upper()[:8]
    code, n = base, 2
    while code.upper() in taken:
        code = f"{base[:12]}{n}"
        n += 1
    taken.add(code.upper())
    return code


@dataclass
class LocationPlan:
    """What an import creates (or, in a dry run, would create)."""

    campuses: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    rooms: list[tuple[str, str]] = field(default_factory=list)  # (campus code, room name)
    existing_campuses: int = 0
    existing_rooms: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"campuses_created": [{"code": c, "name": n} for c, n in self.campuses],
                "rooms_created": [{"campus": c, "room": r} for c, r in self.rooms],
                "campuses_existing": self.existing_campuses, "rooms_existing": self.existing_rooms}

    def headline(self, dry_run: bool) -> str:
        verb = "would create" if dry_run else "created"
        return (f"{verb} {len(self.campuses)} campus{'es' if len(self.campuses) != 1 else ''}, "
                f"{len(self.rooms)} room{'s' if len(self.rooms) != 1 else ''}"
                f" ({self.existing_campuses} campuses and {self.existing_rooms} rooms already there)")

    def describe(self, dry_run: bool) -> str:
        lines = [self.headline(dry_run)]
        lines += [f"  campus {code}: {name}" for code, name in self.campuses]
        lines += [f"  room {code} / {room}" for code, room in self.rooms]
        if dry_run:
            lines.append("dry run: nothing was written")
        return "\n".join(lines) + "\n"


class Places:
    """The district's campuses and rooms by folded code and name; creates what is missing through the services."""

    def __init__(self, ctx: Ctx, plan: LocationPlan) -> None:
        self.ctx, self.plan = ctx, plan
        self.campuses: dict[str, Campus] = {}
        for c in ctx.session.scalars(select(Campus)):
            self.campuses[fold(c.code)] = c
            self.campuses.setdefault(fold(c.name), c)
        self.rooms: dict[tuple[Any, str], Room] = {(r.campus_id, fold(r.name)): r
                                                   for r in ctx.session.scalars(select(Room))}
        self.codes = {c.code.upper() for c in self.campuses.values()}
        self._seen_campuses: set[Any] = set()
        self._seen_rooms: set[Any] = set()

    def is_campus(self, text: str) -> bool:
        return fold(text) in self.campuses

    def campus(self, ref: str, code: str | None = None) -> Campus:
        found = self.campuses.get(fold(ref))
        if found is not None and code and fold(code) != fold(found.code):
            raise InvalidInput(f"{ref.strip()!r} is campus {found.code} already, not {code}")
        if found is not None:
            if found.id not in self._seen_campuses:
                self._seen_campuses.add(found.id)
                self.plan.existing_campuses += 1 if (found.code, found.name) not in self.plan.campuses else 0
            return found
        name = " ".join(ref.split())
        if code and code.upper() in self.codes:
            raise InvalidInput(f"campus code {code!r} is already another campus's")
        new_code = code.strip() if code else campus_code_for(name, self.codes)
        self.codes.add(new_code.upper())
        campus, _ = admin.add_campus(self.ctx, new_code, name)
        self.campuses[fold(campus.code)] = self.campuses[fold(campus.name)] = campus
        self._seen_campuses.add(campus.id)
        self.plan.campuses.append((campus.code, campus.name))
        return campus

    def room(self, campus: Campus, name: str) -> Room:
        key = (campus.id, fold(name))
        found = self.rooms.get(key)
        if found is not None:
            if key not in self._seen_rooms:
                self._seen_rooms.add(key)
                self.plan.existing_rooms += 1
            return found
        room, _ = admin.add_room(self.ctx, campus, name)
        self.rooms[key] = room
        self._seen_rooms.add(key)
        self.plan.rooms.append((campus.code, room.name))
        return room

    def location(self, text: str) -> tuple[Campus, Room | None]:
        campus_name, room_name = split_location(text, self.is_campus)
        if room_name is None and not self.is_campus(campus_name):
            rooms = [r for (_cid, key), r in self.rooms.items() if key == fold(campus_name)]
            if len(rooms) == 1:  # a room name alone that only one campus has
                campus_of = {c.id: c for c in self.campuses.values()}
                campus = self.campus(campus_of[rooms[0].campus_id].code)
                return campus, self.room(campus, rooms[0].name)
            if len(rooms) > 1:
                raise InvalidInput(f"{text.strip()!r} is a room on {len(rooms)} campuses: write 'Campus / Room'")
        campus = self.campus(campus_name)
        return campus, self.room(campus, room_name) if room_name else None


def _rows(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    from kiosk.domain.device_csv import decode_bytes, detect_delimiter

    text, _ = decode_bytes(data)
    try:
        delimiter = detect_delimiter(text)
    except InvalidInput:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("the file is empty") from None
    keys = [fold(h).replace("_", " ") for h in header]
    rows = []
    for n, rec in enumerate(reader, start=2):
        if any(v.strip() for v in rec):
            rows.append((n, {k: (rec[i].strip() if i < len(rec) else "") for i, k in enumerate(keys)}))
    return keys, rows


def import_locations(ctx: Ctx, data: bytes, source: str = "locations.csv") -> LocationPlan:
    """Campuses and rooms from Snipe-IT's Locations export (Name, Parent, ...: a location without a parent is a
    campus, one with a parent a room of its top-level ancestor) or our own ``campus,room`` CSV (an optional
    ``code`` column names a new campus's code). Creates what is missing; problems raise with their lines and
    nothing is written (the caller's unit rolls back)."""
    admin.require_admin(ctx)
    keys, rows = _rows(data)
    plan = LocationPlan()
    places = Places(ctx, plan)
    if "name" in keys and "parent" in keys:
        _snipe_locations(rows, places, plan, source)
    elif "campus" in keys:
        for n, row in rows:
            try:
                campus = places.campus(row["campus"], row.get("code") or row.get("campus code") or None) \
                    if row.get("campus") else None
                if campus is None:
                    raise InvalidInput("no campus")
                if row.get("room"):
                    places.room(campus, row["room"])
            except InvalidInput as exc:
                plan.problems.append(f"{source}:{n}: {exc}")
    else:
        raise InvalidInput(f"{source}: expected Snipe-IT's Locations export (Name, Parent, ...) or a campus,room "
                           f"CSV; the header has {', '.join(keys) or 'nothing'}")
    if plan.problems:
        raise InvalidInput(f"{len(plan.problems)} problem(s) in {source}, nothing was changed:\n  "
                           + "\n  ".join(plan.problems))
    return plan


def _snipe_locations(rows: Iterable[tuple[int, dict[str, str]]], places: Places, plan: LocationPlan,
                     source: str) -> None:
    rows = list(rows)
    parent_of: dict[str, str] = {}
    line_of: dict[str, int] = {}
    display: dict[str, str] = {}
    for n, row in rows:
        name = " ".join(row.get("name", "").split())
        if not name:
            plan.problems.append(f"{source}:{n}: a location without a name")
            continue
        key = fold(name)
        if key in line_of:
            plan.problems.append(f"{source}:{n}: location {name!r} is listed twice (also line {line_of[key]}); "
                                 "Snipe-IT location names must be unique here")
            continue
        line_of[key], display[key] = n, name
        parent_of[key] = fold(row.get("parent", ""))

    def top(key: str) -> str:
        seen = {key}
        while parent_of.get(key):
            parent = parent_of[key]
            if parent not in parent_of:
                if places.is_campus(parent):
                    return parent
                raise InvalidInput(f"its parent {parent!r} is not in the file or the district")
            if parent in seen:
                raise InvalidInput("its parents go round in a circle")
            seen.add(parent)
            key = parent
        return key

    for key in sorted(line_of, key=lambda k: line_of[k]):
        try:
            root = top(key)
            if root == key:
                places.campus(display[key])
            else:
                campus = places.campus(display.get(root, root))
                places.room(campus, display[key])
        except InvalidInput as exc:
            plan.problems.append(f"{source}:{line_of[key]}: {display[key]!r}: {exc}")
