"""Kiosk side of the central sync (no Qt): the outbox hook, push/pull rounds, a background worker, status."""

from kiosk.sync import outbox as outbox  # registers the session hooks that fill the outbox on kiosk nodes
