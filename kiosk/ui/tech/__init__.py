"""Technician mode: the signed-in screens (queue, ticket work, devices, room audits, lists)."""
