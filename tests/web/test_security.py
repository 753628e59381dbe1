"""IDOR probes, CSRF on every form, lockout after repeated failures, Argon2, headers, and no
page that loads anything from outside."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cimon.store.submissions.models import AuditEvent, Submission
from cimon.web.submissions.portal import Upload, upload

from .conftest import PASSWORD, county_workbook
from .test_permissions import EXPECT, evaluations, objects, url_for  # noqa: F401  (fixtures)

WEB = Path(__file__).resolve().parents[2] / "src" / "cimon" / "web"
pytestmark = pytest.mark.django_db


def _client(user: Any, **kw: Any) -> Client:
    c = Client(**kw)
    c.force_login(user)
    return c


def test_idor_county_clerk_probing_ids_sees_only_its_own(users: dict[str, Any]) -> None:
    """Another county's real submission and a made-up id answer alike: 404, and nothing of the
    other file appears in the answer."""
    other = upload(
        users["county2"], Upload("原州区自评.xlsx", county_workbook(users["county2"])), 2026
    )
    mine = upload(
        users["county"], Upload("西吉县自评.xlsx", county_workbook(users["county"])), 2026
    )
    c = _client(users["county"])
    top = Submission.objects.order_by("-id").first()
    assert top is not None
    # every stored id and a few that do not exist (ids are not reset between tests on PostgreSQL)
    probes = [*Submission.objects.values_list("pk", flat=True), top.pk + 1, top.pk + 2, 10**9]
    for pk in probes:
        for name in ("submissions:detail", "submissions:file"):
            r = c.get(reverse(name, kwargs={"pk": pk}))
            if pk == mine.submission_id:
                assert r.status_code == 200
            else:
                assert r.status_code == 404, (name, pk)
                assert "原州区自评" not in r.content.decode("utf-8", "replace")
    listing = c.get("/submit/").content.decode()
    assert "西吉县自评.xlsx" in listing and "原州区自评.xlsx" not in listing
    assert other.submission_id is not None


def test_idor_department_clerk_cannot_read_other_departments(users: dict[str, Any]) -> None:
    from cimon.web.submissions.portal import template_for

    _, content = template_for(users["department2"], 2026)
    theirs = upload(users["department2"], Upload("科技厅.xlsx", content), 2026)
    c = _client(users["department"])
    assert c.get(f"/submit/{theirs.submission_id}/").status_code == 404
    assert c.get(f"/submit/{theirs.submission_id}/file/").status_code == 404
    assert "科技厅.xlsx" not in c.get("/submit/").content.decode()
    board = c.get("/status/?year=2026").content.decode()
    assert "统计局" in board and "科技厅" not in board


def test_county_board_shows_only_its_own_county(users: dict[str, Any]) -> None:
    html = _client(users["county"]).get("/status/?year=2026").content.decode()
    assert "西吉县" in html and "原州区" not in html and "统计局" not in html


# --- CSRF -------------------------------------------------------------------------------------

POST_URLS = sorted(name for name, spec in EXPECT.items() if spec.method == "post")


# Django's CSRF middleware refuses before any view runs: the same on every database
@pytest.mark.sqlite_only
@pytest.mark.parametrize("name", POST_URLS)
def test_every_post_without_a_csrf_token_is_refused(
    name: str,
    users: dict[str, Any],
    objects: dict[str, int],  # noqa: F811
    evaluations: dict[str, Any],  # noqa: F811
) -> None:
    spec = EXPECT[name]
    url = url_for(name, spec.cases[0], objects, evaluations)
    c = _client(users["admin"], enforce_csrf_checks=True)
    before = AuditEvent.objects.count()
    r = c.post(url, spec.data)
    assert r.status_code == 403
    text = r.content.decode()
    assert "安全令牌" in text and "security token" in text
    assert AuditEvent.objects.count() == before


def test_login_form_without_csrf_token_is_refused() -> None:
    r = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "x", "password": "y"}
    )
    assert r.status_code == 403


def test_every_post_form_in_the_templates_carries_a_token() -> None:
    forms = 0
    for path in WEB.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S | re.I):
            if re.search(r'method="post"', form, flags=re.I):
                forms += 1
                assert "{% csrf_token %}" in form, f"{path.name}: POST form without csrf_token"
    assert forms >= 6


# --- login, lockout, Argon2 ---------------------------------------------------------------------


def _login(c: Client, username: str, password: str) -> Any:
    return c.post("/accounts/login/", {"username": username, "password": password})


def test_login_works_and_is_audited(users: dict[str, Any]) -> None:
    c = Client()
    r = _login(c, "xiji", PASSWORD)
    assert r.status_code == 302
    assert c.get("/submit/").status_code == 200
    assert AuditEvent.objects.filter(action="login", user="xiji").exists()


def test_lockout_after_five_failures_with_a_chinese_page(users: dict[str, Any]) -> None:
    from django.conf import settings

    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = _login(c, "xiji", "wrong-password")
        assert r.status_code == 200
        assert "请输入一个正确的" in r.content.decode() or "正确" in r.content.decode()
    r = _login(c, "xiji", "wrong-password")
    assert r.status_code == 429
    text = r.content.decode()
    assert "账户已被暂时锁定" in text and "Account temporarily locked" not in text
    assert "15" in text
    # locked: even the right password is refused
    r = _login(c, "xiji", PASSWORD)
    assert r.status_code == 429
    assert AuditEvent.objects.filter(action="login.locked_out").exists()
    # in English on request
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = _login(c, "xiji", PASSWORD)
    assert r.status_code == 429 and "Account temporarily locked" in r.content.decode()
    # the administrator's reset unlocks
    from cimon.store.accounts.services import set_password

    pw = set_password("xiji")
    assert _login(Client(), "xiji", pw).status_code == 302


def test_other_users_are_not_locked_by_someone_elses_failures(users: dict[str, Any]) -> None:
    c = Client()
    for _ in range(6):
        _login(c, "xiji", "wrong-password")
    assert _login(Client(), "yuanzhou", PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2(db: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user

    user, pw = create_user(
        "argon", "viewer", framework=load_framework("nx-2021"), registry=default_registry()
    )
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert pw not in user.password
    assert user.check_password(pw)


def test_the_real_settings_use_argon2_first() -> None:
    import cimon.web.settings as s

    assert s.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert s.SESSION_SAVE_EVERY_REQUEST and s.SESSION_COOKIE_AGE <= 8 * 3600


def test_session_expires_after_idle_time(users: dict[str, Any], settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 1
    c = Client()
    assert _login(c, "xiji", PASSWORD).status_code == 302
    import time

    time.sleep(1.5)
    r = c.get("/submit/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


# --- headers and assets ---------------------------------------------------------------------


def test_pages_send_a_strict_csp_and_no_framing(users: dict[str, Any]) -> None:
    r = _client(users["admin"]).get("/status/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert r["X-Frame-Options"] == "DENY"


def test_no_page_loads_anything_from_outside() -> None:
    """Intranet without internet: templates and our CSS reference no external host (the vendored
    libraries' own licence texts and comments may mention URLs; they load nothing)."""
    for path in [*WEB.rglob("*.html"), *WEB.rglob("cimon.css")]:
        text = path.read_text(encoding="utf-8")
        found = re.findall(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", text)
        assert not found, f"{path.name} loads from outside: {found}"


def test_no_inline_scripts_or_styles() -> None:
    """The CSP allows no inline script or style: the templates must not need any."""
    for path in WEB.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path.name
        assert "<style" not in text and " style=" not in text, path.name
        assert "javascript:" not in text and not re.search(r"\son[a-z]+=", text), path.name


def test_vendored_assets_are_served_with_their_licence(users: dict[str, Any]) -> None:
    assert (WEB / "static" / "cimon" / "vendor" / "htmx" / "LICENSE").is_file()
    r = Client().get("/static/cimon/vendor/htmx/htmx.min.js")
    assert r.status_code == 200


# --- lockout behind a reverse proxy, per-address limit (issue #14) -----------------------------


def test_forwarded_address_is_believed_only_from_a_trusted_proxy() -> None:
    from cimon.web.clientip import forwarded_client, parse_networks

    proxies = parse_networks("127.0.0.1, 10.0.0.0/8")
    # from the proxy: the rightmost address the proxy chain did not add
    assert forwarded_client("127.0.0.1", "203.0.113.9", proxies) == "203.0.113.9"
    assert forwarded_client("127.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.5", proxies) == (
        "203.0.113.9"
    )
    # a client writing the header itself, not through the proxy: ignored
    assert forwarded_client("198.51.100.7", "203.0.113.9", proxies) == "198.51.100.7"
    # no proxy configured: the header is never believed
    assert forwarded_client("127.0.0.1", "203.0.113.9", ()) == "127.0.0.1"
    # garbage in the header: stop at the last trusted hop
    assert forwarded_client("127.0.0.1", "<script>, 10.0.0.5", proxies) == "10.0.0.5"
    assert forwarded_client("127.0.0.1", "[2001:db8::1]:443", proxies) == "2001:db8::1"
    with pytest.raises(ValueError, match="not-an-ip"):
        parse_networks("127.0.0.1,not-an-ip")


def test_behind_the_proxy_one_client_cannot_lock_out_another(
    users: dict[str, Any], settings: Any
) -> None:
    """Every request comes from the proxy (127.0.0.1); an attacker's five bad passwords for
    xiji lock xiji out for the attacker's address only, not for the clerk at another address."""
    settings.CIMON_TRUSTED_PROXIES = (ipaddress.ip_network("127.0.0.1/32"),)
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, "xiji", "wrong-password")
    assert _login(attacker, "xiji", PASSWORD).status_code == 429
    clerk = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert _login(clerk, "xiji", PASSWORD).status_code == 302
    locked = AuditEvent.objects.filter(action="login.locked_out").latest("id")
    assert locked.detail["ip"] == "203.0.113.66"
    # without the proxy being trusted, a forged header changes nothing: the peer address counts
    settings.CIMON_TRUSTED_PROXIES = ()
    forged = Client(REMOTE_ADDR="198.51.100.77", HTTP_X_FORWARDED_FOR="192.0.2.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(forged, "yuanzhou", "wrong-password")
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(ip_address="198.51.100.77").exists()
    assert not AccessAttempt.objects.filter(ip_address="192.0.2.1").exists()


def test_one_address_trying_many_user_names_is_locked(users: dict[str, Any], settings: Any) -> None:
    """40 user names × 1 bad password from one address: locked when the per-address limit is
    reached (even the right password of a real user is refused from there), with an audit
    event; another address is not affected."""
    settings.CIMON_LOGIN_ADDRESS_LIMIT = 12
    c = Client(REMOTE_ADDR="198.51.100.9")
    codes = [_login(c, f"guess{i}", "wrong-password").status_code for i in range(40)]
    assert codes[:11] == [200] * 11 and set(codes[11:]) == {429}
    r = _login(c, "xiji", PASSWORD)
    assert r.status_code == 429 and "本机登录失败已达" in r.content.decode()
    events = AuditEvent.objects.filter(action="login.address_locked_out")
    assert [e.object_id for e in events] == ["198.51.100.9"]
    assert _login(Client(REMOTE_ADDR="198.51.100.10"), "xiji", PASSWORD).status_code == 302
