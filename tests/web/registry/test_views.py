"""The registry pages (issue #16): lists per county with search and paging, the upload and the
review screen (who may settle a row), the records behind a count, in Chinese and English."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.test import Client
from tests.web.conftest import XIJI

from cimon.registry.synthetic import synthetic_codes
from cimon.store.registry.models import ListImport, ReviewItem
from cimon.store.registry.services import import_list

pytestmark = pytest.mark.django_db

CODES = synthetic_codes(60, ["640422"], np.random.default_rng(5))
HEAD = "企业名称,统一社会信用代码,证书编号,发证日期,所在县区\n"


def _list(rows: list[str]) -> bytes:
    return (HEAD + "".join(r + "\n" for r in rows)).encode("utf-8")


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_lists_search_and_page(users: dict[str, Any]) -> None:
    rows = [f"宁夏企业{i:02d}科技有限公司,{CODES[i]},GR{i},2021-05-01,西吉县" for i in range(55)]
    rows.append(f"原州某某科技有限公司,{CODES[55]},GR55,2021-05-01,原州区")
    assert import_list(_list(rows), "l.csv", kind="高新技术企业", user="seed").written == 56
    c = _client(users["viewer"])
    page = c.get("/registry/", {"county": XIJI}).content.decode()
    assert "第 1 / 2 页" in page.replace("\n", " ") or "1 / 2" in page
    assert "原州某某" not in page and "registry-upload" not in page  # a viewer cannot import
    page2 = c.get("/registry/", {"county": XIJI, "page": 2}).content.decode()
    assert page2.count("宁夏企业") == 5
    found = c.get("/registry/", {"q": "企业07"}).content.decode()
    assert "宁夏企业07科技有限公司" in found and "宁夏企业08" not in found
    assert CODES[7] in c.get("/registry/", {"q": CODES[7]}).content.decode()
    count = c.get(f"/registry/count/2021/{XIJI}/", {"kind": "高新技术企业"}).content.decode()
    assert '<strong id="count">55</strong>' in count and "2024-05-01" in count  # 3-year end
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Enterprise registry" in c.get("/registry/").content.decode()


def test_upload_and_review_by_a_department_clerk_not_a_county_clerk(
    users: dict[str, Any],
) -> None:
    import_list(_list([f"宁夏甲科技有限公司,{CODES[0]},GR1,2020-01-01,西吉县",
                       f"宁夏甲科技股份有限公司,{CODES[1]},GR2,2020-01-01,西吉县"]),
                "seed.csv", kind="高新技术企业", user="seed")  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = _client(users["department"])
    f = SimpleUploadedFile(
        "新.csv", _list([f"宁夏甲科技有限责任公司,{CODES[2]},GR3,2021-01-01,西吉县"])
    )
    r = c.post("/registry/upload/", {"file": f, "list_kind": "enterprise", "kind": "高新技术企业"})
    li = ListImport.objects.latest("id")
    assert r.status_code == 302 and r.url == f"/registry/imports/{li.pk}/"
    assert li.outcome == "review" and li.user == users["department"].get_username()
    item = ReviewItem.objects.get()
    screen = c.get(r.url).content.decode()
    assert "宁夏甲科技有限责任公司" in screen and screen.count('class="confirm"') == 2
    # a county clerk may not settle it
    assert _client(users["county"]).post(f"/registry/review/{item.pk}/",
                                         {"decision": "new"}).status_code == 403  # fmt: skip
    assert ReviewItem.objects.get().decision == ""
    target = item.candidates[1]["record"]
    c.post(f"/registry/review/{item.pk}/", {"decision": "confirmed", "record": target})
    item.refresh_from_db()
    assert item.decision == "confirmed" and item.record == str(target)
    assert ListImport.objects.get(pk=li.pk).outcome == "accepted"
    # settling twice is refused with a message, nothing changes
    again = c.post(f"/registry/review/{item.pk}/", {"decision": "rejected"}, follow=True)
    assert "已处理" in again.content.decode()
