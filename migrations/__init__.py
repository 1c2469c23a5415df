"""Alembic migrations, shipped inside the package as ``kiosk._migrations`` (see setup.py)."""
