"""`kiosk server` (the central service, enrollment codes, revocation), `kiosk enroll` and `kiosk sync`."""

from __future__ import annotations

import argparse
import json
import os
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from kiosk.domain.db import Database

from kiosk.domain.errors import InvalidInput

EXIT_REFUSED = 3  # `kiosk sync`: the round worked, but changes the server refused are waiting (listed)


def _database(url: str | None, **engine_kwargs: Any) -> Database:
    from kiosk.domain import schema
    from kiosk.domain.db import Database
    from kiosk.settings import resolve_database_url

    db = Database(resolve_database_url(url), **engine_kwargs)
    schema.upgrade(db.engine)
    return db


def _server_url(args: argparse.Namespace) -> str | None:
    return getattr(args, "db", None) or getattr(args, "url", None)


def _emit(args: argparse.Namespace, out: TextIO, data: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        out.write(json.dumps(data, indent=2, default=str) + "\n")
    else:
        out.write(text + "\n")


def cmd_server(args: argparse.Namespace, out: TextIO) -> int:
    import uvicorn

    if bool(args.tls_cert) != bool(args.tls_key):
        raise InvalidInput("give both --tls-cert and --tls-key, or neither")
    from kiosk.settings import current

    settings = current()  # KIOSK_SERVER_THREADS / _WORKERS, checked (a bad value stops here, naming it)
    if args.threads is None:
        args.threads = settings.server_threads
    if not 1 <= args.threads <= 1000:
        raise InvalidInput("--threads must be between 1 and 1000")
    if args.db_connections is None:
        args.db_connections = args.threads
    if not 1 <= args.db_connections <= 1000:
        raise InvalidInput("--db-connections must be between 1 and 1000")
    if args.workers is None:
        args.workers = settings.server_workers
    if not 1 <= args.workers <= 64:
        raise InvalidInput("--workers must be between 1 and 64")
    _job_settings(args)
    from kiosk.server.jobs import JobSettings

    JobSettings.from_env()  # the jobs' settings as the options made them: a bad KIOSK_JOBS_* stops the start here
    config = {"url": _server_url(args), "threads": args.threads, "connections": args.db_connections}
    db = _database(config["url"])  # upgrades the schema once, before any worker starts
    where = db.engine.url.render_as_string(hide_password=True)
    scheme = "https" if args.tls_cert else "http"
    common: dict[str, Any] = dict(host=args.host, port=args.port, log_level=args.log_level, access_log=False,
                                  ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key, proxy_headers=True,
                                  forwarded_allow_ips=args.forwarded_allow_ips)
    workers = f", {args.workers} worker processes" if args.workers > 1 else ""
    out.write(f"kiosk server on {scheme}://{args.host}:{args.port} (OpenAPI at /openapi.json), "
              f"database {where}{workers}\n")
    out.flush()
    if args.workers == 1:
        db.dispose()
        uvicorn.run(server_app(config), **common)
        return 0
    # Several processes, each with its own pool and request threads; they share nothing but the database
    # (the scheduled jobs take a PostgreSQL advisory lock, so each runs in one process at a time).
    db.dispose()
    os.environ[WORKER_CONFIG_ENV] = json.dumps(config)  # written for the worker processes (they inherit it)
    uvicorn.run("kiosk.cli_sync:worker_app", factory=True, workers=args.workers, **common)
    return 0


WORKER_CONFIG_ENV = "KIOSK_SERVER_WORKER_CONFIG"


def server_app(config: dict[str, Any]) -> Any:
    """The service's app on its own database pool: one pooled connection per request thread (plus a few for
    the scheduled jobs), so requests never queue for a connection. No ping before each use: after a database
    restart the first requests get 503 (the kiosks retry) and the pool replaces its connections."""
    from kiosk.server.app import create_app

    db = _database(config["url"], pool_size=config["connections"], max_overflow=5, pool_pre_ping=False)
    return create_app(db, request_threads=config["threads"])


def worker_app() -> Any:
    """Each worker process's app (uvicorn imports this by name in every worker)."""
    from kiosk.settings import current

    raw = current().server_worker_config
    if not raw:
        raise RuntimeError(f"{WORKER_CONFIG_ENV} is not set: start workers with `kiosk server --workers N`")
    return server_app(json.loads(raw))


def _job_settings(args: argparse.Namespace) -> None:
    """The options set the jobs' KIOSK_JOBS_* variables (so worker processes inherit them); the jobs read them
    through the process's settings (kiosk.settings.current() notices the change)."""
    import logging

    if args.no_jobs:
        os.environ["KIOSK_JOBS"] = "off"
    for option, var in (("escalate_every", "KIOSK_JOBS_ESCALATE_SECONDS"), ("mail_every", "KIOSK_JOBS_MAIL_SECONDS"),
                        ("prune_every", "KIOSK_JOBS_PRUNE_SECONDS")):
        value = getattr(args, option)
        if value is not None:
            if value < 0:
                raise InvalidInput(f"--{option.replace('_', '-')} must be 0 (off) or a number of seconds")
            os.environ[var] = str(value)
    logger = logging.getLogger("kiosk")
    if not logger.handlers:  # the jobs' lines, at the server's log level
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(args.log_level.upper())


def cmd_server_prune(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.server import retention

    db = _database(_server_url(args))
    try:
        result = retention.prune(db, dry_run=args.dry_run, stale_days=args.stale_days, op_days=args.op_days)
    finally:
        db.dispose()
    _emit(args, out, {**result.__dict__, "floor": list(result.floor) if result.floor else None},
          result.summary())
    return 0


def cmd_server_enroll(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.server import auth

    db = _database(_server_url(args))
    code, campus, expires = auth.create_enrollment_code(db, args.campus)
    _emit(args, out, {"code": code, "campus": campus, "expires_at": expires},
          f"enrollment code for campus {campus}: {code}\n(one use, expires {expires:%Y-%m-%d %H:%M} UTC; "
          f"on the kiosk: kiosk enroll --server URL {code})")
    return 0


def cmd_server_revoke(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.server import auth

    db = _database(_server_url(args))
    kiosk = auth.revoke(db, args.kiosk)
    _emit(args, out, {"kiosk_id": kiosk.id, "name": kiosk.name, "revoked_at": kiosk.revoked_at},
          f"kiosk {kiosk.name} ({kiosk.id}) revoked at {kiosk.revoked_at:%Y-%m-%d %H:%M} UTC")
    return 0


def cmd_server_conflicts(args: argparse.Namespace, out: TextIO) -> int:
    from sqlalchemy import select

    from kiosk.domain.models import Kiosk, SyncConflict

    db = _database(_server_url(args))
    with db.unit() as ctx:
        rows = ctx.session.execute(
            select(SyncConflict, Kiosk.name).outerjoin(Kiosk, Kiosk.id == SyncConflict.kiosk_id)
            .order_by(SyncConflict.at.desc(), SyncConflict.id.desc()).limit(args.limit)
        ).all()
        data = [{"at": c.at, "table": c.table_name, "row_id": c.row_id, "field": c.field, "kept": c.kept_value,
                 "kept_hlc": c.kept_hlc, "lost": c.lost_value, "lost_hlc": c.lost_hlc, "kiosk": name}
                for c, name in rows]
    if getattr(args, "json", False):
        out.write(json.dumps(data, indent=2, default=str) + "\n")
        return 0
    if not data:
        out.write("no conflicts\n")
    for d in data:
        out.write(f"{d['at']:%Y-%m-%d %H:%M}  {d['table']}.{d['field']} {d['row_id']}: kept {d['kept']!r}, "
                  f"lost {d['lost']!r} (via {d['kiosk'] or 'the server'})\n")
    return 0


def cmd_enroll(args: argparse.Namespace, out: TextIO) -> int:
    import socket

    from kiosk.sync.client import enroll

    db = _database(getattr(args, "url", None))
    name = args.name or socket.gethostname()
    cfg, path = enroll(db, args.server, args.code, name, force=args.force)
    _emit(args, out, {"kiosk_id": cfg.kiosk_id, "campus_id": cfg.campus_id, "config": str(path)},
          f"enrolled as kiosk {name} ({cfg.kiosk_id}); token saved in {path} (owner-only); now run: kiosk sync")
    return 0


def cmd_sync(args: argparse.Namespace, out: TextIO) -> int:
    import threading

    from kiosk.sync import config, local
    from kiosk.sync.client import Syncer, SyncStatus, SyncWorker

    db = _database(getattr(args, "url", None))
    syncer = Syncer(db, config.load(), config_path=config.config_path())
    try:
        if args.every is None:
            report = syncer.sync_once()
            refused = local.refused_changes(db)
            lines = [report.summary()]
            if refused:
                lines.append(f"{len(refused)} change(s) refused by the server are waiting for a technician or "
                             "admin (technician menu, 'Changes the server refused'):")
                lines += [f"  {r.record}: {r.change} ({r.reason})" for r in refused]
            _emit(args, out, {**report.__dict__, "refused": [
                {"seq": r.seq, "record": r.record, "change": r.change, "reason": r.reason, "at": r.at}
                for r in refused]}, "\n".join(lines))
            return EXIT_REFUSED if refused else 0
        worker = SyncWorker(syncer, interval=args.every)

        def show(st: SyncStatus) -> None:
            out.write(f"{st.state}: {st.message} ({st.pending_changes} pending)\n")
            out.flush()

        worker.listeners.append(show)
        worker.start()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            worker.stop()
        return 0
    finally:
        syncer.close()


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    srv = sub.add_parser("server", parents=[common], help="run the central service, or manage kiosks",
                         description="Run the central service: kiosk server --db URL [--host H --port P]")
    srv.add_argument("--db", default=None, help="the district database URL (PostgreSQL, or SQLite for a trial)")
    srv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    srv.add_argument("--port", type=int, default=8750)
    srv.add_argument("--tls-cert", default=None, help="serve HTTPS with this certificate (PEM) ...")
    srv.add_argument("--tls-key", default=None, help="... and this private key (PEM); or put a TLS proxy in front")
    srv.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                     help="proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)")
    srv.add_argument("--threads", type=int, default=None, metavar="N",
                     help="requests whose database work runs at once (default 8; env KIOSK_SERVER_THREADS)")
    srv.add_argument("--workers", type=int, default=None, metavar="N",
                     help="worker processes, each with its own database pool and threads (default 1; env "
                          "KIOSK_SERVER_WORKERS); see docs/sync.md for how many a district needs")
    srv.add_argument("--db-connections", type=int, default=None, metavar="N",
                     help="database connections this process keeps (default: one per request thread)")
    srv.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    srv.add_argument("--no-jobs", action="store_true",
                     help="run no scheduled jobs in this process (escalation, mail, sync retention)")
    srv.add_argument("--escalate-every", type=float, default=None, metavar="SECONDS",
                     help="SLA escalation interval (default 300; 0 = off; env KIOSK_JOBS_ESCALATE_SECONDS)")
    srv.add_argument("--mail-every", type=float, default=None, metavar="SECONDS",
                     help="send due mail every SECONDS (default 60; 0 = off; needs KIOSK_SMTP_HOST)")
    srv.add_argument("--prune-every", type=float, default=None, metavar="SECONDS",
                     help="sync retention interval (default 3600; 0 = off; env KIOSK_JOBS_PRUNE_SECONDS)")
    srv.set_defaults(func=cmd_server)
    actions = srv.add_subparsers(dest="server_command", metavar="ACTION")
    en = actions.add_parser("enroll", parents=[common], help="create a one-time enrollment code for a campus")
    en.add_argument("--campus", required=True, help="campus code or name")
    en.add_argument("--db", default=argparse.SUPPRESS)
    en.set_defaults(func=cmd_server_enroll)
    rv = actions.add_parser("revoke", parents=[common], help="revoke a kiosk's token")
    rv.add_argument("kiosk", help="kiosk id or name")
    rv.add_argument("--db", default=argparse.SUPPRESS)
    rv.set_defaults(func=cmd_server_revoke)

    cf = actions.add_parser("conflicts", parents=[common], help="values that lost a last-writer-wins race")
    cf.add_argument("--limit", type=int, default=50)
    cf.add_argument("--db", default=argparse.SUPPRESS)
    cf.set_defaults(func=cmd_server_conflicts)

    pr = actions.add_parser("prune", parents=[common],
                            help="delete change-log entries every kiosk has pulled, and old applied-op ids")
    pr.add_argument("--dry-run", action="store_true", help="count what would go; change nothing")
    pr.add_argument("--stale-days", type=float, default=30.0,
                    help="a kiosk that has not pulled for this long stops holding the log (it starts over "
                         "with a snapshot when it returns; default 30)")
    pr.add_argument("--op-days", type=float, default=90.0,
                    help="keep applied-operation ids this long (default 90)")
    pr.add_argument("--db", default=argparse.SUPPRESS)
    pr.set_defaults(func=cmd_server_prune)

    ko = sub.add_parser("enroll", parents=[common], help="enroll this kiosk with the central service")
    ko.add_argument("code", help="the one-time code from `kiosk server enroll`")
    ko.add_argument("--server", required=True, help="the service's URL, e.g. https://kiosk.district.example")
    ko.add_argument("--name", default=None, help="this kiosk's name (default: the host name)")
    ko.add_argument("--force", action="store_true", help="enroll again (e.g. after a revocation)")
    ko.set_defaults(func=cmd_enroll)

    sy = sub.add_parser("sync", parents=[common], help="push local edits and pull the campus's changes",
                        description="Push local edits and pull the campus's changes. Exit 0: in sync; 3: the "
                                    "round worked but changes the server refused are waiting (each is listed, "
                                    "every time, until a technician discards it); 2: the round failed.")
    sy.add_argument("--every", type=float, default=None, metavar="SECONDS",
                    help="keep syncing in the background every SECONDS (with backoff) until interrupted")
    sy.set_defaults(func=cmd_sync)
