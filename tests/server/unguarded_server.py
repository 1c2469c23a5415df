"""`kiosk server` with the push checks switched off: the hostile-kiosk suite's negative control, never deployed.

``python -m tests.server.unguarded_server server --db URL ...`` runs the real service with everything
``kiosk.server.validate`` decides replaced by stand-ins that accept every pushed operation as it comes (no
column, length, character, clock, actor, reporter, status or survey rule; audit rows kept as pushed), the
server-owned columns accepted by the operation parser, and the rate limits off. ``tests/server/test_hostile.py``
runs each attack against it too and checks that the attack then succeeds, so every refusal the suite sees is
one the checks make, not an attack that could never have worked.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from kiosk.server import apply, validate


def _accept(*_args: Any) -> None:
    return None


def _nothing(*_args: Any) -> list[Any]:
    return []


def _no(*_args: Any) -> bool:
    return False


def unguard() -> None:
    validate.vet = _accept  # type: ignore[assignment]
    validate.batch_refusals = _nothing  # type: ignore[assignment]
    validate.keeps_existing_reporter = _no  # type: ignore[assignment]
    validate.status_from_events = _no  # type: ignore[assignment]
    apply.PUSH_FORBIDDEN = {}  # type: ignore[misc]
    os.environ["KIOSK_RATE_LIMIT_SCALE"] = "0"


if __name__ == "__main__":
    unguard()
    from kiosk.cli import main

    sys.exit(main(sys.argv[1:]))
