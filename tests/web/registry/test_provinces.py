"""The registry pages on an instance hosting two provinces (#20): an administrator of 62 sees
none of 64's enterprises, counts or list imports and is refused their pages (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.web.conftest import REG, XIJI
from tests.web.registry.test_views import CODES, _list

from cimon.store.registry.models import ListImport, ReviewItem
from cimon.store.registry.services import import_list
from cimon.web.accounts import policy

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_registry_records_stay_in_their_province(two_provinces: dict[str, Any]) -> None:
    u = two_provinces
    import_list(_list([f"宁夏甲科技有限公司,{CODES[0]},GR1,2020-01-01,西吉县",
                       f"宁夏甲科技股份有限公司,{CODES[1]},GR2,2020-01-01,西吉县"]),
                "seed.csv", kind="高新技术企业", user="seed")  # fmt: skip
    gs, nx = _client(u["admin62"]), _client(u["viewer"])
    assert "宁夏甲科技有限公司" in nx.get("/registry/").content.decode()
    assert "宁夏甲科技有限公司" not in gs.get("/registry/").content.decode()
    assert "宁夏甲科技有限公司" not in gs.get("/registry/", {"county": XIJI}).content.decode()
    count = f"/registry/count/2021/{XIJI}/"
    assert gs.get(count).status_code == 404 and nx.get(count).status_code == 200
    assert policy.registry_counties(u["admin62"], REG.codes) == []
    assert policy.registry_counties(u["viewer"], REG.codes) == REG.codes
    # an import of 64's department clerk, with a row to settle: not 62's to see or settle
    f = SimpleUploadedFile(
        "新.csv", _list([f"宁夏甲科技有限责任公司,{CODES[2]},GR3,2021-01-01,西吉县"])
    )
    dept = _client(u["department"])
    dept.post("/registry/upload/", {"file": f, "list_kind": "enterprise", "kind": "高新技术企业"})
    li, item = ListImport.objects.latest("id"), ReviewItem.objects.get()
    assert gs.get(f"/registry/imports/{li.pk}/").status_code == 404
    assert dept.get(f"/registry/imports/{li.pk}/").status_code == 200
    assert gs.post(f"/registry/review/{item.pk}/", {"decision": "new"}).status_code == 404
    assert ReviewItem.objects.get().decision == ""
    assert list(policy.visible_list_imports(u["admin62"])) == []
    assert li in policy.visible_list_imports(u["admin"])


def test_a_list_naming_another_provinces_county_is_refused(two_provinces: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from cimon.store.accounts.models import DEPARTMENT, Account
    from cimon.store.national.models import ProvinceMember

    clerk = get_user_model().objects.create_user("gs-keji", password="x")
    Account.objects.create(user=clerk, role=DEPARTMENT, department="科技厅")
    ProvinceMember.objects.create(user=clerk, province="62")
    f = SimpleUploadedFile("l.csv", _list([f"宁夏乙科技有限公司,{CODES[3]},GR4,2021-01-01,西吉县"]))
    r = _client(clerk).post("/registry/upload/",
                            {"file": f, "list_kind": "enterprise", "kind": "高新技术企业"})  # fmt: skip
    li = ListImport.objects.latest("id")
    assert r.status_code == 302 and li.outcome == "rejected" and li.counts.get("written", 0) == 0
    f = SimpleUploadedFile("l.csv", _list([f"宁夏乙科技有限公司,{CODES[3]},GR4,2021-01-01,西吉县"]))
    _client(two_provinces["department"]).post(
        "/registry/upload/", {"file": f, "list_kind": "enterprise", "kind": "高新技术企业"}
    )
    assert ListImport.objects.latest("id").outcome == "accepted"
