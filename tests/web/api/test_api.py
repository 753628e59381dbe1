"""The JSON API: published results only, the same visibility as the pages, bilingual JSON
errors, integer money, and a schema that matches the URL configuration both ways."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cimon.web.api.schema import openapi

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _api_paths(patterns: list[Any], prefix: str = "/") -> set[str]:
    out: set[str] = set()
    for p in patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            out |= _api_paths(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern):
            out.add(prefix + route)
    return out


def test_every_api_url_is_in_the_schema_and_back() -> None:
    urls = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", u)
        for u in _api_paths(get_resolver().url_patterns)
        if u.startswith("/api/")
    }
    assert urls == set(openapi()["paths"])


def test_results_are_the_published_rows_with_pillars(published: dict[str, Any]) -> None:
    from cimon.model.regions import default_registry

    body = _client(published["users"]["viewer"]).get("/api/v1/years/2025/results").json()
    rows, _ = published["rows"][2025]
    assert body["version"] == 2 and body["current"] is True and body["versions"] == [2]
    assert len(body["results"]) == 22
    assert [p["code"] for p in body["pillars"]] == [
        "input",
        "actors",
        "conditions",
        "output",
        "management",
    ]
    assert sum(p["points"] for p in body["pillars"]) == pytest.approx(100)
    first, src = body["results"][0], rows[0]
    assert first["code"] == src["region_code"] and first["score"] == src["score_published"]
    assert first["rank"] == 1 and first["class"] == src["class"]
    assert sum(first["pillars"].values()) == pytest.approx(src["score"], abs=1e-6)
    assert {r["rank_city"] for r in body["results"]} >= {1, 2}
    reg = default_registry()
    assert [(r["name_en"], r["city_en"]) for r in body["results"]] == [
        (reg[r["code"]].name_en, reg[r["code"]].city_en) for r in body["results"]
    ]


def test_older_versions_for_administrators_only(published: dict[str, Any]) -> None:
    url = "/api/v1/years/2025/results?version=1"
    assert _client(published["users"]["viewer"]).get(url).status_code == 404
    body = _client(published["users"]["admin"]).get(url).json()
    assert body["version"] == 1 and body["current"] is False and body["versions"] == [1, 2]
    assert body["results"][0]["name"] == "错名县"
    assert body["results"][0]["name_en"] == "错名县"  # no English name known: the Chinese one


@pytest.mark.parametrize(
    ("url", "role", "status", "code", "field"),
    [
        ("/api/v1/years", None, 401, "not_authenticated", ""),
        ("/api/v1/years/2025/results", None, 401, "not_authenticated", ""),
        ("/api/v1/years", "norole", 403, "forbidden", ""),
        ("/api/v1/years/2025/results", "norole", 404, "not_found", ""),
        ("/api/v1/years/2023/results", "viewer", 404, "not_found", ""),
        ("/api/v1/years/2025/results?version=9", "admin", 404, "not_found", ""),
        ("/api/v1/years/20x5/results", "viewer", 400, "bad_parameter", "year"),
        ("/api/v1/years/2025/results?version=0", "viewer", 400, "bad_parameter", "version"),
        ("/api/v1/years/2025/counties/64042", "viewer", 400, "bad_parameter", "code"),
        ("/api/v1/years/2025/counties/110101", "viewer", 404, "not_found", ""),
    ],
)
def test_errors_are_bilingual_json(
    published: dict[str, Any], url: str, role: str | None, status: int, code: str, field: str
) -> None:
    r = _client(published["users"][role] if role else None).get(url)
    assert r.status_code == status and r["Content-Type"] == "application/json"
    err = r.json()["error"]
    assert err["code"] == code
    assert re.search(r"[\u4e00-\u9fff]", err["message_zh"]) and err["message_en"]
    assert field in err["message_zh"] and field in err["message_en"]


def test_writes_are_refused(published: dict[str, Any]) -> None:
    c = _client(published["users"]["admin"])
    r = c.post("/api/v1/years/2025/results", {})
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    assert r["Allow"] == "GET, HEAD"


def test_incentives_are_whole_yuan_and_match_the_library(published: dict[str, Any]) -> None:
    import pandas as pd

    from cimon.analysis.incentives import incentives
    from cimon.analysis.rules import load_rules

    body = _client(published["users"]["viewer"]).get("/api/v1/years/2025/incentives").json()
    assert body["previous"] == {"year": 2024, "version": 1, "current": True}
    assert body["currency"] == "CNY"

    def frame(year: int) -> pd.DataFrame:
        rows, _ = published["rows"][year]
        return pd.DataFrame(rows).set_index("region_code")

    rules = load_rules("nx-2021")
    want = incentives(frame(2024), frame(2025), rules, 2025)
    assert {a["code"]: a["total"] for a in body["awards"]} == {a.code: a.total for a in want}
    assert body["total"] == sum(a.total for a in want) > 0
    assert all(isinstance(a[k], int) for a in body["awards"] for k in ("jump", "rank", "total"))
    from cimon.model.regions import default_registry

    reg = default_registry()
    assert all(a["name_en"] == reg[a["code"]].name_en for a in body["awards"])
    # the first published year has no previous result: no award, and says so
    first = _client(published["users"]["viewer"]).get("/api/v1/years/2024/incentives").json()
    assert first["previous"] is None and first["total"] == 0
    assert all(a["explain_en"] for a in first["awards"])


def test_cities_add_up(published: dict[str, Any]) -> None:
    body = _client(published["users"]["county"]).get("/api/v1/years/2025/cities").json()
    assert sum(c["counties"] for c in body["cities"]) == 22
    assert sum(sum(c["class_counts"].values()) for c in body["cities"]) == 22
    means = [c["mean_score"] for c in body["cities"]]
    assert means == sorted(means, reverse=True)
    english = {"银川市": "Yinchuan", "石嘴山市": "Shizuishan", "吴忠市": "Wuzhong"}
    english |= {"固原市": "Guyuan", "中卫市": "Zhongwei"}
    assert {c["city"]: c["city_en"] for c in body["cities"]} == english


def test_county_and_years(published: dict[str, Any]) -> None:
    c = _client(published["users"]["expert"])
    body = c.get("/api/v1/years/2025/counties/640422").json()
    assert body["county"]["code"] == "640422" and body["county"]["name"] == "西吉县"
    # English names for display; the Chinese names stay the identifiers
    assert body["county"]["name_en"] == "Xiji County" and body["county"]["city"] == "固原市"
    assert body["county"]["city_en"] == "Guyuan"
    years = c.get("/api/v1/years").json()["years"]
    assert [(y["year"], y["version"], y["counties"]) for y in years] == [
        (2025, 2, 22),
        (2024, 1, 22),
    ]


def test_docs_page_lists_every_endpoint_without_scripts(db: Any) -> None:
    r = Client().get("/api/")
    text = r.content.decode()
    assert r.status_code == 200
    for path in openapi()["paths"]:
        assert path in text
    assert "<script" not in text.split("</head>")[1]
    assert Client().get("/api/v1/openapi.json").json()["openapi"] == "3.1.0"
