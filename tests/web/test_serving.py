"""First start of ``cimon serve``: demo data, deadlines for the open year, one administrator whose
password is returned once and stored only as a hash; later starts change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cimon.web import serving

pytestmark = pytest.mark.django_db


def test_first_start_then_second_start(db: Any) -> None:
    from django.contrib.auth import get_user_model

    from cimon.store.submissions.models import ACCEPTED, Deadline, Submission

    first = serving.prepare(demo=True)
    assert first.admin_password and first.demo_year == 2026
    admin = get_user_model().objects.get(username=serving.ADMIN_USERNAME)
    assert admin.account.role == "admin"
    assert admin.check_password(first.admin_password)
    assert first.admin_password not in admin.password
    assert Submission.objects.get(pk=first.demo_submission).status == ACCEPTED
    assert set(Deadline.objects.values_list("evaluation_year", flat=True)) == {2026}
    assert first.demo_skipped is None and first.demo_note() == ""
    again = serving.prepare(demo=True)
    assert again.admin_password is None and again.demo_submission is None
    assert Submission.objects.count() == 1
    # a later start says why the demo was not loaded, in both languages
    assert again.demo_skipped == "users"
    assert again.demo_note().startswith("未载入演示数据：数据库已有用户")
    assert "/ demo data not loaded: the database already has users" in again.demo_note()


def test_first_start_makes_demo_accounts_of_the_commissioner_roles(db: Any) -> None:
    """A 派出单位 and a 科技特派员 account (#17), passwords shown once, linked to demo rows."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    first = serving.prepare(demo=True)
    roles = {role: (name, pw) for name, role, pw in first.demo_accounts}
    assert set(roles) == {"unit", "commissioner"}
    name, pw = roles["commissioner"]
    user = get_user_model().objects.get(username=name)
    assert user.check_password(pw) and user.commissioner.label == "模拟数据"
    c = Client()
    c.force_login(user)
    assert c.get("/commissioners/services/new/").status_code == 200
    unit_name, unit_pw = roles["unit"]
    unit = get_user_model().objects.get(username=unit_name)
    assert unit.check_password(unit_pw)
    c.force_login(unit)
    page = c.get("/commissioners/unit/").content.decode()
    assert "演示特派员" in page or "模拟数据" in page
    assert serving.prepare(demo=True).demo_accounts == []
    assert serving.prepare(demo=False).demo_accounts == []


def test_no_demo(db: Any) -> None:
    from cimon.store.submissions.models import Submission

    prepared = serving.prepare(demo=False)
    assert prepared.admin_password
    assert not Submission.objects.exists()
    assert prepared.demo_skipped == "flag" and "--no-demo" in prepared.demo_note()


def test_secret_key_file_is_private_and_stable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CIMON_SECRET_KEY", raising=False)
    db = tmp_path / "c.sqlite3"
    key = serving.secret_key(db)
    f = tmp_path / "c.sqlite3.secret"
    assert f.stat().st_mode & 0o777 == 0o600
    assert len(key) >= 50 and serving.secret_key(db) == key
    monkeypatch.setenv("CIMON_SECRET_KEY", "from-env")
    assert serving.secret_key(db) == "from-env"


def test_demo_never_goes_into_a_database_with_data(db: Any, make_sub: Any) -> None:
    """A database filled with ``cimon import`` before the first ``cimon serve`` gets its
    administrator but no demo data."""
    from cimon.store.submissions.models import Submission
    from cimon.store.submissions.services import store_submission

    store_submission(make_sub(), b"x", accept_warnings=True)
    first = serving.prepare(demo=True)
    assert first.admin_password and first.demo_submission is None
    assert Submission.objects.count() == 1
    assert first.demo_skipped == "submissions"
    assert "数据库中已有报送数据" in first.demo_note() and "already holds submissions" in (
        first.demo_note()
    )
