"""The ranked list (排名列表) and the API's paged, filtered results at national size: a
publication of all 2,844 units of the national registry (``CIMON_REGIONS=national``), searched,
filtered by province, city and class, and paged, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def login(users: dict[str, Any], role: str) -> Client:
    c = Client()
    c.force_login(users[role])
    return c


@pytest.fixture
def national(users: dict[str, Any], settings: Any) -> dict[str, Any]:
    """A published 2025 of every national unit: scores falling with the registry order,
    classes A/B/C by thirds (synthetic rows, as the workflow stores them)."""
    from django.utils import timezone

    from cimon.model.national import national_registry
    from cimon.store.evaluations.models import PUBLISHED, Evaluation, Publication

    settings.CIMON_REGIONS = "national"
    reg = national_registry()
    n = len(reg)
    rows = []
    for i, r in enumerate(reg):
        score = round(90 - 80 * i / n, 2)
        rows.append(
            {
                "region_code": r.code,
                "name": r.name,
                "city": r.city,
                "score": score,
                "score_published": score,
                "class": "ABC"[3 * i // n],
                "rank": i + 1,
                "rank_city": None,
                "flags": "",
            }
        )
    counts = {k: sum(1 for r in rows if r["class"] == k) for k in "ABC"}
    now = timezone.now()
    ev = Evaluation.objects.create(
        evaluation_year=2025,
        data_year=2024,
        framework_id="nx-2021",
        framework_version="2021",
        data_as_of=now,
        created_at=now,
        status=PUBLISHED,
        progress=100,
        results=rows,
        class_counts=counts,
    )
    Publication.objects.create(
        evaluation_year=2025,
        version=1,
        evaluation=ev,
        results=rows,
        class_counts=counts,
        published_at=now,
    )
    return {"users": users, "rows": rows, "registry": reg}


def test_platform_registry_follows_the_setting(settings: Any, tmp_path: Any) -> None:
    from cimon.errors import CimonError
    from cimon.store.platform import is_national, platform_registry

    settings.CIMON_REGIONS = "ningxia"
    assert len(platform_registry()) == 22 and not is_national()
    settings.CIMON_REGIONS = "national"
    assert len(platform_registry()) == 2844 and is_national()
    own = tmp_path / "regions.csv"
    own.write_text(
        "code,name,city_code,city,province,type\n"
        "640422,西吉县,640400,固原市,宁夏回族自治区,县\n"
        "640423,隆德县,640400,固原市,宁夏回族自治区,县\n",
        encoding="utf-8",
    )
    settings.CIMON_REGIONS = str(own)
    assert platform_registry().codes == ["640422", "640423"] and not is_national()
    settings.CIMON_REGIONS = str(tmp_path / "missing.csv")
    with pytest.raises(CimonError):  # a bilingual error naming the file, not a silent default
        platform_registry()


def test_ranked_list_pages_and_filters(
    national: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    viewer = login(national["users"], "viewer")
    viewer.get("/dashboard/2025/list/")  # warm the session and caches
    with django_assert_max_num_queries(11):  # session, user, role, versions: none per row
        html = viewer.get("/dashboard/2025/list/").content.decode()
    assert html.count('<tr data-code="') == 50  # one page of 50, not 2,844 rows
    assert "1–50 / 2844" in html and "page=2" in html
    assert "请先选择一个省" in html  # no national tile grid of 2,844 squares

    html = viewer.get("/dashboard/2025/list/", {"province": "宁夏回族自治区"}).content.decode()
    assert html.count('<tr data-code="') == 22
    assert html.count('class="tile ') == 22 and "固原市" in html
    # every row and tile links its county page, the score at the published decimals
    xiji = next(r for r in national["rows"] if r["region_code"] == "640422")
    assert html.count('href="/dashboard/2025/county/640422/"') == 2
    assert f'title="西吉县 {xiji["score"]:.2f}"' in html
    assert f'<td class="num score">{xiji["score"]:.2f}</td>' in html

    html = viewer.get(
        "/dashboard/2025/list/", {"province": "广东省", "class": "B", "page": "2", "per_page": "10"}
    ).content.decode()
    gd_b = [
        r
        for r in national["rows"]
        if r["class"] == "B" and national["registry"][r["region_code"]].province == "广东省"
    ]
    codes = [r["region_code"] for r in gd_b][10:20]
    assert codes and all(f'data-code="{c}"' in html for c in codes)
    assert html.count('<tr data-code="') == len(codes)

    html = viewer.get("/dashboard/2025/list/", {"q": "西吉"}).content.decode()
    assert html.count('<tr data-code="') == 1 and 'data-code="640422"' in html
    html = viewer.get("/dashboard/2025/list/", {"q": "Xiji"}).content.decode()
    assert 'data-code="640422"' in html
    html = viewer.get("/dashboard/2025/list/", {"page": "9999"}).content.decode()
    assert "2801–2844 / 2844" in html  # past the end: the last page


def test_api_results_paged_and_filtered(
    national: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    viewer = login(national["users"], "viewer")
    url = "/api/v1/years/2025/results"
    viewer.get(url, {"page": "1"})
    with django_assert_max_num_queries(8):  # none per row
        body = viewer.get(url, {"page": "3", "per_page": "100"}).json()
    assert body["paging"] == {"page": 3, "per_page": 100, "total": 2844, "pages": 29}
    assert [r["rank"] for r in body["results"]] == list(range(201, 301))

    body = viewer.get(url, {"province": "宁夏回族自治区", "city": "固原市"}).json()
    assert body["filters"] == {"province": "宁夏回族自治区", "city": "固原市"}
    assert {r["code"][:4] for r in body["results"]} == {"6404"}
    assert body["paging"]["total"] == 5 == len(body["results"])

    body = viewer.get(url, {"class": "C", "per_page": "5"}).json()
    assert body["paging"]["total"] == sum(1 for r in national["rows"] if r["class"] == "C")
    assert len(body["results"]) == 5 and {r["class"] for r in body["results"]} == {"C"}

    body = viewer.get(url, {"q": "640422"}).json()
    assert [r["code"] for r in body["results"]] == ["640422"]

    unpaged = viewer.get(url).json()
    assert len(unpaged["results"]) == 2844 and unpaged["paging"]["pages"] == 1

    for bad in ({"page": "0"}, {"per_page": "x"}, {"page": "-1"}):
        r = viewer.get(url, bad)
        assert r.status_code == 400
        err = r.json()["error"]
        assert err["code"] == "bad_parameter" and next(iter(bad)) in err["message_en"]
