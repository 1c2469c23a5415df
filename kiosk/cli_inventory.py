"""`kiosk labels`, `kiosk import devices` and `kiosk export devices`: asset labels to PDF and device CSV files."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO


def _tags(value: str) -> list[str]:
    tags = [t.strip() for t in value.replace(";", ",").replace(" ", ",").split(",") if t.strip()]
    if not tags:
        raise argparse.ArgumentTypeError("give at least one asset tag, e.g. --tags DS100123,DS100124")
    return tags


def _campus_room(value: str) -> tuple[str, str]:
    campus, sep, room = value.partition("/")
    if not sep or not campus.strip() or not room.strip():
        raise argparse.ArgumentTypeError(f"expected CAMPUS/ROOM, e.g. LE01/Library, not {value!r}")
    return campus.strip(), room.strip()


def cmd_labels(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import labels
    from kiosk.progress import ProgressBar

    db = _open(args)
    items: list[labels.Label] = []
    unknown: list[str] = []
    with db.unit() as ctx:
        s = ctx.session
        if args.tags:
            found = labels.device_labels(s, args.tags, line=args.line)
            unknown = [lab.tag for lab in found if not lab.registered]
            items += found
        elif args.room:
            items += labels.room_device_labels(s, args.room[0], args.room[1], line=args.line)
        elif args.registered_today:
            items += labels.registered_on_labels(s, labels.local_today(s, ctx.clock.now()), line=args.line)
        else:
            campus, _, room = args.rooms.partition("/")
            items += labels.room_labels(s, campus.strip(), room.strip() or None)
        district = labels.district_name(s)
    bar = ProgressBar()
    try:
        placed = labels.render_pdf(items, args.sheet, args.out, code=args.code, district=district, skip=args.skip,
                                   dpi=args.dpi, progress=bar)
    finally:
        bar.close()
    if unknown:
        print(f"kiosk: note: not registered yet (printed without a {args.line} line): {', '.join(unknown)}",
              file=sys.stderr)
    pages = placed[-1].page + 1
    sheet = labels.get_sheet(args.sheet)
    if args.json:
        json.dump({"file": str(args.out), "labels": len(placed), "pages": pages, "sheet": sheet.key,
                   "code": args.code, "payloads": [p.label.payload for p in placed]}, out, indent=2)
        out.write("\n")
    else:
        plural = ("s" if len(placed) != 1 else "", "s" if pages != 1 else "")
        out.write(f"wrote {len(placed)} label{plural[0]} on {pages} page{plural[1]} ({sheet.name}) to {args.out}\n")
    return 0


def cmd_import_devices(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import device_csv
    from kiosk.domain.db import Actor
    from kiosk.progress import ProgressBar

    db = _open(args)
    bar = ProgressBar()
    try:
        if args.file == "-":
            report = device_csv.import_devices(db, sys.stdin.buffer, mode=args.mode, update=not args.no_update,
                                               actor=Actor(label="cli import"), progress=bar, name="stdin",
                                               create_locations=args.create_locations, dry_run=args.dry_run)
        else:
            report = device_csv.import_devices(db, args.file, mode=args.mode, update=not args.no_update,
                                               actor=Actor(label="cli import"), progress=bar,
                                               create_locations=args.create_locations, dry_run=args.dry_run)
    finally:
        bar.close()
    if args.json:
        json.dump(report.as_dict(), out, indent=2)
        out.write("\n")
    else:
        out.write(report.summary() + "\n")
        if report.locations is not None:
            for code, name in report.locations.campuses:
                out.write(f"  {'would create' if args.dry_run else 'created'} campus {code}: {name}\n")
            for code, room in report.locations.rooms:
                out.write(f"  {'would create' if args.dry_run else 'created'} room {code} / {room}\n")
        for problem in report.errors:
            out.write(f"  bad {problem}\n")
        for problem in report.warnings:
            out.write(f"  note {problem}\n" if problem.row else f"  note: {problem.reason}\n")
        if report.ignored_columns:
            out.write(f"  note: columns not imported: {', '.join(report.ignored_columns)}\n")
    if args.dry_run:
        out.write("dry run: nothing was written\n") if not args.json else None
        return 1 if report.errors else 0
    if not report.committed:
        print(f"kiosk: error: {len(report.errors)} bad row{'s' if len(report.errors) != 1 else ''}; nothing was "
              "imported (fix them, or use --mode good-rows to import the rest)", file=sys.stderr)
        return 2
    return 1 if report.errors else 0


def cmd_export_devices(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import device_csv
    from kiosk.progress import ProgressBar

    db = _open(args)
    if args.file == "-":
        with db.unit() as ctx:
            n = device_csv.export_devices(ctx.session, out, campus=args.campus)
        return 0
    bar = ProgressBar()
    try:
        n = device_csv.export_to_file(db, args.file, campus=args.campus, bom=not args.no_bom, progress=bar)
    finally:
        bar.close()
    if args.json:
        json.dump({"file": args.file, "devices": n}, out)
        out.write("\n")
    else:
        out.write(f"exported {n:,} devices to {args.file}\n")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from kiosk.domain import labels
    from kiosk.domain.labels import CODE_CHOICES, LINE_CHOICES, SHEETS

    lab = sub.add_parser("labels", parents=[common], help="print asset or room labels to a PDF",
                         description="Asset labels (Code128 and/or QR, the tag, the district, a room or model "
                                     "line) or room labels (QR of ROOM:<id>) on label sheets or rolls.")
    what = lab.add_mutually_exclusive_group(required=True)
    what.add_argument("--tags", type=_tags, help="asset tags, comma-separated")
    what.add_argument("--room", type=_campus_room, metavar="CAMPUS/ROOM", help="every device in one room")
    what.add_argument("--registered-today", action="store_true", help="the devices registered today")
    what.add_argument("--rooms", metavar="CAMPUS[/ROOM]", help="room labels for a campus's rooms (or one room)")
    lab.add_argument("--sheet", default="avery5160", choices=list(SHEETS), help="label stock (default avery5160)")
    lab.add_argument("--code", default=labels.DEFAULT_CODE, choices=list(CODE_CHOICES),
                     help=f"symbols (default {labels.DEFAULT_CODE}: the stock the live scanner reads soonest, docs/labels.md)")
    lab.add_argument("--line", default="room", choices=list(LINE_CHOICES),
                     help="the small line under the tag (default room)")
    lab.add_argument("--skip", type=int, default=0, help="label positions already used on the first sheet")
    lab.add_argument("--dpi", type=int, default=None,
                     help="the printer's resolution; bars snap to its dots (default: the stock's usual printer)")
    lab.add_argument("--out", required=True, metavar="FILE.pdf")
    lab.set_defaults(func=cmd_labels)

    imp = sub.add_parser("import", help="import from a file").add_subparsers(dest="import_command",
                                                                           metavar="WHAT", required=True)
    di = imp.add_parser("devices", parents=[common], help="devices from a CSV (ours or a Snipe-IT file)",
                        description="Import devices from a CSV in the kiosk's columns or a Snipe-IT asset file "
                                    "(docs/device-csv.md). Exit 0: all rows imported; 1: good rows imported, "
                                    "some bad; 2: nothing imported.")
    di.add_argument("file", metavar="FILE", help="the CSV file ('-' for standard input)")
    di.add_argument("--no-update", action="store_true", help="leave devices whose tag exists alone")
    di.add_argument("--mode", default="all-or-nothing", choices=["all-or-nothing", "good-rows"],
                    help="all-or-nothing (default): any bad row and nothing is written; good-rows: import the "
                         "good rows and report the bad ones")
    di.add_argument("--create-locations", action="store_true",
                    help="create the campuses and rooms the file names that do not exist yet")
    di.add_argument("--dry-run", action="store_true", help="list everything the import would do; write nothing")
    di.set_defaults(func=cmd_import_devices)
    from kiosk.cli_district import cmd_import_locations

    lo = imp.add_parser("locations", parents=[common], help="campuses and rooms from a CSV",
                        description="Snipe-IT's Locations export (Name, Parent, ...: a top-level location becomes "
                                    "a campus, a child location a room) or a campus,room CSV (optional code "
                                    "column). Creates what is missing; never a second campus of one name.")
    lo.add_argument("file", metavar="FILE.csv", help="the CSV file ('-' for standard input)")
    lo.add_argument("--dry-run", action="store_true", help="list what would be created; write nothing")
    lo.set_defaults(func=cmd_import_locations)

    exp = sub.add_parser("export", help="export to a file").add_subparsers(dest="export_command",
                                                                         metavar="WHAT", required=True)
    de = exp.add_parser("devices", parents=[common], help="devices to a CSV in the documented columns")
    de.add_argument("file", metavar="FILE", help="the CSV file ('-' for standard output)")
    de.add_argument("--campus", help="only this campus (code or name)")
    de.add_argument("--no-bom", action="store_true", help="no UTF-8 byte-order mark (Excel wants one)")
    de.set_defaults(func=cmd_export_devices)
