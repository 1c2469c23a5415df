"""The central service that kiosks sync through (no Qt)."""
