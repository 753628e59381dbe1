"""Library pages of the list imports (#18): a county clerk uploads a contracts list for its
county (another county's rows refused, the attempt kept and shown with the bad cells); the
talent page without contacts; feedback and transfer projects only by the need's owner and
county; talent recommended on the need's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.intake.test_library_lists import CONTRACT_HEAD, xlsx
from tests.web.conftest import XIJI, YUANZHOU

from cimon.store.libraries import services as lib
from cimon.store.libraries import talent
from cimon.store.libraries.models import CONTACTED, Contract, Match
from cimon.store.libraries.models_talent import ImportAttempt, MatchFeedback, TransferProject

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _upload(client: Client, rows: list[list[Any]]) -> Any:
    f = SimpleUploadedFile("台账.xlsx", xlsx([CONTRACT_HEAD, *rows]))
    return client.post(reverse("libraries:import"), {"kind": "contract", "file": f}, follow=True)


def test_a_county_clerk_imports_its_contracts(users: dict[str, Any]) -> None:
    c = _client(users["county"])
    r = _upload(c, [["C1", "n", "s", "b", 2, "2025-03-01", XIJI],
                    ["C2", "n", "s", "b", 2, "2025-03-01", YUANZHOU]])  # fmt: skip
    assert r.status_code == 200 and not Contract.objects.exists()
    body = r.content.decode()
    assert "G3" in body and "已拒绝" in body
    r = _upload(c, [["C1", "n", "s", "b", 2, "2025-03-01", XIJI]])
    assert Contract.objects.get().amount == 20_000
    assert ImportAttempt.objects.count() == 2
    # another county's clerk does not see this county's attempts
    other = _client(users["county2"]).get(reverse("libraries:import")).content.decode()
    assert "台账.xlsx" not in other
    assert "台账.xlsx" in _client(users["admin"]).get(reverse("libraries:import")).content.decode()
    assert _client(users["viewer"]).get(reverse("libraries:import")).status_code == 403


def test_talent_page_hides_the_contact(users: dict[str, Any]) -> None:
    c = _client(users["viewer"])
    r = c.post(reverse("libraries:talent_new"), {"name": "张研究员", "expertise": "马铃薯贮藏",
                                                 "contact": "13800000000"})  # fmt: skip
    assert r.status_code == 302
    profile = talent.TalentProfile.objects.get()
    url = reverse("libraries:talent_publish", kwargs={"pk": profile.pk})
    assert _client(users["county"]).post(url).status_code == 404  # not the owner
    assert c.post(url).status_code == 302
    page = Client().get(reverse("libraries:talent")).content.decode()
    assert "张研究员" in page and "13800000000" not in page


def _match(users: dict[str, Any]) -> Match:
    a = lib.create_achievement(users["viewer"], "马铃薯贮藏窖通风技术", discipline="210", trl=7)
    lib.publish_achievement(a, users["viewer"])
    need = lib.create_need(
        users["county"], XIJI, "马铃薯贮藏期烂薯多，需要贮藏技术。", industry="01"
    )
    lib.submit_need(need, users["county"])
    lib.publish_need(need, users["county"])
    return lib.recommend(need, users["county"])[0]


def test_feedback_and_transfer_by_owner_and_county(users: dict[str, Any]) -> None:
    m = _match(users)
    fb = reverse("libraries:match_feedback", kwargs={"pk": m.pk})
    # published need: others see it but may not judge; a rejection needs a reason
    assert _client(users["viewer"]).post(fb, {"verdict": "accept"}).status_code == 403
    assert _client(users["county2"]).post(fb, {"verdict": "accept"}).status_code == 403
    c = _client(users["county"])
    assert c.post(fb, {"verdict": "maybe"}).status_code == 400
    c.post(fb, {"verdict": "reject"})
    assert not MatchFeedback.objects.exists()
    c.post(fb, {"verdict": "reject", "reason": "已有方案"})
    _client(users["admin"]).post(fb, {"verdict": "accept"})
    assert list(MatchFeedback.objects.values_list("verdict", flat=True)) == ["rejected", "accepted"]
    tr = reverse("libraries:match_transfer", kwargs={"pk": m.pk})
    c.post(tr, {"completed_on": "2025-06-01"})
    assert not TransferProject.objects.exists()  # only recommended: refused
    lib.advance_match(m, users["county"], CONTACTED)
    assert c.post(tr, {"completed_on": "x"}).status_code == 400
    assert c.post(tr, {"completed_on": "2025-06-01"}).status_code == 302
    assert TransferProject.objects.get().region_code == XIJI
    talent.publish_talent(talent.create_talent(users["viewer"], "李研究员", "马铃薯贮藏窖通风",
                                               contact="secret-phone"), users["viewer"])  # fmt: skip
    page = c.get(reverse("libraries:need", kwargs={"pk": m.need_id})).content.decode()
    assert "李研究员" in page and "secret-phone" not in page and "已完成的转化项目" in page
