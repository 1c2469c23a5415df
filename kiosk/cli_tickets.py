"""`kiosk ticket assign|note|status|resolve|close|auto-close` and `kiosk repair add`: the ticket lifecycle.

They call the same use-cases as the technician screens (:mod:`kiosk.domain.ticket_work`), acting as the staff
member named by ``--as USERNAME`` (the audit log and the ticket's events record who did it).
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from kiosk.domain.models import TicketStatus


def _actor(db: Any, username: str | None) -> Any:
    from kiosk.cli import CliError
    from kiosk.domain import ticket_work
    from kiosk.domain.db import Actor

    if not username:
        raise CliError("say who is doing this: --as USERNAME (a technician's or admin's username)")
    with db.unit() as ctx:
        user = ticket_work.staff_by_username(ctx.session, username)
        return Actor(staff_id=user.id, label="cli")


def _show(card: Any, args: argparse.Namespace, out: TextIO, what: str) -> None:
    if args.json:
        from dataclasses import asdict

        out.write(json.dumps(asdict(card), indent=2, default=str) + "\n")
        return
    extra = ""
    if card.closes_on is not None:
        extra = f"; closes by itself after {card.closes_on.isoformat()} unless the reporter says not solved"
    if card.survey:
        extra += f"; survey {card.survey}"
    out.write(f"{card.number}: {what}; now {card.status.replace('_', ' ')}"
              f"{', assigned to ' + card.assignee if card.assignee else ''}{extra}\n")


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import ticket_work

    db = _open(args)
    action = args.ticket_action
    if action == "auto-close":
        with db.unit() as ctx:
            result = ticket_work.auto_close(ctx, days=args.days)
        if args.json:
            out.write(json.dumps({"closed": list(result.closed), "surveys": result.surveys,
                                  "waiting": result.waiting, "left_to_district": result.left_to_district},
                                 indent=2) + "\n")
        elif result.left_to_district:
            out.write(f"this is an enrolled kiosk: the district service closes resolved tickets (one writer, so a "
                      f"ticket is never closed and surveyed twice); {result.waiting} resolved here, nothing closed\n")
        else:
            out.write(f"closed {len(result.closed)} resolved tickets ({result.surveys} surveys created); "
                      f"{result.waiting} still waiting\n")
            for number in result.closed:
                out.write(f"  {number}\n")
        return 0
    actor = _actor(db, args.as_user)
    with db.unit(actor) as ctx:
        if action == "assign":
            card = ticket_work.assign(ctx, args.number, None if args.to in ("-", "none") else args.to)
            what = f"assigned to {card.assignee}" if card.assignee else "unassigned"
        elif action == "note":
            card = ticket_work.add_note(ctx, args.number, args.text, public=args.public)
            what = "public note added" if args.public else "internal note added"
        elif action == "status":
            card = ticket_work.set_status(ctx, args.number, args.status, args.note)
            what = f"moved to {args.status.replace('_', ' ')}"
        elif action == "resolve":
            card = ticket_work.resolve(ctx, args.number, args.resolution, code=args.code, cause=args.cause)
            what = "resolved" + (f" ({args.code.strip().lower().replace(' ', '_').replace('-', '_')})"
                                 if args.code else "")
        else:
            card = ticket_work.close(ctx, args.number, args.note)
            what = "closed"
    _show(card, args, out, what)
    return 0


def _repair(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import ticket_work

    db = _open(args)
    actor = _actor(db, args.as_user)
    from kiosk.domain import parts

    with db.unit(actor) as ctx:  # the ticket form's use-case: a catalogue part comes out of stock at its cost
        entered = parts.log_repair_entry(ctx, args.ticket, action=args.action, minutes=args.minutes,
                                         parts=args.parts, cost=args.cost, part=args.part)
    done, use = entered.logged, entered.part
    if args.json:
        out.write(json.dumps({"ticket": done.ticket.number, "minutes": done.minutes,
                              "parts_cost_cents": done.parts_cost_cents, "assigned": done.assigned,
                              "ticket_minutes": done.ticket.minutes,
                              "ticket_parts_cost_cents": done.ticket.parts_cost_cents,
                              "part": None if use is None else {"code": use.part, "quantity": use.quantity,
                                                                 "stock_left": use.stock_left, "low": use.low}},
                             indent=2) + "\n")
    else:
        cost = f", parts {ticket_work.money(done.parts_cost_cents)}" if done.parts_cost_cents is not None else ""
        stock = "" if use is None else (f"; {use.quantity} x {use.part} taken from stock, {use.stock_left} left"
                                        f"{' (low: reorder)' if use.low else ''}")
        out.write(f"{done.ticket.number}: repair logged ({done.minutes} min{cost}){stock}"
                  f"{'; assigned to ' + (done.ticket.assignee or '') if done.assigned else ''}; ticket total "
                  f"{done.ticket.minutes} min, parts {ticket_work.money(done.ticket.parts_cost_cents)}\n")
    return 0


def _minutes(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"minutes must be a whole number, not {value!r}") from None
    if not 0 <= n <= 24 * 60:
        raise argparse.ArgumentTypeError("minutes must be from 0 to 1440")
    return n


def add_ticket_actions(tk: Any, common: argparse.ArgumentParser) -> None:
    """The lifecycle actions under `kiosk ticket` (``tk`` is its sub-parsers object)."""
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--as", dest="as_user", metavar="USERNAME", help="the technician doing it (required)")
    a = tk.add_parser("assign", parents=[common, who], help="assign a ticket to a technician")
    a.add_argument("number")
    a.add_argument("to", metavar="USERNAME", help="the technician's username ('none' to unassign)")
    n = tk.add_parser("note", parents=[common, who], help="add a note (internal unless --public)")
    n.add_argument("number")
    n.add_argument("text")
    n.add_argument("--public", action="store_true", help="the reporter sees it")
    st = tk.add_parser("status", parents=[common, who], help="move a ticket to another status")
    st.add_argument("number")
    st.add_argument("status", choices=[s.value for s in TicketStatus])
    st.add_argument("--note", default=None, help="a note for the change (the resolution when resolving)")
    rs = tk.add_parser("resolve", parents=[common, who], help="resolve a ticket (it closes by itself later)")
    rs.add_argument("number")
    rs.add_argument("resolution", help="what fixed it (the reporter reads this)")
    rs.add_argument("--resolution", "--code", dest="code", metavar="CODE", default=None,
                    help="a resolution code from the district's list (kiosk desk show), e.g. part_replaced")
    rs.add_argument("--cause", default=None, help="accidental, intentional, wear, defect or unknown")
    cl = tk.add_parser("close", parents=[common, who], help="close a ticket now (creates its survey)")
    cl.add_argument("number")
    cl.add_argument("--note", default=None)
    ac = tk.add_parser("auto-close", parents=[common],
                       help="close resolved tickets whose waiting days are over (the district's rule)")
    ac.add_argument("--days", type=int, default=None, help="business days to wait (default: the district's)")
    for p, name in ((a, "assign"), (n, "note"), (st, "status"), (rs, "resolve"), (cl, "close"),
                    (ac, "auto-close")):
        p.set_defaults(func=_run, ticket_action=name)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--as", dest="as_user", metavar="USERNAME", help="the technician doing it (required)")
    rp = sub.add_parser("repair", help="repairs").add_subparsers(dest="repair_command", metavar="ACTION",
                                                                 required=True)
    add = rp.add_parser("add", parents=[common, who], help="log a repair on a ticket")
    add.add_argument("--ticket", required=True, help="the ticket number")
    add.add_argument("--action", required=True, help="what was done")
    add.add_argument("--part", default=None, metavar="SKU[:QTY]",
                     help="a part from the catalogue (kiosk parts list): taken out of the ticket's campus stock at "
                          "its unit cost")
    add.add_argument("--parts", default=None, help="parts used as free text (a catalogue code first, e.g. "
                                                   "'KB-3110 x2', is taken from stock like --part)")
    add.add_argument("--minutes", type=_minutes, required=True)
    add.add_argument("--cost", default=None, help="the free-text parts' cost, e.g. 12.50")
    add.set_defaults(func=_repair)
