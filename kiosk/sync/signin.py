"""Staff sign-in on a kiosk (no Qt; call it off the GUI thread): locally, through the server, or offline.

* A kiosk that is not enrolled (standalone, demo) checks the hashes in its own database, exactly as before
  (``kiosk.domain.auth``).
* An enrolled kiosk holds no password, PIN or badge hashes: it sends what was typed to ``POST /v1/signin`` with
  its bearer token; the server checks it, applies the lockout and writes the audit log, naming this kiosk.
* When the server cannot be reached, only a technician who signed in here **with username and password** in
  the last ``OFFLINE_DAYS`` days can sign in, against an argon2id verifier this kiosk made of that password
  at the time. Badge + PIN and admins always need the server. Why: docs/sync.md, "Technician sign-in".

The verifier cache is a JSON file next to the enrollment file (``sync-signin.json`` beside ``sync.json``,
mode 0600, written atomically). It is bound to the enrollment: a kiosk enrolled again (another token), or a
server answer that the token is revoked or unknown, wipes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from argon2 import PasswordHasher
from sqlalchemy import select

from kiosk.domain import audit_log, auth, schema
from kiosk.domain.db import Actor, Ctx, Database
from kiosk.domain.district import local_zone
from kiosk.domain.models import Campus, Kiosk, StaffRole, StaffUser
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.sync import config, local
from kiosk.sync.config import KioskConfig

OFFLINE_DAYS = 14  # 0 switches offline sign-in off: nothing is cached, sign-in then always needs the server
MIN_OFFLINE_PASSWORD = 10  # shorter passwords are not cached: an offline guess would find them too soon
CACHE_SUFFIX = "-signin.json"
# About twice argon2-cffi's default memory (64 MiB) and one more pass: roughly half a second on a kiosk PC,
# which it pays once per online sign-in; an attacker pays it for every guess.
OFFLINE_HASHER = PasswordHasher(time_cost=4, memory_cost=128 * 1024, parallelism=2, hash_len=32, salt_len=16)
MAX_NAME = 64
MAX_PASSWORD = 256
MAX_PIN = 32

WRONG = "Wrong sign-in details."
OFFLINE_BADGE = ("This kiosk cannot reach the district server, and badge + PIN sign-in needs it. If you signed "
                 f"in here with your username and password in the last {OFFLINE_DAYS} days, use those.")
OFFLINE_UNKNOWN = ("This kiosk cannot reach the district server, so sign-in needs it: you have not signed in "
                   f"here with your username and password in the last {OFFLINE_DAYS} days.")
OFFLINE_ADMIN = "This kiosk cannot reach the district server; admins always sign in through the server."

_cache_lock = threading.Lock()


@dataclass(frozen=True)
class SignedIn:
    staff_id: uuid.UUID
    name: str
    admin: bool
    home_campus_id: uuid.UUID | None
    via: Literal["local", "server", "offline"]
    # the temporary secrets the server says must be replaced now ("pin", "password"); None: not known from the
    # server (a local or offline sign-in reads the flags of this database's staff row)
    must_change: frozenset[str] | None = None
    # the service's short-lived staff session for this kiosk (online sign-in only; kept in memory, never logged)
    session: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Refused:
    message: str
    locked_until: datetime | None = None


Outcome = SignedIn | Refused


class _Unreachable(Exception):
    pass


def sign_in(db: Database, secret: str, *, username: str | None = None, badge: str | None = None,
            config_path: Path | None = None, http: Any = None, timeout: float = 10.0) -> Outcome:
    """Sign a staff member in with ``username`` + password or ``badge`` + PIN (``secret``).

    ``config_path`` is the enrollment file (default: ``sync.json`` in the data folder); ``http`` an
    ``httpx.Client`` to use instead of a new one (tests). Never raises for wrong details or a server that is
    down: the answer is a ``SignedIn`` or a ``Refused`` with the message to show.
    """
    if (username is None) == (badge is None):
        raise ValueError("give a username or a badge")
    cfg = _enrollment(db, config_path)
    if isinstance(cfg, Refused):
        return cfg
    if cfg is None:
        return _sign_in_locally(db, secret, username=username, badge=badge)
    path = cache_path(config_path)
    if not secret or len((username or badge or "").strip()) > MAX_NAME or len(secret) > (
            MAX_PIN if badge is not None else MAX_PASSWORD):
        return Refused(WRONG)  # the server would refuse these lengths (422); nothing to check
    try:
        return _sign_in_online(db, cfg, path, secret, username=username, badge=badge, http=http, timeout=timeout)
    except _Unreachable:
        return _sign_in_offline(db, cfg, path, secret, username=username, badge=badge)


# ---------------------------------------------------------------------------------------------- enrollment

def _enrollment(db: Database, config_path: Path | None) -> KioskConfig | Refused | None:
    """This kiosk's enrollment when its database is an enrolled kiosk node, else None (sign in locally)."""
    node = local.state(db, "node_id")
    if node is None:
        return None
    try:
        cfg = config.load(config_path)
    except config.NotEnrolled as exc:
        return Refused(f"This kiosk is enrolled but cannot read its enrollment: {exc}. Ask an admin to enroll "
                       "it again.")
    if cfg.node != node:
        return Refused("This kiosk's enrollment file belongs to another kiosk database; ask an admin to enroll "
                       "it again.")
    return cfg


def _sign_in_locally(db: Database, secret: str, *, username: str | None, badge: str | None) -> Outcome:
    """Not enrolled: the hashes are in this database (standalone and demo kiosks), as before."""
    with db.unit(Actor(label="kiosk")) as ctx:
        result = (auth.sign_in_badge(ctx, badge, secret) if badge is not None
                  else auth.sign_in(ctx, username or "", secret))
        if result.user is None:
            return Refused(result.message, result.locked_until)
        u = result.user
        return SignedIn(u.id, f"{u.first_name} {u.last_name}", u.role == StaffRole.ADMIN, u.lead_of_campus_id,
                        "local")


# ---------------------------------------------------------------------------------------------- online

def _sign_in_online(db: Database, cfg: KioskConfig, path: Path, secret: str, *, username: str | None,
                    badge: str | None, http: Any, timeout: float) -> Outcome:
    import httpx  # loads on the worker thread, not while the kiosk starts

    body: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision()}
    body.update({"username": username, "password": secret} if username is not None
                else {"badge": badge, "pin": secret})
    client = http or httpx.Client(base_url=cfg.server.rstrip("/"), timeout=httpx.Timeout(timeout, connect=3.0))
    try:
        resp = client.post("/v1/signin", json=body, headers={"Authorization": f"Bearer {cfg.token}"})
    except httpx.HTTPError as exc:
        raise _Unreachable(str(exc)) from exc
    finally:
        if http is None:
            client.close()
    if resp.status_code == 200:
        who = resp.json()
        staff_id = uuid.UUID(who["staff_id"])
        home = uuid.UUID(who["home_campus_id"]) if who.get("home_campus_id") else None
        _ensure_staff_row(db, who, staff_id, home)
        if username is not None:
            _remember(db, cfg, path, username, secret, staff_id, admin=bool(who["admin"]))
        flags = who.get("must_change")
        must = frozenset(k for k in flags if k in ("pin", "password")) if isinstance(flags, list) else None
        session = who.get("staff_session")
        return SignedIn(staff_id, str(who["display_name"]), bool(who["admin"]), home, "server", must,
                        session if isinstance(session, str) and session else None)
    detail = _detail(resp)
    if resp.status_code == 403:
        if username is not None:
            _forget(cfg, path, username)  # the password changed, or the account is off: the old one goes too
        return Refused(WRONG)
    if resp.status_code == 429:
        until = _parse_time(resp)
        if until is None:
            return Refused(detail)
        local_until = until.astimezone(_zone(db))
        return Refused(f"{detail.split(' (locked until')[0]} Try again after {local_until:%H:%M}.", until)
    if resp.status_code == 401:
        wipe_cache(path)  # revoked or unknown token: this kiosk keeps no verifier
        return Refused(f"This kiosk cannot sign anyone in: the server refused it ({detail}). Ask an admin to "
                       "enroll it again.")
    if resp.status_code == 426:
        return Refused(f"This kiosk's version does not match the server's: {detail}")
    if resp.status_code == 422:
        return Refused(WRONG)
    if resp.status_code == 404:
        return Refused("The district server does not offer sign-in yet; ask an admin to update it.")
    raise _Unreachable(f"the server answered {resp.status_code}: {detail}")  # 5xx: busy or broken


def _detail(resp: Any) -> str:
    try:
        return str(resp.json().get("detail", ""))[:300]
    except (ValueError, AttributeError):
        return str(resp.text)[:300]


def _zone(db: Database) -> Any:
    """The district's time zone (lockout messages give local times)."""
    with db.unit() as ctx:
        return local_zone(ctx.session)


def _parse_time(resp: Any) -> datetime | None:
    try:
        raw = resp.json().get("locked_until")
        return datetime.fromisoformat(raw) if raw else None
    except (ValueError, AttributeError, TypeError):
        return None


def _ensure_staff_row(db: Database, who: dict[str, Any], staff_id: uuid.UUID, home: uuid.UUID | None) -> None:
    """The technician screens need the staff row; sync brings it, but not yet if they were added lately.

    The public fields the server just sent are written here (staff rows are never pushed, so this adds nothing
    to the outbox); the next pull overwrites the row with the server's.
    """
    with db.unit() as ctx:
        s = ctx.session
        if s.get(StaffUser, staff_id) is not None:
            return
        username = str(who["username"])[:MAX_NAME]
        if s.scalar(select(StaffUser.id).where(StaffUser.username == username)) is not None:
            return  # an older local row holds the name; the next pull sorts it out
        now = ctx.clock.now()
        s.add(StaffUser(id=staff_id, username=username, first_name=str(who["first_name"])[:64],
                        last_name=str(who["last_name"])[:64], role=StaffRole.ADMIN if who["admin"]
                        else StaffRole.TECHNICIAN, active=True,
                        lead_of_campus_id=home if home and s.get(Campus, home) else None,
                        created_at=now, updated_at=now))


# ---------------------------------------------------------------------------------------------- offline cache

def cache_path(config_path: Path | None = None) -> Path:
    """The verifier cache beside the enrollment file: ``sync.json`` -> ``sync-signin.json``."""
    target = config_path or config.config_path()
    return target.with_name(target.stem + CACHE_SUFFIX)


def wipe_cache(path: Path) -> None:
    with _cache_lock:
        path.unlink(missing_ok=True)


def _binding(cfg: KioskConfig) -> dict[str, str]:
    return {"kiosk_id": str(cfg.kiosk_id), "token_sha256": hashlib.sha256(cfg.token.encode()).hexdigest()}


def _read(cfg: KioskConfig, path: Path) -> dict[str, dict[str, str]]:
    """The cache's entries; a cache made under another enrollment (or unreadable) is deleted."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        path.unlink(missing_ok=True)
        return {}
    if not isinstance(data, dict) or {k: data.get(k) for k in ("kiosk_id", "token_sha256")} != _binding(cfg):
        path.unlink(missing_ok=True)  # enrolled again since: the old verifiers go
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def _write(cfg: KioskConfig, path: Path, entries: dict[str, dict[str, str]]) -> None:
    if not entries:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, json.dumps({**_binding(cfg), "entries": entries}, indent=1).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _key(username: str) -> str:
    return username.strip().lower()


def _live(entry: dict[str, str], now: datetime) -> bool:
    try:
        cached = datetime.fromisoformat(entry["cached_at"])
        return cached <= now < cached + timedelta(days=OFFLINE_DAYS)
    except (KeyError, TypeError, ValueError):
        return False


def _remember(db: Database, cfg: KioskConfig, path: Path, username: str, password: str, staff_id: uuid.UUID,
              *, admin: bool) -> None:
    """After an online sign-in with a password: keep a verifier for offline use (technicians only)."""
    if admin or len(password) < MIN_OFFLINE_PASSWORD or OFFLINE_DAYS <= 0:
        _forget(cfg, path, username)
        return
    verifier = OFFLINE_HASHER.hash(password)
    now = db.clock.now()
    with _cache_lock:
        entries = {k: e for k, e in _read(cfg, path).items() if _live(e, now)}
        entries[_key(username)] = {"staff_id": str(staff_id), "verifier": verifier, "cached_at": now.isoformat()}
        _write(cfg, path, entries)


def _forget(cfg: KioskConfig, path: Path, username: str) -> None:
    with _cache_lock:
        entries = _read(cfg, path)
        if entries.pop(_key(username), None) is not None:
            _write(cfg, path, entries)


def cached_usernames(config_path: Path | None = None) -> list[str]:
    """Who can sign in offline on this kiosk now (for tests and support); the enrollment must still match."""
    path = cache_path(config_path)
    cfg = config.load(config_path)
    with _cache_lock:
        return sorted(_read(cfg, path))


def _actor(ctx: Ctx, cfg: KioskConfig) -> Actor:
    """The audit log names this kiosk once its own row has been pulled (the column refers to it)."""
    known = ctx.session.get(Kiosk, cfg.kiosk_id) is not None
    return Actor(kiosk_id=cfg.kiosk_id if known else None, label="kiosk offline")


def _sign_in_offline(db: Database, cfg: KioskConfig, path: Path, secret: str, *, username: str | None,
                     badge: str | None) -> Outcome:
    """The server is unreachable: a cached verifier, with the lockout of this kiosk's own audit log."""
    now = db.clock.now()
    entry: dict[str, str] | None = None
    if username is not None:
        with _cache_lock:
            entries = _read(cfg, path)
            live = {k: e for k, e in entries.items() if _live(e, now)}
            if live != entries:
                _write(cfg, path, live)  # expired verifiers are deleted, not merely ignored
            entry = live.get(_key(username))
    with db.unit() as ctx:
        ctx.actor = _actor(ctx, cfg)
        who = ({"username": username.strip()[:MAX_NAME]} if username is not None
               else {"method": "badge"})  # a typed badge code is half a credential: never recorded
        user = ctx.session.get(StaffUser, uuid.UUID(entry["staff_id"])) if entry else None
        if username is None or entry is None or user is None:
            audit_log.record(ctx, "staff.sign_in_refused_offline", "staff", user.id if user else None, **who)
            return Refused(OFFLINE_BADGE if username is None else OFFLINE_UNKNOWN)
        if user.role == StaffRole.ADMIN:
            audit_log.record(ctx, "staff.sign_in_refused_offline", "staff", user.id, **who)
            return Refused(OFFLINE_ADMIN)
        result = auth.sign_in_with_verifier(ctx, user, entry.get("verifier"), secret, offline="yes", **who)
        if result.user is None:
            if result.locked_until is not None:
                local_until = result.locked_until.astimezone(local_zone(ctx.session))
                return Refused(f"{result.message} Try again after {local_until:%H:%M}.",
                               result.locked_until)
            return Refused(WRONG)
        return SignedIn(user.id, f"{user.first_name} {user.last_name}", False, user.lead_of_campus_id, "offline")
