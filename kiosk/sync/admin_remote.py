"""An admin-screen action from an enrolled kiosk, run by the district service (no Qt; call it off the GUI thread).

The kiosk's database is the service's copy, so the admin screens send the action to ``POST /v1/admin/act``
(``kiosk.server.admin_act``) with this kiosk's token and the staff session the service granted at sign-in. The
service runs ``kiosk.domain.admin_actions.perform`` as that admin; the change reaches this kiosk by the next pull.
Every refusal is a ``DomainError`` whose text the screen shows; nothing is changed here, so the form keeps what
was typed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kiosk.domain import schema
from kiosk.domain.admin_actions import Result
from kiosk.domain.db import Database
from kiosk.domain.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.sync import config
from kiosk.sync.staff_secrets import refusal_detail

PATH = "/v1/admin/act"
END_PATH = "/v1/staff/signout"


class ServiceUnreachable(DomainError):
    """The district service could not be reached or answered with a fault: nothing was changed."""


class Offline(ServiceUnreachable):
    """No answer at all (the network or the service is down): nothing was changed."""


class SessionEnded(PermissionDenied):
    """The service no longer knows this staff session (expired, or granted elsewhere): sign in again."""


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def act(db: Database, session: str, key: str, action: str, ref: Any, values: dict[str, Any], *,
        config_path: Path | None = None, http: Any = None, timeout: float = 15.0) -> Result:
    """Run ``key``/``action`` on the district service; returns what it did. Raises ``InvalidInput``,
    ``NotFound``, ``PermissionDenied`` (session ended, not an admin, this kiosk refused) or
    ``ServiceUnreachable``."""
    import httpx  # loads on the worker thread

    del db  # the enrollment file names the service; the database is the caller's, for symmetry with the rest
    try:
        cfg = config.load(config_path)
    except config.NotEnrolled as exc:
        raise PermissionDenied(f"This kiosk cannot read its enrollment ({exc}); ask an admin to enroll it "
                               "again.") from None
    body = {"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), "session": session, "key": key,
            "action": action, "ref": _plain(ref), "values": {k: _plain(v) for k, v in values.items()}}
    client = http or httpx.Client(base_url=cfg.server.rstrip("/"), timeout=httpx.Timeout(timeout, connect=3.0))
    try:
        resp = client.post(PATH, json=body, headers={"Authorization": f"Bearer {cfg.token}"})
    except httpx.HTTPError:
        raise Offline("The district server cannot be reached, so nothing was changed. Try again when "
                                 "this kiosk is back online (the sync line on Home says so).") from None
    finally:
        if http is None:
            client.close()
    if resp.status_code == 200:
        data = resp.json()
        return Result(str(data.get("text", "")), str(data.get("template") or ""),
                      tuple(str(a) for a in data.get("args") or ()))
    detail = refusal_detail(resp)
    if resp.status_code == 403 and _reason(resp) == "session":
        raise SessionEnded(detail or "Your staff session has ended; sign out and sign in again.")
    if resp.status_code == 403:
        raise PermissionDenied(detail or "The district server refused this change.")
    if resp.status_code == 404 and detail:
        raise NotFound(detail)
    if resp.status_code == 422:
        raise InvalidInput(detail if detail and not detail.startswith("[") else
                           "The district server refused these values; check the form.")
    if resp.status_code == 401:
        raise PermissionDenied(f"The district server refused this kiosk ({detail}); ask an admin to enroll it "
                               "again.")
    if resp.status_code == 426:
        raise PermissionDenied(f"This kiosk's version does not match the server's: {detail}")
    if resp.status_code == 429:
        raise PermissionDenied("Too many changes in a minute; wait a moment and try again.")
    if resp.status_code == 404:
        raise ServiceUnreachable("The district server does not take admin changes from kiosks yet; ask an admin "
                                 "to update it.")
    raise ServiceUnreachable(f"The district server could not make the change now ({resp.status_code}); nothing "
                             "was changed. Try again in a minute.")


def end_session(session: str, *, config_path: Path | None = None, http: Any = None, timeout: float = 5.0) -> bool:
    """Ask the district service to end this kiosk's staff ``session`` (sign-out, idle sign-out). Best effort:
    False when the service could not be asked or did not know it; the session then expires by itself."""
    import httpx  # loads on the worker thread

    try:
        cfg = config.load(config_path)
    except config.NotEnrolled:
        return False
    client = http or httpx.Client(base_url=cfg.server.rstrip("/"), timeout=httpx.Timeout(timeout, connect=3.0))
    try:
        resp = client.post(END_PATH, json={"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(),
                                           "session": session}, headers={"Authorization": f"Bearer {cfg.token}"})
    except httpx.HTTPError:
        return False
    finally:
        if http is None:
            client.close()
    try:
        return resp.status_code == 200 and bool(resp.json().get("ended"))
    except (ValueError, AttributeError):
        return False


def _reason(resp: Any) -> str:
    try:
        reason = resp.json().get("reason", "")
    except (ValueError, AttributeError):
        return ""
    return reason if isinstance(reason, str) else ""
