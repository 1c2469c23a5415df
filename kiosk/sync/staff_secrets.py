"""A technician's own PIN or password changed from an enrolled kiosk, through the district service (no Qt; call
it off the GUI thread).

An enrolled kiosk holds no hashes, so "My PIN and password" sends the current and the new secret to
``POST /v1/staff/secret`` (``kiosk.server.staff_secrets``) with this kiosk's token. Every refusal is a
``DomainError`` whose text the screen shows as it is; nothing is changed on this kiosk, so what was typed stays
on the screen to try again.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from kiosk.domain import schema
from kiosk.domain.db import Database
from kiosk.domain.errors import DomainError, InvalidInput, PermissionDenied
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.sync import config, local

PATH = "/v1/staff/secret"


class ServiceUnreachable(DomainError):
    """The district service could not be reached or answered with a fault: nothing was changed."""


def enrolled(db: Database) -> bool:
    """Whether this kiosk's database is an enrolled kiosk node (its staff secrets live on the service)."""
    return local.state(db, "node_id") is not None


def change_own_secret(db: Database, staff_id: uuid.UUID, kind: str, current: str, new: str, *,
                      config_path: Path | None = None, http: Any = None, timeout: float = 15.0) -> frozenset[str]:
    """Change ``kind`` ("pin" or "password") of ``staff_id`` on the district service; returns what is still
    temporary on the account. Raises ``InvalidInput`` (wrong current secret, the rules), ``PermissionDenied``
    (locked, or this kiosk refused) or ``ServiceUnreachable``."""
    import httpx  # loads on the worker thread

    if kind not in ("pin", "password"):
        raise ValueError(kind)
    try:
        cfg = config.load(config_path)
    except config.NotEnrolled as exc:
        raise PermissionDenied(f"This kiosk cannot read its enrollment ({exc}); ask an admin to enroll it "
                               "again.") from None
    body = {"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), "staff_id": str(staff_id),
            "kind": kind, "current": current, "new": new}
    client = http or httpx.Client(base_url=cfg.server.rstrip("/"), timeout=httpx.Timeout(timeout, connect=3.0))
    what = "PIN" if kind == "pin" else "password"
    try:
        resp = client.post(PATH, json=body, headers={"Authorization": f"Bearer {cfg.token}"})
    except httpx.HTTPError:
        raise ServiceUnreachable(f"The district server cannot be reached, so your {what} is not changed. Try "
                                 "again when this kiosk is back online (the sync line on Home says so).") from None
    finally:
        if http is None:
            client.close()
    if resp.status_code == 200:
        left = resp.json().get("must_change") or []
        return frozenset(k for k in left if k in ("pin", "password"))
    detail = refusal_detail(resp)
    if resp.status_code == 403:
        raise InvalidInput(detail or f"Your current {what} is not right.")
    if resp.status_code == 422:
        raise InvalidInput(detail if detail and not detail.startswith("[") else
                           f"The district server refused that {what}; check the rules above the fields.")
    if resp.status_code == 429:
        raise PermissionDenied(detail or "Too many attempts; wait a few minutes and try again.")
    if resp.status_code == 401:
        raise PermissionDenied(f"The district server refused this kiosk ({detail}); ask an admin to enroll it "
                               "again.")
    if resp.status_code == 426:
        raise PermissionDenied(f"This kiosk's version does not match the server's: {detail}")
    if resp.status_code == 404:
        raise ServiceUnreachable(f"The district server does not offer changing a {what} yet; ask an admin to "
                                 "update it.")
    raise ServiceUnreachable(f"The district server could not change your {what} now ({resp.status_code}); "
                             "nothing was changed. Try again in a minute.")


def refusal_detail(resp: Any) -> str:
    """The plain ``detail`` sentence of a service's refusal (the first 300 characters), or ''."""
    try:
        detail = resp.json().get("detail", "")
    except (ValueError, AttributeError):
        return ""
    return detail[:300] if isinstance(detail, str) else ""
