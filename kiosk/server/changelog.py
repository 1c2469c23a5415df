"""Marking the district's central database, whose edits (admin commands, web pages) reach the kiosks too.

The recording itself belongs to the ``Database`` object (``kiosk.protocol.capture``): every session of a central
database appends each changed synced row to the change log and stamps its fields with the server's clock.
"""

from __future__ import annotations

from kiosk.domain.db import Database
from kiosk.protocol.capture import set_state


def mark_central(db: Database) -> None:
    """Make ``db`` the district's central database (done when the service starts)."""
    with db.engine.begin() as conn:
        set_state(conn, "role", "central")
    db.capture.refresh()
