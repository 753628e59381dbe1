"""The store's tests use the database fixtures of the web tests (one set of users, workbooks and
settings for both): :mod:`tests.web.conftest`."""

from __future__ import annotations

from tests.web.conftest import _web_settings, make_sub, users

__all__ = ["_web_settings", "make_sub", "users"]
