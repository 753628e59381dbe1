"""Fixtures of the evidence tests: the web fixtures' users, plus two more experts of 西吉县."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import FW, PASSWORD, REG, XIJI, YUANZHOU, _web_settings, users

__all__ = ["FW", "REG", "XIJI", "YUANZHOU", "_web_settings", "experts", "users"]


@pytest.fixture
def experts(users: dict[str, Any]) -> list[Any]:
    """Three experts assigned 西吉县: the web fixtures' 张专家 and two more."""
    from cimon.store.accounts.services import create_user

    more = [
        create_user(
            name,
            "expert",
            framework=FW,
            registry=REG,
            password=PASSWORD,
            assign=["西吉县"],
            display_name=disp,
        )[0]
        for name, disp in (("li", "李专家"), ("wang", "王专家"))
    ]
    return [users["expert"], *more]
