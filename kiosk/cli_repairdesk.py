"""`kiosk loaner`, `kiosk walkin`, `kiosk parts`, `kiosk triage`, `kiosk fees`, `kiosk depot`, `kiosk desk`: the
repair desk from the command line, through the same use-cases as the kiosk's screens."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, TextIO


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _minutes(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of minutes: {value!r}") from None
    if not 0 <= n <= 24 * 60:
        raise argparse.ArgumentTypeError("minutes must be from 0 to 1440")
    return n


def _count(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None


def _money(value: str) -> int:
    """Dollars (12.50 or $12.50) as cents."""
    text = value.strip().lstrip("$").replace(",", "")
    try:
        cents = round(float(text) * 100)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an amount of money: {value!r}") from None
    if cents < 0 or cents > 10_000_000:
        raise argparse.ArgumentTypeError("the amount must be from 0 to 100,000 dollars")
    return int(cents)


def _json(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(obj, indent=2, default=str) + "\n")


def _staff_actor(session: Any, username: str | None, label: str) -> Any:
    from sqlalchemy import func, select

    from kiosk.domain.db import Actor
    from kiosk.domain.errors import NotFound
    from kiosk.domain.models import StaffUser

    if not username:
        return Actor(label=label)
    staff = session.scalars(select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower())
                            ).one_or_none()
    if staff is None or not staff.active:
        raise NotFound(f"no active staff account {username!r}")
    return Actor(staff_id=staff.id, label=label)


# ---------------------------------------------------------------------------------------------
# loaners
# ---------------------------------------------------------------------------------------------


def _loan_line(v: Any) -> str:
    extra = ""
    if v.state == "overdue":
        extra = f", {v.days_late} day(s) late"
    if v.state == "void":
        extra = f", VOID: checked out first {v.beaten_by or 'elsewhere'}"
    return (f"{v.loaner_tag:<12} {v.state:<8} to {v.reporter:<16} due {v.due_on.isoformat()}"
            f"{'  for ' + v.for_tag if v.for_tag else ''}{'  at ' + v.kiosk if v.kiosk else ''}{extra}")


def cmd_loaner_out(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import loaners
    from kiosk.domain.db import Actor

    db = _open(args)
    with db.unit(Actor(label="cli")) as ctx:
        view = loaners.check_out(ctx, loaner_tag=args.tag, reporter=args.to, for_tag=args.for_tag, due=args.due)
    if args.json:
        _json({**view.as_dict(), "receipt": view.receipt_payload}, out)
    else:
        out.write(f"lent {view.loaner_tag} to {view.reporter} until {view.due_on.isoformat()}"
                  f"{' for ' + view.for_tag if view.for_tag else ''}"
                  f"{' (ticket ' + view.ticket + ')' if view.ticket else ''}\n")
    return 0


def cmd_loaner_in(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import loaners
    from kiosk.domain.db import Actor

    db = _open(args)
    with db.unit(Actor(label="cli")) as ctx:
        view = loaners.check_in(ctx, loaner_tag=args.tag)
    if args.json:
        _json(view.as_dict(), out)
    else:
        late = f", {view.days_late} day(s) late" if view.days_late else ", on time"
        out.write(f"{view.loaner_tag} is back from {view.reporter}{late}\n")
    return 0


def cmd_loaner_list(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import devices, loaners

    db = _open(args)
    with db.unit() as ctx:
        now = ctx.clock.now()
        views = loaners.list_loans(ctx.session, now, campus=args.campus, overdue=args.overdue)
        pools = loaners.pool(ctx.session, now, None if not args.campus else
                             devices.find_campus(ctx.session, args.campus).id)
    if args.json:
        _json({"loans": [v.as_dict() for v in views],
               "pool": [{"campus": p.campus, "loaners": p.loaners, "available": p.available, "out": p.out,
                         "overdue": p.overdue, "conflicts": p.conflicts} for p in pools]}, out)
        return 0
    for p in pools:
        out.write(f"{p.campus}: {p.loaners} loaners, {p.available} available, {p.out} out, {p.overdue} overdue"
                  f"{f', {p.conflicts} conflict(s)' if p.conflicts else ''}\n")
    for v in views:
        out.write(_loan_line(v) + "\n")
    out.write(f"{len(views)} loan(s){' overdue' if args.overdue else ''}\n")
    return 0


# ---------------------------------------------------------------------------------------------
# settings
# ---------------------------------------------------------------------------------------------


def cmd_desk_show(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import desk_settings

    db = _open(args)
    with db.unit() as ctx:
        values = desk_settings.all_values(ctx.session)
    if args.json:
        _json(values, out)
    else:
        for key, value in values.items():
            out.write(f"{key} = {json.dumps(value)}\n    {desk_settings.SETTINGS[key].description}\n")
    return 0


def cmd_desk_set(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import CliError, _open
    from kiosk.domain import desk_settings

    db = _open(args)
    with db.unit(_kiosk_actor(db)) as ctx:  # district data: refused on an enrolled kiosk
        for item in args.assignments:
            key, sep, text = item.partition("=")
            if not sep:
                raise CliError(f"expected KEY=VALUE, got {item!r}")
            value = desk_settings.set_value(ctx, key.strip(), desk_settings.parse_value(key.strip(), text))
            out.write(f"{key.strip()} = {json.dumps(value)}\n")
    return 0


# ---------------------------------------------------------------------------------------------
# walk-ins, parts, triage, depot, fees
# ---------------------------------------------------------------------------------------------


def cmd_walkin(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import CliError, _open
    from kiosk.domain import parts, tickets, walkins

    db = _open(args)
    if not args.by:
        raise CliError("say who fixed it: --by USERNAME")
    with db.unit() as ctx:
        actor = _staff_actor(ctx.session, args.by, "cli")
    with db.unit(actor) as ctx:
        result = walkins.log_walkin(ctx, tag=args.tag, action=args.action, minutes=args.minutes,
                                    reporter=args.reporter, resolution_code=args.code, cause=args.cause)
        use = None
        if args.part:
            ticket = tickets.get_ticket(ctx.session, result.number)
            from sqlalchemy import select

            from kiosk.domain.models import RepairLog

            repair = ctx.session.scalars(select(RepairLog).where(RepairLog.ticket_id == ticket.id)).one()
            use = parts.use_in_repair(ctx, repair, args.part)
            repair.parts = use.part
            repair.parts_cost_cents = use.cost_cents
    if args.json:
        _json({**result.__dict__, "part": use.__dict__ if use else None}, out)
    else:
        out.write(f"walk-in {result.number}: {result.tag} fixed by {result.technician} in {result.minutes} min "
                  f"({result.resolution_code})\n")
        if use is not None:
            out.write(f"  used {use.part}; {use.stock_left} left{' (LOW)' if use.low else ''}\n")
    return 0


def cmd_parts_add(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import parts

    db = _open(args)
    with db.unit(_kiosk_actor(db)) as ctx:  # district data: refused on an enrolled kiosk
        p = parts.add_part(ctx, code=args.code, name=args.name, unit_cost_cents=args.cost, reorder_level=args.reorder,
                           fits=args.fits)
        out.write(f"part {p.code}: {p.name}, ${p.unit_cost_cents / 100:,.2f}, reorder at {p.reorder_level}\n")
    return 0


def _kiosk_actor(db: Any) -> Any:
    """On an enrolled kiosk, the command acts as that kiosk (its own campus only)."""
    import uuid

    from kiosk.domain.db import Actor
    from kiosk.sync import local

    kiosk_id = local.state(db, "kiosk_id")
    return Actor(kiosk_id=uuid.UUID(kiosk_id), label="cli") if kiosk_id else Actor(label="cli")


def cmd_parts_stock(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import parts

    db = _open(args)
    with db.unit(_kiosk_actor(db)) as ctx:
        if args.add is not None:
            n = parts.receive(ctx, args.code, args.add, campus=args.campus)
            out.write(f"{parts.normalize_code(args.code)}: received {args.add}, {n} in stock\n")
            return 0
        if args.count is not None:
            n = parts.count(ctx, args.code, args.count, campus=args.campus)
            out.write(f"{parts.normalize_code(args.code)}: counted {n}\n")
            return 0
        part = parts.get_part(ctx.session, args.code)
        lines = [x for x in parts.stock_lines(ctx.session, campus=args.campus) if x.code == part.code]
    if args.json:
        _json([x.as_dict() for x in lines], out)
    else:
        for x in lines:
            out.write(f"{x.campus:<6} {x.code:<16} {x.stock:>5} (reorder at {x.reorder_level}){'  LOW' if x.low else ''}\n")
    return 0


def cmd_parts_count(args: argparse.Namespace, out: TextIO) -> int:
    """A stock count from a file of part-label scans (one per line; '-' reads standard input)."""
    import sys
    from dataclasses import replace

    from kiosk.cli import CliError, _open
    from kiosk.domain import stock_count
    from kiosk.domain.devices import find_campus
    from kiosk.domain.models import Kiosk

    if args.file == "-":
        scans = sys.stdin.read().splitlines()
    else:
        try:
            with open(args.file, encoding="utf-8-sig") as fh:
                scans = fh.read().splitlines()
        except OSError as exc:
            raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    db = _open(args)
    actor = _kiosk_actor(db)
    with db.unit(actor) as ctx:
        if args.by:
            actor = replace(actor, staff_id=_staff_actor(ctx.session, args.by, "cli").staff_id)
        if args.campus:
            campus_id = find_campus(ctx.session, args.campus).id
        elif actor.kiosk_id is not None and (k := ctx.session.get(Kiosk, actor.kiosk_id)) is not None:
            campus_id = k.campus_id
        else:
            raise CliError("which campus? give --campus")
        counted = stock_count.tally(ctx.session, scans)
    with db.unit(actor) as ctx:
        if args.dry_run:
            sheet, adjusted = stock_count.sheet(ctx.session, campus_id, counted), None
        else:
            applied = stock_count.apply(ctx, campus_id, counted)
            sheet, adjusted = applied.sheet, applied.adjusted
    if args.json:
        _json({"campus": sheet.campus, "applied": adjusted is not None,
               "lines": [{"code": x.code, "name": x.name, "expected": x.expected, "counted": x.counted,
                          "difference": x.difference} for x in sheet.lines],
               "adjusted": [x.code for x in adjusted or ()]}, out)
        return 0
    for x in sheet.lines:
        out.write(f"{x.code:<16} expected {x.expected:>5}  counted {x.counted:>5}  "
                  f"{format(x.difference, '+d') if x.difference else 'ok'}\n")
    if adjusted is None:
        out.write(f"{sheet.campus}: dry run, {sum(1 for x in sheet.lines if x.difference)} part(s) would be "
                  "adjusted; nothing was written\n")
    else:
        out.write(f"{sheet.campus}: {len(adjusted)} part(s) adjusted in the stock ledger\n")
    return 0


def cmd_parts_list(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import parts

    db = _open(args)
    with db.unit() as ctx:
        lines = parts.stock_lines(ctx.session, campus=args.campus, low_only=args.low)
    if args.json:
        _json([x.as_dict() for x in lines], out)
        return 0
    for x in lines:
        out.write(f"{x.campus:<6} {x.code:<16} {x.name[:40]:<40} {x.stock:>5} / reorder {x.reorder_level:<4}"
                  f" ${x.unit_cost_cents / 100:,.2f}{'  LOW' if x.low else ''}\n")
    out.write(f"{len(lines)} line(s), {sum(1 for x in lines if x.low)} low\n")
    return 0


def cmd_parts_use(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import parts

    db = _open(args)
    with db.unit() as ctx:
        actor = _staff_actor(ctx.session, args.by, "cli")
    with db.unit(actor) as ctx:
        _, use = parts.log_repair_with_part(ctx, args.number, action=args.action, minutes=args.minutes,
                                            part=args.part, quantity=args.qty)
    if args.json:
        _json({k: str(v) if k == "repair_id" else v for k, v in use.__dict__.items()}, out)
    else:
        out.write(f"repair logged with {use.quantity} x {use.part} (${use.cost_cents / 100:,.2f}); "
                  f"{use.stock_left} left{' (LOW: reorder)' if use.low else ''}\n")
    return 0


def cmd_triage(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import CliError, _open
    from kiosk.domain import triage

    if not args.cause and not args.code:
        raise CliError("give --cause and/or --code")
    db = _open(args)
    with db.unit() as ctx:
        actor = _staff_actor(ctx.session, args.by, "cli")
    with db.unit(actor) as ctx:
        view = triage.triage(ctx, args.number, args.cause) if args.cause else None
        if args.code:
            triage.set_resolution_code(ctx, args.number, args.code)
    if args.json:
        _json(view.as_dict() if view else {"ticket": args.number, "resolution_code": args.code}, out)
        return 0
    if view is not None:
        out.write(f"{view.ticket}: {view.cause}, {view.coverage_text}\n")
        if view.incident_number:
            out.write(f"  damage incident {view.incident_number} of {view.school_year} for this reporter: "
                      f"{view.policy_action}\n")
    if args.code:
        out.write(f"{args.number}: resolution code {args.code}\n")
    return 0


def cmd_plan_add(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import triage

    db = _open(args)
    with db.unit(_kiosk_actor(db)) as ctx:  # district data: refused on an enrolled kiosk
        plan = triage.add_plan(ctx, name=args.name, claims_per_year=args.claims, model=args.model,
                               purchase_order=args.purchase_order)
        out.write(f"plan {plan.name}: {plan.claims_per_year} claims per school year for "
                  f"{plan.model or ''}{' / ' if plan.model and plan.purchase_order else ''}{plan.purchase_order or ''}\n")
    return 0


def cmd_depot(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import triage

    db = _open(args)
    with db.unit() as ctx:
        actor = _staff_actor(ctx.session, args.by, "cli")
    with db.unit(actor) as ctx:
        row = triage.record_depot(ctx, args.number, vendor=args.vendor, case_number=args.case,
                                  shipped_on=args.shipped, returned_on=args.returned, cost_cents=args.cost,
                                  done=args.done)
        data: dict[str, Any] = {"vendor": row.vendor, "case_number": row.case_number, "shipped_on": row.shipped_on,
                "returned_on": row.returned_on, "cost_cents": row.cost_cents, "checklist": row.checklist}
    if args.json:
        _json(data, out)
    else:
        out.write(f"{args.number}: {data['vendor']} case {data['case_number'] or '-'}, shipped "
                  f"{data['shipped_on'] or '-'}, returned {data['returned_on'] or '-'}\n")
        for i, (item, done) in enumerate((data["checklist"] or {}).items(), 1):
            out.write(f"  [{'x' if done else ' '}] {i}. {item}\n")
    return 0


def cmd_fees_add(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import triage

    db = _open(args)
    with db.unit() as ctx:
        actor = _staff_actor(ctx.session, args.by, "cli")
    with db.unit(actor) as ctx:
        fee = triage.record_fee(ctx, args.number, amount_cents=args.amount, reason=args.reason)
        out.write(f"fee of ${fee.amount_cents / 100:,.2f} recorded on {args.number}\n")
    return 0


def cmd_fees_export(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from kiosk.cli import _open
    from kiosk.domain import triage

    db = _open(args)
    with db.unit() as ctx:
        text = triage.fees_csv(ctx.session, first=args.first, last=args.last, campus=args.campus)
    rows = text.count("\r\n") - 1
    if args.out == "-":
        out.write(text)
        return 0
    target = Path(args.out)
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8-sig", newline="")
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"wrote {rows} fee(s) to {target}", file=sys.stderr if args.json else out)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    ln = sub.add_parser("loaner", help="loaner devices: lend, take back, list").add_subparsers(
        dest="loaner_command", metavar="ACTION", required=True)
    lo = ln.add_parser("out", parents=[common], help="lend a loaner to a reporter")
    lo.add_argument("--tag", required=True, help="the loaner's asset tag")
    lo.add_argument("--to", required=True, help="the reporter's school ID number or email")
    lo.add_argument("--for", dest="for_tag", help="the broken device's asset tag")
    lo.add_argument("--due", type=_date, help="due date YYYY-MM-DD (default: the district's loan length)")
    lo.set_defaults(func=cmd_loaner_out)
    li = ln.add_parser("in", parents=[common], help="a loaner comes back")
    li.add_argument("--tag", required=True, help="the loaner's asset tag")
    li.set_defaults(func=cmd_loaner_in)
    ll = ln.add_parser("list", parents=[common], help="loaners out, the pool of each campus")
    ll.add_argument("--campus")
    ll.add_argument("--overdue", action="store_true", help="only loans past their due date")
    ll.set_defaults(func=cmd_loaner_list)

    dk = sub.add_parser("desk", help="the district's repair-desk settings").add_subparsers(
        dest="desk_command", metavar="ACTION", required=True)
    dk.add_parser("show", parents=[common], help="every setting and its value").set_defaults(func=cmd_desk_show)
    ds = dk.add_parser("set", parents=[common], help="set KEY=VALUE (JSON values)")
    ds.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    ds.set_defaults(func=cmd_desk_set)

    wk = sub.add_parser("walkin", parents=[common], help="log a walk-in fixed on the spot (opens and resolves a ticket)")
    wk.add_argument("--tag", required=True, help="the device's asset tag")
    wk.add_argument("--action", required=True, help="what was done")
    wk.add_argument("--minutes", required=True, type=_minutes)
    wk.add_argument("--by", help="the technician's username (required unless signed in)")
    wk.add_argument("--reporter", help="the person's school ID number or email (optional)")
    wk.add_argument("--code", default="repaired_on_site", help="resolution code (default repaired_on_site)")
    wk.add_argument("--cause", help="accidental, intentional, wear, defect or unknown")
    wk.add_argument("--part", help="a part from stock used in the fix (its code)")
    wk.set_defaults(func=cmd_walkin)

    pt = sub.add_parser("parts", help="the parts catalogue and campus stock").add_subparsers(
        dest="parts_command", metavar="ACTION", required=True)
    pa = pt.add_parser("add", parents=[common], help="add or update a catalogue part")
    pa.add_argument("code")
    pa.add_argument("--name", required=True)
    pa.add_argument("--cost", type=_money, required=True, help="unit cost in dollars, e.g. 45.00")
    pa.add_argument("--reorder", type=_count, default=0, help="reorder level (low at or below; 0: not stocked)")
    pa.add_argument("--fits", help="models it fits")
    pa.set_defaults(func=cmd_parts_add)
    ps = pt.add_parser("stock", parents=[common], help="receive or count a part at a campus, or show its stock")
    ps.add_argument("code")
    ps.add_argument("--campus", help="campus code (a kiosk's own campus by default)")
    mode = ps.add_mutually_exclusive_group()
    mode.add_argument("--add", type=_count, help="parts received")
    mode.add_argument("--count", type=_count, help="parts counted on the shelf")
    ps.set_defaults(func=cmd_parts_stock)
    pc = pt.add_parser("count", parents=[common],
                       help="a stock count from part-label scans, one per line (PART:<code> or the code)")
    pc.add_argument("file", metavar="FILE|-", help="the scans ('-': standard input)")
    pc.add_argument("--campus", help="campus code (a kiosk's own campus by default)")
    pc.add_argument("--by", help="the technician's username (required on an enrolled kiosk)")
    pc.add_argument("--dry-run", action="store_true", help="show expected against counted, write nothing")
    pc.set_defaults(func=cmd_parts_count)
    pl = pt.add_parser("list", parents=[common], help="stock of every part, low ones first")
    pl.add_argument("--campus")
    pl.add_argument("--low", action="store_true", help="only parts at or below their reorder level")
    pl.set_defaults(func=cmd_parts_list)
    pu = pt.add_parser("use", parents=[common], help="log a repair with a part from stock")
    pu.add_argument("number", help="the ticket number")
    pu.add_argument("--part", required=True)
    pu.add_argument("--qty", type=_count, default=1)
    pu.add_argument("--action", required=True)
    pu.add_argument("--minutes", required=True, type=_minutes)
    pu.add_argument("--by", required=True, help="the technician's username")
    pu.set_defaults(func=cmd_parts_use)

    tr = sub.add_parser("triage", parents=[common], help="a ticket's cause, coverage and damage incident")
    tr.add_argument("number", help="the ticket number")
    tr.add_argument("--cause", help="accidental, intentional, wear, defect or unknown")
    tr.add_argument("--code", help="resolution code of a resolved ticket")
    tr.add_argument("--by", help="the technician's username")
    tr.set_defaults(func=cmd_triage)

    pn = sub.add_parser("plan", help="accidental-damage plans").add_subparsers(
        dest="plan_command", metavar="ACTION", required=True)
    pna = pn.add_parser("add", parents=[common], help="add or update a plan")
    pna.add_argument("name")
    pna.add_argument("--claims", type=_count, required=True, help="claims per school year")
    pna.add_argument("--model")
    pna.add_argument("--purchase-order")
    pna.set_defaults(func=cmd_plan_add)

    dp = sub.add_parser("depot", parents=[common], help="record a depot or vendor repair of a ticket's device")
    dp.add_argument("number")
    dp.add_argument("--vendor", required=True)
    dp.add_argument("--case")
    dp.add_argument("--done", action="append", default=[], metavar="ITEM",
                    help="a checklist item done (its number or text); repeat")
    dp.add_argument("--shipped", type=_date)
    dp.add_argument("--returned", type=_date)
    dp.add_argument("--cost", type=_money)
    dp.add_argument("--by", help="the technician's username")
    dp.set_defaults(func=cmd_depot)

    fe = sub.add_parser("fees", help="fees for the business office").add_subparsers(
        dest="fees_command", metavar="ACTION", required=True)
    fa = fe.add_parser("add", parents=[common], help="record a fee on a ticket")
    fa.add_argument("number")
    fa.add_argument("--amount", type=_money, required=True)
    fa.add_argument("--reason", required=True)
    fa.add_argument("--by", help="the technician's username")
    fa.set_defaults(func=cmd_fees_add)
    fx = fe.add_parser("export", parents=[common], help="fees as CSV")
    fx.add_argument("--out", required=True, help="the CSV file to write ('-' for standard output)")
    fx.add_argument("--first", type=_date)
    fx.add_argument("--last", type=_date)
    fx.add_argument("--campus")
    fx.set_defaults(func=cmd_fees_export)
