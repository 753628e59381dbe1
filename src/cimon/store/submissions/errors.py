"""The error of the submission store, shared by its services and exports."""

from __future__ import annotations

from cimon.errors import CimonError


class StorageError(CimonError):
    """A request the database cannot serve (file not found, unknown department …)."""
