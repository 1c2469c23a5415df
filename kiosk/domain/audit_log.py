"""The append-only log of privileged actions: one function writes it."""

from __future__ import annotations

from typing import Any

from kiosk.domain.db import Ctx
from kiosk.domain.models import AuditLogEntry


def record(ctx: Ctx, action: str, entity: str | None = None, entity_id: object = None,
           **detail: Any) -> AuditLogEntry:
    entry = AuditLogEntry(
        at=ctx.clock.now(),
        actor_id=ctx.actor.staff_id,
        kiosk_id=ctx.actor.kiosk_id,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        detail={"via": ctx.actor.label, **detail} if detail or ctx.actor.label else None,
    )
    ctx.session.add(entry)
    return entry
