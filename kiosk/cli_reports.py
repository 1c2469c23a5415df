"""`kiosk report`, `kiosk escalate`, `kiosk mail send` and `kiosk status export`: service management commands."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from kiosk.domain.errors import InvalidInput


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain.reports import generate
    from kiosk.domain.reports.render import render

    fmt = next((f for f in ("json", "csv", "html", "pdf") if getattr(args, f"as_{f}", False)), None)
    if fmt is None:
        fmt = "json" if getattr(args, "json", False) else "text"
    if fmt == "pdf" and not args.out:
        raise InvalidInput("--pdf needs --out FILE")
    db = _open(args)
    try:
        with db.unit() as ctx:
            report = generate(ctx.session, args.name, now=ctx.clock.now(), campus=args.campus, week=args.week,
                              first=args.date_from, last=args.date_to)
        data = render(report, fmt)
    finally:
        db.dispose()
    if args.out:
        path = Path(args.out)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        print(f"wrote {path}", file=out)
    else:
        assert isinstance(data, str)
        out.write(data)
    return 0


def cmd_escalate(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import escalation

    db = _open(args)
    try:
        with db.unit() as ctx:
            result = escalation.run(ctx)
    finally:
        db.dispose()
    for r in result.raised:
        print(f"{r.level.value:8} {r.ticket} {r.clock}" + (f" -> {', '.join(r.notified)}" if r.notified else ""),
              file=out)
    print(f"checked {result.checked} open tickets, {len(result.raised)} new escalations", file=out)
    return 0


def cmd_mail_send(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.domain import mail

    settings = mail.SmtpSettings.from_env()
    db = _open(args)
    total_sent = total_failed = 0
    try:
        while True:
            result = mail.send_due(db, settings)
            total_sent += result.sent
            total_failed += result.failed
            if result.failed or result.sent < settings.batch:
                break
    finally:
        db.dispose()
    print(f"sent {total_sent}, failed {total_failed} (kept in the queue for a later retry)", file=out)
    if result.error:
        print(f"kiosk: mail server: {result.error}", file=sys.stderr)
    return 0 if total_failed == 0 else 1


def cmd_status_export(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.cli import _open
    from kiosk.server.status_page import export_static

    db = _open(args)
    try:
        files = export_static(db, Path(args.directory))
    finally:
        db.dispose()
    print(f"wrote {len(files)} pages to {args.directory}", file=out)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from kiosk.domain.reports import REPORTS

    names = ", ".join(REPORTS)
    rp = sub.add_parser("report", parents=[common], help=f"district reports ({names})",
                        description="Reports: " + "; ".join(f"{k}: {v.title}" for k, v in REPORTS.items()))
    rp.add_argument("name", choices=list(REPORTS), metavar="NAME", help=names)
    rp.add_argument("--campus", help="campus code (default: the whole district)")
    rp.add_argument("--from", dest="date_from", type=_date, help="first day (YYYY-MM-DD), with --to")
    rp.add_argument("--to", dest="date_to", type=_date, help="last day, inclusive")
    rp.add_argument("--week", help="an ISO week, e.g. 2026-W38 (default: last complete week)")
    fmt = rp.add_mutually_exclusive_group()
    fmt.add_argument("--csv", dest="as_csv", action="store_true")
    fmt.add_argument("--html", dest="as_html", action="store_true")
    fmt.add_argument("--pdf", dest="as_pdf", action="store_true", help="needs --out")
    rp.add_argument("--out", help="write to this file instead of standard output")
    rp.set_defaults(func=cmd_report)

    sub.add_parser("escalate", parents=[common], help="check SLA clocks once and escalate").set_defaults(
        func=cmd_escalate)

    ml = sub.add_parser("mail", help="the outgoing mail queue").add_subparsers(dest="mail_command",
                                                                              metavar="ACTION", required=True)
    ml.add_parser("send", parents=[common], help="send queued mail now (SMTP settings: KIOSK_SMTP_*)").set_defaults(
        func=cmd_mail_send)

    st = sub.add_parser("status", help="the public campus status page").add_subparsers(
        dest="status_command", metavar="ACTION", required=True)
    ex = st.add_parser("export", parents=[common], help="write the status pages as static HTML files")
    ex.add_argument("directory")
    ex.set_defaults(func=cmd_status_export)
