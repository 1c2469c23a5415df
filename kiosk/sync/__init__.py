"""Kiosk side of the central sync (no Qt)."""
