"""What the kiosk and the central service share (no Qt, no HTTP): clocks, merge rules, tables, scope, capture."""
