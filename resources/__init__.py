"""Shipped data files, mapped into the package as ``kiosk._resources`` (see setup.py and README.md)."""
