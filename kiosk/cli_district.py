"""`kiosk district apply|export`, `kiosk staff ...` and `kiosk import locations`: a district set up without the seeder."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any, TextIO

_PLANNED = {"created": "create", "changed": "change", "retired": "retire", "enabled": "enable",
            "removed": "remove", "disabled": "disable", "hidden": "hide", "shown": "show"}


class _DryRun(Exception):
    """Raised inside the unit of work so a dry run rolls everything back."""


def _changes_out(changes: list[Any], out: TextIO, *, dry_run: bool, as_json: bool, what: str) -> None:
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.verb] = counts.get(c.verb, 0) + 1
    if as_json:
        out.write(json.dumps({"dry_run": dry_run, "counts": counts,
                              "changes": [{"verb": c.verb, "entity": c.entity, "name": c.name,
                                           "fields": list(c.fields)} for c in changes]}, indent=2) + "\n")
        return
    if not changes:
        out.write(f"{what}: no changes\n")
        return
    summary = ", ".join(f"{n} {verb}" for verb, n in sorted(counts.items()))
    out.write(f"{what}: {'would make ' if dry_run else ''}{len(changes)} change{'s' if len(changes) != 1 else ''} "
              f"({summary})\n")
    for c in changes:
        out.write(f"  {_PLANNED.get(c.verb, c.verb) + str(c)[len(c.verb):] if dry_run else c}\n")
    if dry_run:
        out.write("dry run: nothing was written\n")


def cmd_district_apply(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import CliError, _open
    from kiosk.domain import district_file
    from kiosk.domain.db import Actor

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"{path} is not UTF-8 text") from None
    spec = district_file.read(text, source=path.name)  # every problem at once, before the database is opened
    db = _open(args)
    changes: list[Any] = []
    try:
        with db.unit(Actor(label="district file")) as ctx:
            changes = district_file.apply(ctx, spec)
            if args.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    _changes_out(changes, out, dry_run=args.dry_run, as_json=args.json, what=path.name)
    return 0


def cmd_district_export(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import district_file

    db = _open(args)
    with db.unit() as ctx:
        text = district_file.export(ctx)
    if args.file == "-":
        out.write(text)
        return 0
    path = Path(args.file)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    out.write(f"wrote the district to {path}\n")
    return 0


# ---------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------


def _actor() -> Any:
    from kiosk.domain.db import Actor

    return Actor(label="cli staff")


def cmd_staff_add(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import staff_accounts

    db = _open(args)
    with db.unit(_actor()) as ctx:
        staff_accounts.add(ctx, args.username, first_name=args.first_name, last_name=args.last_name,
                           email=args.email, role=args.role, badge_code=args.badge)
    out.write(f"added {args.username} ({args.role}); give them a sign-in with `kiosk staff reset-pin "
              f"{args.username}` or `kiosk staff reset-password {args.username}`\n")
    return 0


def _simple(args: argparse.Namespace, out: TextIO, action: str) -> int:
    from kiosk.cli import _open
    from kiosk.domain import staff_accounts

    db = _open(args)
    with db.unit(_actor()) as ctx:
        if action == "disable":
            change = staff_accounts.set_active(ctx, args.username, False)
        elif action == "enable":
            change = staff_accounts.set_active(ctx, args.username, True)
        else:
            change = staff_accounts.set_role(ctx, args.username, args.role)
    out.write(f"{args.username}: {'no change' if change is None else change.verb}"
              f"{' to ' + args.role if action == 'set-role' and change else ''}\n")
    return 0


def cmd_staff_disable(args: argparse.Namespace, out: TextIO) -> int:
    return _simple(args, out, "disable")


def cmd_staff_enable(args: argparse.Namespace, out: TextIO) -> int:
    return _simple(args, out, "enable")


def cmd_staff_set_role(args: argparse.Namespace, out: TextIO) -> int:
    return _simple(args, out, "set-role")


def _read_secret(args: argparse.Namespace, what: str) -> str | None:
    """A secret from standard input when asked (``--stdin``): one line, never echoed or printed."""
    if not args.stdin:
        return None
    if sys.stdin.isatty():
        return getpass.getpass(f"new temporary {what}: ")
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _reset(args: argparse.Namespace, out: TextIO, what: str) -> int:
    from kiosk.cli import _open
    from kiosk.domain import staff_accounts

    given = _read_secret(args, what)
    db = _open(args)
    with db.unit(_actor()) as ctx:
        fn = staff_accounts.reset_pin if what == "PIN" else staff_accounts.reset_password
        secret = fn(ctx, args.username, given)
    if given is not None:
        out.write(f"{args.username}: temporary {what} set from standard input; it must be changed at the next "
                  "sign-in\n")
    else:
        out.write(f"{args.username}: temporary {what}: {secret}\n"
                  f"  shown once; it must be changed at the next sign-in\n")
    return 0


def cmd_staff_reset_pin(args: argparse.Namespace, out: TextIO) -> int:
    return _reset(args, out, "PIN")


def cmd_staff_reset_password(args: argparse.Namespace, out: TextIO) -> int:
    return _reset(args, out, "password")


def cmd_staff_unlock(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import staff_accounts

    db = _open(args)
    with db.unit(_actor()) as ctx:
        was = staff_accounts.unlock(ctx, args.username)
    out.write(f"{args.username}: {'unlocked' if was else 'was not locked (failed attempts cleared)'}\n")
    return 0


def cmd_staff_list(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import staff_accounts
    from kiosk.domain.district import format_local, local_zone

    db = _open(args)
    with db.unit() as ctx:
        rows = staff_accounts.list_staff(ctx, include_disabled=args.all)
        zone = local_zone(ctx.session)
    if args.json:
        out.write(json.dumps([r.__dict__ for r in rows], indent=2, default=str) + "\n")
        return 0
    for r in rows:
        flags = [f for f, on in (("disabled", not r.active), ("temporary secret", r.temporary),
                                 ("no sign-in yet", not (r.has_pin or r.has_password))) if on]
        if r.locked_until:
            flags.append(f"locked until {format_local(r.locked_until, zone, '%H:%M')}")
        out.write(f"{r.username:<16} {r.role:<10} {r.name:<28} {r.email or '-':<32} {', '.join(flags)}\n")
    out.write(f"{len(rows)} staff\n")
    return 0


def cmd_staff_import(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import staff_accounts

    path = Path(args.file)
    text = path.read_text(encoding="utf-8-sig")
    db = _open(args)
    changes: list[Any] = []
    try:
        with db.unit(_actor()) as ctx:
            changes = staff_accounts.import_roster(ctx, text, source=path.name)
            if args.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    _changes_out(changes, out, dry_run=args.dry_run, as_json=args.json, what=path.name)
    return 0


# ---------------------------------------------------------------------------------------------
# Locations
# ---------------------------------------------------------------------------------------------


def cmd_import_locations(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import location_import
    from kiosk.domain.db import Actor

    path = Path(args.file)
    data = sys.stdin.buffer.read() if args.file == "-" else path.read_bytes()
    db = _open(args)
    plan = None
    try:
        with db.unit(Actor(label="cli import")) as ctx:
            plan = location_import.import_locations(ctx, data, source=path.name)
            if args.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    assert plan is not None
    if args.json:
        out.write(json.dumps(plan.as_dict() | {"dry_run": args.dry_run}, indent=2) + "\n")
    else:
        out.write(plan.describe(dry_run=args.dry_run))
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    d = sub.add_parser("district", help="the district file: apply or export the whole setup").add_subparsers(
        dest="district_command", metavar="ACTION", required=True)
    ap = d.add_parser("apply", parents=[common], help="create or update the district from a TOML file",
                      description="Bring the database to what the district file says (resources/"
                                  "district.example.toml shows every section). Idempotent; things removed from "
                                  "the file are retired, never deleted.")
    ap.add_argument("file", metavar="FILE.toml")
    ap.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")
    ap.set_defaults(func=cmd_district_apply)
    ex = d.add_parser("export", parents=[common], help="write the district as a district file")
    ex.add_argument("file", metavar="FILE.toml", help="the file to write ('-' for standard output)")
    ex.set_defaults(func=cmd_district_export)

    st = sub.add_parser("staff", help="staff accounts").add_subparsers(dest="staff_command", metavar="ACTION",
                                                                      required=True)
    a = st.add_parser("add", parents=[common], help="add a technician or admin")
    a.add_argument("username")
    a.add_argument("--first-name", required=True)
    a.add_argument("--last-name", required=True)
    a.add_argument("--email")
    a.add_argument("--role", default="technician", choices=["technician", "admin"])
    a.add_argument("--badge", help="the badge code their badge scans as")
    a.set_defaults(func=cmd_staff_add)
    for name, fn, text in (("disable", cmd_staff_disable, "disable a leaver's account (history stays)"),
                           ("enable", cmd_staff_enable, "enable a disabled account again"),
                           ("unlock", cmd_staff_unlock, "lift a sign-in lockout")):
        p = st.add_parser(name, parents=[common], help=text)
        p.add_argument("username")
        p.set_defaults(func=fn)
    sr = st.add_parser("set-role", parents=[common], help="make someone a technician or an admin")
    sr.add_argument("username")
    sr.add_argument("role", choices=["technician", "admin"])
    sr.set_defaults(func=cmd_staff_set_role)
    for name, fn, what in (("reset-pin", cmd_staff_reset_pin, "PIN"),
                           ("reset-password", cmd_staff_reset_password, "password")):
        p = st.add_parser(name, parents=[common], help=f"set a temporary {what}, changed at the next sign-in",
                          description=f"Prints a one-time temporary {what}, or with --stdin reads it from standard "
                                      "input (one line). It must be changed at the next sign-in.")
        p.add_argument("username")
        p.add_argument("--stdin", action="store_true", help=f"read the temporary {what} from standard input")
        p.set_defaults(func=fn)
    ls = st.add_parser("list", parents=[common], help="staff accounts")
    ls.add_argument("--all", action="store_true", help="include disabled accounts")
    ls.set_defaults(func=cmd_staff_list)
    im = st.add_parser("import", parents=[common], help="add or update staff from a roster CSV",
                       description="Columns: username, first_name, last_name, email, role, badge. Existing "
                                   "usernames are updated; nobody is disabled by an import.")
    im.add_argument("file", metavar="FILE.csv")
    im.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")
    im.set_defaults(func=cmd_staff_import)
