"""Kiosk side of the central sync (no Qt): enrollment, push/pull rounds, a background worker, status.

The outbox itself is filled by the ``Database`` object of an enrolled kiosk (``kiosk.protocol.capture``).
"""
