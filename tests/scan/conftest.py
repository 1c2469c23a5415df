"""Fixtures for the scanning tests: a shared pipeline; puts tests/scan and tests/bench on sys.path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
for _p in (_HERE, _HERE.parent / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from kiosk.scan.clock import FakeClock  # noqa: E402
from kiosk.scan.pipeline import ScanPipeline  # noqa: E402


@pytest.fixture(scope="session")
def pipeline() -> ScanPipeline:
    return ScanPipeline()


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()
