"""An account's province on an instance hosting several (#20 item 4): who may put an account in
which province, unknown codes refused in both languages, audited; ``cimon user add --province``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model

from cimon.cli import main
from cimon.errors import CimonError
from cimon.store.national import members
from cimon.store.national.hosting import user_province
from cimon.store.national.models import ProvinceMember
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db
TWO = "64:nx-2021:nx-2021,62:nx-2021:nx-2021"


def _user(name: str, province: str | None = None, **kw: Any) -> Any:
    user = get_user_model().objects.create_user(name, password="x", **kw)
    if province:
        ProvinceMember.objects.create(user=user, province=province)
    return user


def test_who_may_put_an_account_in_which_province(settings: Any) -> None:
    target, gs_admin, boss = _user("t"), _user("gs", "62"), _user("root", is_superuser=True)
    with pytest.raises(CimonError, match="CIMON_PROVINCES"):  # one province: nothing to set
        members.check_province("64")
    settings.CIMON_PROVINCES = TWO
    assert members.assignable(boss) == ["62", "64"] and members.assignable(None) == ["62", "64"]
    assert members.assignable(gs_admin) == ["62"] and members.assignable(target) == []
    with pytest.raises(CimonError) as exc:
        members.set_province(target, "99", by=boss)
    assert "99" in exc.value.render(
        "zh"
    ) and "not a province this instance hosts" in exc.value.render("en")
    with pytest.raises(CimonError, match="own province"):
        members.set_province(target, "64", by=gs_admin)
    assert user_province(target) is None
    members.set_province(target, "62", by=gs_admin)
    assert user_province(target) == "62"
    event = AuditEvent.objects.get(action="user.province")
    assert event.user == "gs" and event.detail == {"old": None, "new": "62"}
    members.set_province(target, "64", by=boss)
    assert user_province(target) == "64"
    assert members.may_manage(boss, target) and not members.may_manage(gs_admin, target)
    assert list(members.manageable(gs_admin, get_user_model().objects.all())) == [gs_admin]
    assert [c for c, _ in members.choices(gs_admin)] == ["62"]
    assert dict(members.choices(boss))["62"] == "62 甘肃省"


def test_a_county_outside_the_province_is_refused(settings: Any) -> None:
    from tests.web.conftest import FW, REG

    from cimon.store.accounts.services import create_user

    settings.CIMON_PROVINCES = TWO
    clerk, _ = create_user("xiji", "county", framework=FW, registry=REG, region="西吉县")
    with pytest.raises(CimonError, match="640422") as exc:
        members.check_codes("62", "640422", ["620102"])
    assert "620102" not in str(exc.value)
    members.check_codes("62", "", ["620102"])  # inside: nothing to say
    with pytest.raises(CimonError, match="640422"):
        members.set_province(clerk, "62")
    members.set_province(clerk, "64")
    assert user_province(clerk) == "64"


def test_cli_user_add_province(tmp_path: Path, monkeypatch: Any, settings: Any) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    r = runner.invoke(main, ["user", "add", "gs", "--role", "viewer", "--province", "62"])
    assert r.exit_code != 0 and "CIMON_PROVINCES" in r.output  # one province: refused
    settings.CIMON_PROVINCES = TWO
    r = runner.invoke(main, ["user", "add", "gs", "--role", "viewer", "--province", "11"])
    assert r.exit_code != 0 and "11" in r.output and "不是本平台承载的省份" in r.output
    assert not get_user_model().objects.filter(username="gs").exists()  # nothing written
    r = runner.invoke(main, ["user", "add", "nx", "--role", "county", "--region", "西吉县",
                             "--province", "62"])  # fmt: skip
    assert r.exit_code != 0 and "640422" in r.output
    assert not get_user_model().objects.filter(username="nx").exists()  # all or nothing
    r = runner.invoke(main, ["user", "add", "gs", "--role", "viewer", "--province", "62"],
                      catch_exceptions=False)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert user_province(get_user_model().objects.get(username="gs")) == "62"
    r = runner.invoke(main, ["user", "add", "plain", "--role", "viewer"])
    assert (
        r.exit_code == 0 and user_province(get_user_model().objects.get(username="plain")) is None
    )
    r = runner.invoke(main, ["user", "set", "plain", "--province", "64"], catch_exceptions=False)
    assert (
        r.exit_code == 0 and user_province(get_user_model().objects.get(username="plain")) == "64"
    )
    r = runner.invoke(main, ["user", "set", "plain", "--name", "X", "--province", "99"])
    assert r.exit_code != 0 and "99" in r.output
    plain = get_user_model().objects.get(username="plain")
    assert user_province(plain) == "64" and plain.account.display_name == ""  # nothing changed
