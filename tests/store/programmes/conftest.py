"""Fixtures of the programme tests: the web fixtures' users."""

from __future__ import annotations

from tests.web.conftest import _web_settings, users

__all__ = ["_web_settings", "users"]
