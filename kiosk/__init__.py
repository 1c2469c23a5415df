"""Campus tech-room kiosk: walk-up device reporting and district IT service management."""

__version__ = "0.1.0"
