"""The server tests share the sync tests' seeded district and server process."""

from tests.sync.conftest import district, server

__all__ = ["district", "server"]
