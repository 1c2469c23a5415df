"""Errors the domain raises; each carries a message fit to show a person."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; ``str(err)`` is a one-line message for the user."""


class NotFound(DomainError):
    pass


class InvalidInput(DomainError):
    pass


class Conflict(DomainError):
    pass


class PermissionDenied(DomainError):
    pass
