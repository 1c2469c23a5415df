"""The `kiosk` command: database, demo data, devices, tickets and scanning, through the domain services."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TextIO

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from kiosk import __version__
from kiosk.domain import devices, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.district import local_zone
from kiosk.domain.errors import DomainError
from kiosk.domain.models import TicketStatus
from kiosk.settings import SettingsError, demo_database_url, resolve_database_url

log = logging.getLogger("kiosk.cli")

# Modules that add their own sub-commands: each has ``register(subparsers, common_options_parser)`` and sets
# ``func(args, out) -> exit code`` on its parsers. They import heavy dependencies inside ``func``, not at the top,
# so `kiosk --help` stays fast.
COMMAND_MODULES = ("kiosk.cli_sync", "kiosk.cli_reports", "kiosk.cli_inventory", "kiosk.cli_ui", "kiosk.cli_tickets",
                   "kiosk.cli_district", "kiosk.cli_repairdesk")


class CliError(Exception):
    """A one-line message for the user; exit code 2."""


def _db_error_message(exc: BaseException) -> str:
    seen = 0
    while "no transaction is active" in str(exc) and exc.__context__ is not None and seen < 5:
        exc, seen = exc.__context__, seen + 1  # SQLite rolled back by itself (a full disk): tell the first error
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
    low = text.lower()
    if "readonly" in low or "read-only" in low or "attempt to write a readonly" in low:
        return "the database is read-only: check the file's permissions and the disk"
    if "disk is full" in low or "database or disk is full" in low or "no space left" in low:
        return "the disk is full: free some space and try again (nothing was written)"
    if "unable to open database file" in low:
        return "cannot open the database file: check that its folder exists and is writable"
    if "connection refused" in low or "could not connect" in low or "connection failed" in low:
        return f"cannot reach the database server ({text})"
    if "does not exist" in low and "database" in low:
        return f"the database does not exist ({text})"
    if "password authentication failed" in low or "authentication" in low:
        return f"the database refused the credentials ({text})"
    if "not a database" in low or "file is encrypted" in low:
        return "that file is not a kiosk database"
    return f"database error: {text}"


def _open(args: argparse.Namespace, *, upgrade: bool = True) -> Database:
    url = demo_database_url() if getattr(args, "demo", False) and not args.url else resolve_database_url(args.url)
    db = Database(url)
    if upgrade:
        from kiosk.domain import schema

        schema.upgrade(db.engine)
    return db


def _print_json(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(obj, indent=2, default=str) + "\n")


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.domain import schema

    db = _open(args, upgrade=False)
    before, after = schema.upgrade(db.engine)
    if args.json:
        _print_json({"url": db.engine.url.render_as_string(hide_password=True), "from": before, "to": after}, out)
    else:
        out.write(f"database at {after} (was {before or 'empty'})\n")
    return 0


def _progress_line(out: TextIO) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if total:
            out.write(f"\r  {100 * done // total:3d} %  ({done} of {total} pages)")
            out.flush()
    return show


def cmd_db_backup(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from kiosk.domain import backup

    url = demo_database_url() if getattr(args, "demo", False) and not args.url else resolve_database_url(args.url)
    result = backup.backup(url, Path(args.file), force=args.force, progress=_progress_line(out))
    out.write(f"\nbacked up to {result.path} ({result.bytes:,} bytes, schema {result.revision}); checked\n")
    return 0


def cmd_db_restore(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from kiosk.domain import backup, schema

    url = demo_database_url() if getattr(args, "demo", False) and not args.url else resolve_database_url(args.url)
    result = backup.restore(url, Path(args.file), progress=_progress_line(out))
    out.write("\n")
    if result.safety_copy:
        out.write(f"the database as it was is kept in {result.safety_copy}\n")
    db = Database(url)
    try:
        before, after = schema.upgrade(db.engine)
    finally:
        db.dispose()
    note = f", upgraded from schema {before}" if before != after else ""
    out.write(f"restored {result.path} from {args.file} (schema {after}{note})\n")
    return 0


def cmd_resources(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.resources import resource_path, resources_dir

    out.write(f"{resource_path(args.name) if args.name else resources_dir()}\n")
    return 0


def cmd_db_current(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.domain import schema

    db = _open(args, upgrade=False)
    rev = schema.check_not_newer(db.engine)
    head = schema.head_revision()
    if args.json:
        _print_json({"current": rev, "head": head}, out)
    else:
        out.write(f"current {rev or 'none'}, head {head}\n")
    return 0


def cmd_seed(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.domain import seed
    from kiosk.progress import ProgressBar

    db = _open(args)
    if args.reset:
        seed.reset(db)
    bar = ProgressBar()
    try:
        summary = seed.seed(
            db,
            seed.SeedOptions(devices=args.devices, tickets=args.tickets, campuses=args.campuses, seed=args.seed,
                             as_of=args.as_of),
            progress=bar,
        )
    finally:
        bar.close()
    if args.json:
        _print_json(summary.__dict__, out)
    else:
        out.write(
            f"seeded {summary.campuses} campuses, {summary.rooms} rooms, {summary.devices:,} devices, "
            f"{summary.technicians} technicians, {summary.tickets:,} tickets with {summary.events:,} events, "
            f"{summary.repairs:,} repairs, {summary.surveys:,} surveys in {summary.seconds:.1f} s\n"
            f"demo campus {summary.demo_campus}; try: kiosk devices show {summary.sample_tags[0]}\n"
            if summary.sample_tags else "seeded\n"
        )
    return 0


def _print_device(d: dict[str, Any], out: TextIO, zone: Any) -> None:
    out.write(f"{d['asset_tag']}  {d['manufacturer'] or ''} {d['model'] or ''} ({d['category']})\n")
    out.write(f"  status {d['status']}, {d['campus'] or 'no campus'} / {d['room'] or 'no room'}, "
              f"serial {d['serial'] or '-'}\n")
    if d["purchase_date"]:
        cost = f"${d['purchase_cost']:,.2f}" if d["purchase_cost"] is not None else "cost unknown"
        out.write(f"  bought {d['purchase_date']} for {cost} ({d['funding_source'] or 'fund unknown'}), "
                  f"warranty to {d['warranty_end'] or '-'}\n")
    out.write(f"  {d['repairs']} repairs, {d['total_minutes']} minutes of work\n")
    out.write(f"  tickets ({len(d['tickets'])}):\n")
    for t in d["tickets"]:
        out.write(f"    {t['number']:<12} {t['status']:<11} {t['priority']} {t['category']:<10} "
                  f"{_local(t['opened_at'], zone)}  {t['description']}\n")
    if d["history"]:
        out.write("  history:\n")
        for h in d["history"]:
            ticket = f" [{h['ticket']}]" if h["ticket"] else ""
            out.write(f"    {_local(h['at'], zone)}  {h['kind']:<6} {h['summary']}{ticket}\n")


def _device_fields(db: Database, tag: str) -> tuple[dict[str, Any], Any]:
    """A device's record through the checked use-case (the console may read it), and the district's zone."""
    from kiosk.domain import device_work

    with db.read(Actor.console_user()) as ctx:
        return dict(device_work.device_file(ctx, tag).fields), local_zone(ctx.session)


def cmd_devices_show(args: argparse.Namespace, out: TextIO) -> int:
    fields, zone = _device_fields(_open(args), args.tag)
    if args.json:
        _print_json(fields, out)
    else:
        _print_device(fields, out, zone)
    return 0


def cmd_devices_set(args: argparse.Namespace, out: TextIO) -> int:
    changes: dict[str, str] = {}
    for item in args.assignments:
        if "=" not in item:
            raise CliError(f"expected FIELD=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        changes[key.strip().lower()] = value
    db = _open(args)
    with db.unit() as ctx:
        device = devices.set_fields(ctx, args.tag, changes, reason=args.reason)
        tag = device.asset_tag
    if args.json:
        _print_json(_device_fields(db, tag)[0], out)
    else:
        out.write(f"updated {tag}: {', '.join(changes)}\n")
    return 0


def _local(value: Any, zone: Any) -> str:
    """An instant (aware datetime or ISO text) in the district's local time with its zone, or '-'."""
    from kiosk.domain.reports.base import local_text

    if value is None:
        return "-"
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return local_text(when, zone)


def _ticket_out(db: Database, number: str, args: argparse.Namespace, out: TextIO) -> None:
    from kiosk.domain import ticket_work

    with db.read(Actor.console_user()) as ctx:
        data = ticket_work.ticket_record(ctx, number).as_dict()
        zone = local_zone(ctx.session)
    if args.json:
        _print_json(data, out)
        return
    out.write(f"{data['number']}  {data['status']}  {data['priority']} (reporter {data['reporter_priority']}"
              f"{', override ' + data['override_priority'] if data['override_priority'] else ''})\n")
    out.write(f"  {data['category']} at {data['campus']}{' / ' + data['room'] if data['room'] else ''}"
              f"{', device ' + data['device'] if data['device'] else ''}\n")
    out.write(f"  {data['description']}\n")
    out.write(f"  opened {_local(data['opened_at'], zone)}, respond by {_local(data['response_due_at'], zone)}, "
              f"resolve by {_local(data['resolution_due_at'], zone)}\n")
    for e in data["events"]:
        vis = "public" if e["public"] else "internal"
        change = f" {e['old'] or '-'} -> {e['new']}" if e["new"] else ""
        out.write(f"    {_local(e['at'], zone)}  {e['kind']:<12}{change} {e['body'] or ''} ({vis})\n")


def cmd_ticket_new(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.domain.models import ReporterKind
    from kiosk.domain.walkup_report import ReporterKindNeeded, reporter_kind_for

    db = _open(args)
    with db.unit() as ctx:
        # the walk-up's rule: an ID is a student, a school domain may say; else --reporter-kind (a new email
        # reporter without either is asked for it), never "teacher" by default
        try:
            kind = reporter_kind_for(ctx.session, args.reporter, args.reporter_kind)
        except ReporterKindNeeded:
            raise CliError("a new email reporter: give --reporter-kind student, teacher or staff (the district's "
                           "school domains do not say which)") from None
        t = tickets.create_ticket(
            ctx, category=args.category, description=args.description, reporter=args.reporter, tag=args.tag,
            campus=args.campus, priority=args.priority, reporter_kind=ReporterKind(kind) if kind else None,
        )
        number = t.number
    if args.json:
        _ticket_out(db, number, args, out)
    else:
        out.write(f"filed ticket {number}\n")
    return 0


def cmd_ticket_show(args: argparse.Namespace, out: TextIO) -> int:
    _ticket_out(_open(args), args.number, args, out)
    return 0


def cmd_ticket_list(args: argparse.Namespace, out: TextIO) -> int:
    db = _open(args)
    every = args.all or args.limit == 0
    limit = 2 ** 62 if every else args.limit
    from kiosk.domain import ticket_work

    with db.read(Actor.console_user()) as ctx:
        zone = local_zone(ctx.session)
        rows = ticket_work.ticket_list(ctx, campus=args.campus, status=args.status, limit=limit + 1)
    cut = len(rows) > limit
    data = [r.as_dict() for r in rows[:limit]]
    if args.json:
        _print_json(data, out)
        if cut:
            print(f"kiosk: note: the first {len(data):,} tickets; more match (--limit N for more, --all for every "
                  "one)", file=sys.stderr)
    else:
        for r in data:
            out.write(f"{r['number']:<12} {r['status']:<11} {r['priority']} {r['category']:<10} "
                      f"{r['device'] or '-':<10} due {_local(r['resolution_due_at'], zone)}  {r['description']}\n")
        if cut:
            out.write(f"first {len(data):,} tickets shown; more match (--limit N for more, --all for every one)\n")
        else:
            out.write(f"{len(data):,} tickets\n")
    return 0


def cmd_scan_image(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.scan.scan_image import run_scan_image

    return run_scan_image(list(args.files), as_json=args.json, live=args.live, out=out, err=sys.stderr)


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    """Open the demo database (seeding it the first time) and show one device."""
    from kiosk.domain import seed
    from kiosk.domain.models import Device
    from kiosk.progress import ProgressBar

    args.demo = True
    db = _open(args)
    with db.unit() as ctx:
        from sqlalchemy import func, select

        empty = not ctx.session.scalar(select(func.count()).select_from(Device))
    if empty:
        out.write("first run: seeding the demo district...\n")
        bar = ProgressBar()
        try:
            seed.seed(db, seed.SeedOptions(), progress=bar)
        finally:
            bar.close()
    with db.unit() as ctx:
        from sqlalchemy import select

        from kiosk.domain.models import Ticket

        tag = ctx.session.scalars(
            select(Device.asset_tag).join(Ticket, Ticket.device_id == Device.id).order_by(Device.asset_tag).limit(1)
        ).first()
        out.write(f"demo database: {db.engine.url.render_as_string(hide_password=True)}\n\n")
    if tag:
        fields, zone = _device_fields(db, tag)
        _print_device(fields, out, zone)
    return 0


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return n


def build_parser() -> argparse.ArgumentParser:
    def options(defaults: bool) -> argparse.ArgumentParser:
        # Sub-commands repeat the global options with suppressed defaults, so `kiosk --url U ticket list`
        # and `kiosk ticket list --url U` both work.
        o = argparse.ArgumentParser(add_help=False)
        kw: dict[str, Any] = {} if defaults else {"default": argparse.SUPPRESS}
        o.add_argument("--url", help="database URL (default: $KIOSK_DATABASE_URL, else the local SQLite file)",
                       **kw)
        o.add_argument("--json", action="store_true", help="print JSON", **kw)
        o.add_argument("--demo", action="store_true", help="use the demo database", **kw)
        return o

    common = options(False)
    p = argparse.ArgumentParser(prog="kiosk", description="Campus tech-room kiosk.", parents=[options(True)])
    p.add_argument("--version", action="version", version=f"kiosk {__version__}")
    p.add_argument("--windowed", action="store_true", help="run the kiosk in a window (development)")
    p.add_argument("--camera", default="0",
                   help="frame source: a camera index, /dev/videoN, an image, a folder of images or a video; "
                        "'none' for no camera")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", metavar="ACTION",
                                                                     required=True)
    db.add_parser("upgrade", parents=[common], help="upgrade the schema to this version").set_defaults(
        func=cmd_db_upgrade)
    db.add_parser("current", parents=[common], help="show the schema revision").set_defaults(func=cmd_db_current)
    bk = db.add_parser("backup", parents=[common], help="copy this kiosk's SQLite database to FILE (safe while "
                       "the kiosk runs)")
    bk.add_argument("file", help="the backup file to write")
    bk.add_argument("--force", action="store_true", help="replace FILE if it exists")
    bk.set_defaults(func=cmd_db_backup)
    rs = db.add_parser("restore", parents=[common], help="replace this kiosk's SQLite database with a backup "
                       "(the current file is kept beside it)")
    rs.add_argument("file", help="the backup file to restore")
    rs.set_defaults(func=cmd_db_restore)
    res = sub.add_parser("resources", help="print where a file the program ships is (e.g. session, systemd)")
    res.add_argument("name", nargs="?", default="", help="a file or folder under resources/")
    res.set_defaults(func=cmd_resources)

    s = sub.add_parser("seed", parents=[common], help="fill the database with a demo district")
    s.add_argument("--devices", type=_positive, default=600)
    s.add_argument("--tickets", type=_positive, default=400)
    s.add_argument("--campuses", type=_positive, default=None)
    s.add_argument("--seed", type=int, default=42)
    s.add_argument("--as-of", type=_date, default=None, help="the seeded 'today' (default: today)")
    s.add_argument("--reset", action="store_true", help="delete all existing rows first")
    s.set_defaults(func=cmd_seed)

    dv = sub.add_parser("devices", help="devices").add_subparsers(dest="dev_command", metavar="ACTION",
                                                                  required=True)
    show = dv.add_parser("show", parents=[common], help="a device and its history")
    show.add_argument("tag")
    show.set_defaults(func=cmd_devices_show)
    dset = dv.add_parser("set", parents=[common], help="change device fields: FIELD=VALUE ...")
    dset.add_argument("tag")
    dset.add_argument("assignments", nargs="+", metavar="FIELD=VALUE",
                      help=f"fields: {', '.join(devices.EDITABLE_FIELDS)}")
    dset.add_argument("--reason", default=None)
    dset.set_defaults(func=cmd_devices_set)

    tk = sub.add_parser("ticket", help="tickets").add_subparsers(dest="ticket_command", metavar="ACTION",
                                                                 required=True)
    new = tk.add_parser("new", parents=[common], help="file a ticket")
    new.add_argument("--tag", help="the device's asset tag")
    new.add_argument("--campus", help="campus code, for problems that are not one device")
    new.add_argument("--category", required=True)
    new.add_argument("--description", required=True)
    new.add_argument("--reporter", required=True, help="school ID number or email")
    new.add_argument("--reporter-kind", choices=("student", "teacher", "staff"), default=None,
                     help="for a new email reporter whose school domain does not say")
    new.add_argument("--priority", help="P1..P4 (default: the category's)")
    new.set_defaults(func=cmd_ticket_new)
    tshow = tk.add_parser("show", parents=[common], help="a ticket and its events")
    tshow.add_argument("number")
    tshow.set_defaults(func=cmd_ticket_show)
    tlist = tk.add_parser("list", parents=[common], help="tickets, soonest deadline first")
    tlist.add_argument("--campus")
    tlist.add_argument("--status", default="open",
                       help=f"open (default), all, or one of {', '.join(s.value for s in TicketStatus)}")
    tlist.add_argument("--limit", type=_positive, default=200,
                       help="show at most N tickets (default 200; 0 = no limit); the output says when it was cut")
    tlist.add_argument("--all", action="store_true", help="every matching ticket, no limit")
    tlist.set_defaults(func=cmd_ticket_list)
    importlib.import_module("kiosk.cli_tickets").add_ticket_actions(tk, common)  # assign, note, status, ...

    sc = sub.add_parser("scan-image", parents=[common], help="decode asset tags in still images")
    sc.add_argument("files", nargs="+")
    sc.add_argument("--live", action="store_true", help="use the per-frame budget of the live kiosk")
    sc.set_defaults(func=cmd_scan_image)

    sub.add_parser("demo", parents=[common], help="seed the demo district if needed and print one device").set_defaults(
        func=cmd_demo)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub, common)
    return p


def _quiet_broken_pipe() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush does not complain."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


_UNPRINTABLE = {c: None for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
                                  *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


class CleanOutput:
    """Standard output with control characters taken out (a pushed note must not drive the terminal)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(text.translate(_UNPRINTABLE))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    clean: TextIO = CleanOutput(out or sys.stdout)  # type: ignore[assignment]
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace, TextIO], int] | None = getattr(args, "func", None)
    if func is None:  # `kiosk` alone opens the kiosk
        from kiosk.cli_ui import cmd_run

        func = cmd_run
    name = getattr(func, "__name__", "command").removeprefix("cmd_").replace("_", " ")
    try:
        if func.__name__ != "cmd_run":  # the window sets up its own log (kiosk.log, warnings on stderr)
            from kiosk import logs

            logs.setup_cli()
        log.info("kiosk %s: started", name)  # the command's name only: its arguments may hold a password
        code = func(args, clean)
        log.info("kiosk %s: exit %s", name, code)
        return code
    except BrokenPipeError:
        # The reader went away (`kiosk ticket list | head`): stop quietly, as other Unix tools do.
        _quiet_broken_pipe()
        return 0
    except (DomainError, CliError, SettingsError) as exc:
        log.info("kiosk %s: refused: %s", name, exc)  # a refusal meant for the person, not a fault
        print(f"kiosk: error: {exc}", file=sys.stderr)
    except (OperationalError, DBAPIError) as exc:
        log.error("kiosk %s: database error", name, exc_info=True)
        print(f"kiosk: error: {_db_error_message(exc)}", file=sys.stderr)
    except SQLAlchemyError as exc:
        log.error("kiosk %s: database error", name, exc_info=True)
        print(f"kiosk: error: {_db_error_message(exc)}", file=sys.stderr)
    except PermissionError as exc:
        log.error("kiosk %s: permission denied", name, exc_info=True)
        print(f"kiosk: error: permission denied: {exc.filename or exc}", file=sys.stderr)
    except OSError as exc:
        log.error("kiosk %s: %s", name, exc, exc_info=True)
        where = f": {exc.filename}" if exc.filename else ""
        print(f"kiosk: error: {exc.strerror or exc}{where}", file=sys.stderr)
    except KeyboardInterrupt:
        log.info("kiosk %s: interrupted", name)
        print("kiosk: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: its traceback goes to the log file, and to the terminal as Python prints it
        log.critical("kiosk %s: failed", name, exc_info=True)
        exc._kiosk_logged = True  # type: ignore[attr-defined]  # (the log's excepthook would log it again)
        raise
    return 2
